package wales.exchange.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Reads the files of one class-path folder, whether it is a directory (IDE, tests) or inside a jar (Magnolia, server). */
public final class ClasspathFiles {
    private ClasspathFiles() {
    }

    /** File name to UTF-8 text for every file directly in {@code dir} ending with {@code suffix}; first one wins. */
    public static Map<String, String> read(ClassLoader loader, String dir, String suffix) throws IOException {
        Map<String, String> texts = new TreeMap<>();
        Enumeration<URL> roots = loader.getResources(dir);
        while (roots.hasMoreElements()) {
            URL root = roots.nextElement();
            if ("file".equals(root.getProtocol())) {
                try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                    for (Path f : files.filter(f -> f.toString().endsWith(suffix)).sorted().toList()) {
                        texts.putIfAbsent(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
                    }
                } catch (URISyntaxException e) {
                    throw new IOException(e);
                }
            } else if ("jar".equals(root.getProtocol())) {
                JarURLConnection conn = (JarURLConnection) root.openConnection();
                conn.setUseCaches(false);
                try (JarFile jar = conn.getJarFile()) {
                    for (JarEntry e : Collections.list(jar.entries())) {
                        String n = e.getName();
                        if (n.startsWith(dir + "/") && n.endsWith(suffix) && n.indexOf('/', dir.length() + 1) < 0) {
                            try (InputStream in = jar.getInputStream(e)) {
                                texts.putIfAbsent(n.substring(dir.length() + 1), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            }
        }
        return texts;
    }
}
