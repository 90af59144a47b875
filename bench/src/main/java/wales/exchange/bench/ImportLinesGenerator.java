package wales.exchange.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Writes N synthetic, bilingual import lines (docs/import-export.md) for measuring {@code exchange-server.jar import}:
 *
 * <pre>java -cp bench/target/exchange-bench.jar wales.exchange.bench.ImportLinesGenerator --type event|resource --count N
 *     [--seed S] [--out FILE] [--no-ids] [--no-folders]</pre>
 *
 * Content as {@link DataGenerator}'s (resources: its items; events: 1-2 KB descriptions, speakers, dates), 95%
 * published. By default every line has an id (deterministic from seed and line) and a folder {@code bench/NNN} of 250
 * items, as an export would; {@code --no-ids} leaves ids to the importer (derived from content), {@code --no-folders}
 * leaves the folder to the content service (one {@code yyyy/MM} folder for everything).
 */
public final class ImportLinesGenerator {
    private ImportLinesGenerator() {
    }

    public static void main(String[] args) throws IOException {
        String type = null;
        int count = -1;
        long seed = 42;
        Path out = null;
        boolean ids = true;
        boolean folders = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--type" -> type = args[++i];
                case "--count" -> count = Integer.parseInt(args[++i].replace("_", ""));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--no-ids" -> ids = false;
                case "--no-folders" -> folders = false;
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (count < 0 || !("event".equals(type) || "resource".equals(type))) {
            usage("--type event|resource and --count N are required");
        }
        ObjectMapper json = new ObjectMapper();
        long t0 = System.nanoTime();
        try (Writer w = new BufferedWriter(out == null ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            for (int i = 0; i < count; i++) {
                w.write(json.writeValueAsString(line(type, i, seed, ids, folders)));
                w.write('\n');
            }
        }
        System.err.printf(Locale.ROOT, "%,d %s lines in %.1f s%n", count, type, (System.nanoTime() - t0) / 1e9);
    }

    /** Line {@code i}: the same for the same seed, type and i. */
    static Map<String, Object> line(String type, int i, long seed, boolean ids, boolean folders) {
        Random rnd = new Random(DataGenerator.itemSeed(seed, i));
        DataGenerator.Text text = new DataGenerator.Text(rnd);
        Map<String, Object> values = type.equals("event") ? text.event() : text.item();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", type);
        if (ids) {
            line.put("id", new UUID(0x4000L | (seed << 16) | (type.equals("event") ? 1 : 2), 0x8000_0000_0000_0000L | i).toString());
        }
        line.put("state", values.remove("moderationState"));
        if (folders) {
            line.put("folder", DataGenerator.FOLDER_ROOT + "/" + DataGenerator.folderName(i / DataGenerator.PER_FOLDER));
        }
        line.putAll(values);
        return line;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: ImportLinesGenerator --type event|resource --count N [--seed S] [--out FILE] [--no-ids] [--no-folders]");
        System.exit(64);
    }
}
