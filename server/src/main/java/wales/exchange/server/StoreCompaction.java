package wales.exchange.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the free space of the embedded repository's H2 stores ({@code *.mv.db} under {@code workspaces/} and
 * {@code version/} of the data directory) after a clean stop.
 *
 * <p>Why: the bundles are kept in H2 with {@code WRITE_DELAY=0}, so that every save is written before it is
 * acknowledged (the kill -9 test). That also turns off H2's background writer, which is what compacts an MVStore file
 * while it runs: dead chunks are freed and reused, but the file never shrinks. A 100k-item repository written by the
 * benchmark's generator was a 28 GB file holding 0.8 GB of live pages (5% full): a slower repository start, a slower
 * repository check, and the disk. With the repository closed, a file less than {@link #MIN_FILL_PERCENT}% full (the share
 * of the file in live chunks times the share of those chunks in live pages) is
 * rewritten with its live pages only ({@link MVStoreTool#compact}: a new file, renamed over the old one; fsynced here
 * afterwards); a denser one is left alone (opening it read-only to ask costs about 0.2 s). An interrupted compaction
 * (a kill during it) leaves the old file or a finished new one, which {@link #cleanUp} puts in place before the next
 * start opens the repository.
 */
final class StoreCompaction {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCompaction.class);
    static final int MIN_FILL_PERCENT = 50;
    private static final String SUFFIX = ".mv.db";

    /** One store's outcome: its size before and after, how full it was, and why it was left alone (null: compacted). */
    record Result(Path file, long before, long after, int fillPercent, long millis, String leftAlone) {
    }

    private StoreCompaction() {
    }

    /** The H2 store files of a data directory's repository. */
    static List<Path> stores(Path data) throws IOException {
        return files(data, SUFFIX);
    }

    private static List<Path> files(Path data, String... endings) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : List.of(data.resolve("workspaces"), data.resolve("version"))) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root, 3)) {
                    files.filter(p -> List.of(endings).stream().anyMatch(e -> p.getFileName().toString().endsWith(e)))
                            .sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    /**
     * Finishes or undoes a compaction cut short (H2's own clean-up of {@code .tempFile} and {@code .newFile}), before
     * the repository opens the files: a kill between removing the old file and renaming the new one leaves only the
     * new one, which is put in place.
     */
    static void cleanUp(Path data) throws IOException {
        java.util.Set<String> bases = new java.util.TreeSet<>();
        for (Path p : files(data, SUFFIX, SUFFIX + ".tempFile", SUFFIX + ".newFile")) {
            String name = p.toString();
            bases.add(name.substring(0, name.lastIndexOf(SUFFIX) + SUFFIX.length()));
        }
        for (String base : bases) {
            MVStoreTool.compactCleanUp(base);
        }
    }

    /** Compacts each sparse store of a closed repository; each outcome logged in one line. Never throws. */
    static List<Result> compactAll(Path data) {
        List<Result> out = new ArrayList<>();
        try {
            for (Path store : stores(data)) {
                Result r = compactIfSparse(store);
                out.add(r);
                if (r.leftAlone() == null) {
                    LOG.info("storage: {} compacted from {} MiB to {} MiB in {} ms (it was {}% full)", data.relativize(store),
                            r.before() >> 20, r.after() >> 20, r.millis(), r.fillPercent());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("storage: compaction of the stores under {} not done: {}", data, e.toString());
        }
        return out;
    }

    /** Compacts {@code store} when less than {@link #MIN_FILL_PERCENT}% of the file holds live pages. */
    static Result compactIfSparse(Path store) {
        long t0 = System.nanoTime();
        long before;
        int fill;
        try {
            before = Files.size(store);
            MVStore s = new MVStore.Builder().fileName(store.toString()).readOnly().open();
            try {
                // the share of the file in live chunks, times the share of those chunks in live pages
                fill = s.getFileStore().getFillRate() * s.getFileStore().getChunksFillRate() / 100;
            } finally {
                s.close();
            }
        } catch (IOException | RuntimeException e) { // e.g. still open (locked): leave it
            return new Result(store, -1, -1, -1, 0, "not readable now: " + e);
        }
        if (fill >= MIN_FILL_PERCENT) {
            return new Result(store, before, before, fill, (System.nanoTime() - t0) / 1_000_000, "dense enough");
        }
        try {
            MVStoreTool.compact(store.toString(), false);
            try (FileChannel ch = FileChannel.open(store, StandardOpenOption.READ)) {
                ch.force(true);
            }
            try (FileChannel dir = FileChannel.open(store.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // not every file system lets a directory be opened to sync it
            }
            return new Result(store, before, Files.size(store), fill, (System.nanoTime() - t0) / 1_000_000, null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("storage: {} not compacted: {}", store, e.toString());
            return new Result(store, before, -1, fill, (System.nanoTime() - t0) / 1_000_000, "failed: " + e);
        }
    }
}
