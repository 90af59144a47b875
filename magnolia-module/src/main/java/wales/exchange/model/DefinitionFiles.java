package wales.exchange.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where the module's definitions (content types, the module's model metadata, message bundles) are read from: the
 * light module {@code exchange}, as a folder on disk, as the jar's {@code exchange/} folder on the class path, or,
 * inside Magnolia, through Magnolia's resource origin (so a light-module edit reaches the module as it reaches Magnolia).
 * Paths are relative to the module's root, e.g. {@code contentTypes} or {@code i18n/exchange-messages_en.properties}.
 */
public interface DefinitionFiles {
    /** The module's folder on the class path (the jar packs light-modules/ at its root). */
    String MODULE = "exchange";

    /** File name to UTF-8 text of every file directly in {@code folder} whose name ends with {@code suffix}. */
    Map<String, String> list(String folder, String suffix) throws IOException;

    /** The UTF-8 text of one file, or null when there is none. */
    String read(String path) throws IOException;

    /** Where the files come from, for messages. */
    String describe();

    /** The jar's (or test class path's) {@code exchange/} folder. */
    static DefinitionFiles classpath(ClassLoader loader) {
        return new DefinitionFiles() {
            @Override
            public Map<String, String> list(String folder, String suffix) throws IOException {
                return ClasspathFiles.read(loader, MODULE + "/" + folder, suffix);
            }

            @Override
            public String read(String path) throws IOException {
                try (var in = loader.getResourceAsStream(MODULE + "/" + path)) {
                    return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }

            @Override
            public String describe() {
                return "the class path (" + MODULE + "/)";
            }
        };
    }

    /** A light module's folder on disk, e.g. {@code light-modules/exchange}. */
    static DefinitionFiles directory(Path moduleDir) {
        return new DefinitionFiles() {
            @Override
            public Map<String, String> list(String folder, String suffix) throws IOException {
                Map<String, String> texts = new TreeMap<>();
                Path dir = moduleDir.resolve(folder);
                if (!Files.isDirectory(dir)) {
                    return texts;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList()) {
                        texts.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
                    }
                }
                return texts;
            }

            @Override
            public String read(String path) throws IOException {
                try {
                    return Files.readString(moduleDir.resolve(path), StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    return null;
                }
            }

            @Override
            public String describe() {
                return moduleDir.toString();
            }
        };
    }
}
