package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StoreCompaction} on real H2 store files laid out like a data directory's: a store that is mostly free space is
 * rewritten smaller with every live entry kept, a dense one is left as it was, a compaction cut short is put right before
 * the next open, and a server stop compacts its repository's stores.
 */
class StoreCompactionTest {
    @TempDir
    Path data;

    private Path store(String workspace) throws Exception {
        Path dir = data.resolve("workspaces").resolve(workspace).resolve("db");
        Files.createDirectories(dir);
        return dir.resolve("itemState.mv.db");
    }

    /** Many small commits, then most entries removed: what a write-ahead store without its background writer leaves. */
    private static void churn(Path file, int keep) {
        MVStore s = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        MVMap<Integer, String> m = s.openMap("bundles");
        String value = "x".repeat(2000);
        for (int i = 0; i < 4000; i++) {
            m.put(i, value + i);
            if (i % 10 == 0) {
                s.commit();
            }
        }
        s.commit();
        for (int i = keep; i < 4000; i++) {
            m.remove(i);
            if (i % 10 == 0) {
                s.commit();
            }
        }
        s.commit();
        // as the repository's H2 leaves it: no compaction when it closes (MVStore.close() would move chunks and shrink)
        s.closeImmediately();
    }

    private static String read(Path file, int key) {
        MVStore s = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            MVMap<Integer, String> m = s.openMap("bundles");
            return m.get(key);
        } finally {
            s.close();
        }
    }

    @Test
    void aSparseStoreIsRewrittenSmallerWithEveryLiveEntry() throws Exception {
        Path file = store("exchange");
        churn(file, 100);
        long before = Files.size(file);
        StoreCompaction.Result r = StoreCompaction.compactIfSparse(file);
        assertThat(r.leftAlone()).as(r.toString()).isNull();
        assertThat(r.fillPercent()).isLessThan(StoreCompaction.MIN_FILL_PERCENT);
        assertThat(r.before()).isEqualTo(before);
        assertThat(Files.size(file)).isEqualTo(r.after()).isLessThan(before / 4);
        for (int i = 0; i < 100; i++) {
            assertThat(read(file, i)).isEqualTo("x".repeat(2000) + i);
        }
        assertThat(read(file, 100)).isNull();
        assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString()).toList()).containsExactly("itemState.mv.db");
    }

    @Test
    void aDenseStoreIsLeftAlone() throws Exception {
        Path file = store("exchange");
        churn(file, 4000);
        StoreCompaction.Result first = StoreCompaction.compactIfSparse(file); // the churn's own leftovers, if any
        byte[] bytes = Files.readAllBytes(file);
        StoreCompaction.Result again = StoreCompaction.compactIfSparse(file);
        assertThat(again.leftAlone()).as(first + " then " + again).isEqualTo("dense enough");
        assertThat(again.fillPercent()).isGreaterThanOrEqualTo(StoreCompaction.MIN_FILL_PERCENT);
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }

    @Test
    void aCompactionCutShortIsPutRightBeforeTheNextOpen() throws Exception {
        Path file = store("exchange");
        churn(file, 50);
        // killed after the old file was removed, before the new one was renamed: only the new one is left
        Path newFile = file.resolveSibling(file.getFileName() + ".newFile");
        Files.move(file, newFile);
        StoreCompaction.cleanUp(data);
        assertThat(file).exists();
        assertThat(newFile).doesNotExist();
        assertThat(read(file, 49)).isEqualTo("x".repeat(2000) + 49);
        assertThat(StoreCompaction.stores(data)).containsExactly(file);
    }

    @Test
    void aServerStopCompactsItsRepositoryStores() throws Exception {
        DataDirectoryServer dir = new DataDirectoryServer(data);
        ExchangeServer server = dir.start();
        ServerRepository repository = server.injector().getInstance(ServerRepository.class);
        int items = DataDirectoryServer.index(server).size();
        assertThat(items).isPositive(); // the demo content
        server.close();
        List<StoreCompaction.Result> results = repository.compactions();
        assertThat(results).extracting(r -> data.relativize(r.file()).toString())
                .contains("workspaces/exchange/db/itemState.mv.db", "version/db/itemState.mv.db");
        assertThat(results).allSatisfy(r -> assertThat(r.leftAlone()).isIn(null, "dense enough"));
        // and the repository opens again with its content
        try (ExchangeServer again = dir.start()) {
            wales.exchange.delivery.index.DeliveryIndex index = DataDirectoryServer.index(again);
            assertThat(index.size()).isEqualTo(items);
            assertThat(index.loadedFrom()).isEqualTo("the snapshot file");
        }
    }
}
