package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;
import static wales.exchange.server.DataDirectoryServer.get;
import static wales.exchange.server.DataDirectoryServer.health;
import static wales.exchange.server.DataDirectoryServer.index;
import static wales.exchange.server.ExchangeServerExtension.withSession;

import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.content.Item;
import wales.exchange.delivery.index.DeliveryIndex;

/**
 * The delivery index's snapshot file (docs/operations.md, "Index snapshot"): a restart after a clean stop reads it
 * instead of every item and answers the same; a change made while the server was stopped is caught up (IndexCatchUpTest);
 * a damaged file or a server that was killed (no clean-stop marker) leads to a full load. Real server, real on-disk Jackrabbit, real HTTP.
 */
class IndexSnapshotTest {
    static final List<String> LISTS = List.of("/events?limit=100", "/events?sort=-startDate&limit=3", "/resources?kind=report",
            "/events?q=workshop", "/resources?limit=100&lang=cy");

    private final DataDirectoryServer dir;

    IndexSnapshotTest(@TempDir Path data) {
        dir = new DataDirectoryServer(data);
    }

    static List<String> answers(ExchangeServer server) throws Exception {
        List<String> out = new ArrayList<>();
        for (String path : LISTS) {
            HttpResponse<String> r = get(server, path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            out.add(r.body());
        }
        return out;
    }

    /** Starts once (a full load) and stops cleanly; returns the lists' answers. */
    List<String> firstRun() throws Exception {
        try (ExchangeServer server = dir.start()) {
            assertThat(index(server).loadedFrom()).isEqualTo("the repository");
            assertThat(index(server).itemsRead()).isGreaterThan(0);
            return answers(server);
        }
    }

    void assertFullLoad(String why) throws Exception {
        try (ExchangeServer server = dir.start()) {
            assertThat(index(server).loadedFrom()).isEqualTo("the repository");
            assertThat(index(server).snapshotRejection()).contains(why);
            assertThat(index(server).itemsRead()).isEqualTo(index(server).size());
        }
    }

    @Test
    void aRestartAfterACleanStopReadsTheSnapshotAndAnswersTheSame() throws Exception {
        List<String> before = firstRun();
        assertThat(dir.store().file()).exists();
        assertThat(dir.store().marker()).exists();
        try (ExchangeServer server = dir.start()) {
            DeliveryIndex index = index(server);
            assertThat(index.loadedFrom()).isEqualTo("the snapshot file");
            assertThat(index.snapshotRejection()).isNull();
            assertThat(index.itemsRead()).isZero(); // not one item read from the repository
            assertThat(index.size()).isGreaterThan(5);
            assertThat(dir.store().marker()).doesNotExist(); // a kill from now on leaves no marker
            assertThat(answers(server)).isEqualTo(before);
            // and the index goes on following saves
            Item edited = edit(server, "Edited after a start from the snapshot");
            assertThat(index.entry(edited.id()).orElseThrow().item.revision()).isEqualTo(edited.revision());
            assertThat(health(server).statusCode()).isEqualTo(200);
        }
        // the edit made while it ran is in the snapshot of the next clean stop
        try (ExchangeServer server = dir.start()) {
            assertThat(index(server).loadedFrom()).isEqualTo("the snapshot file");
            assertThat(answers(server).get(0)).contains("Edited after a start from the snapshot");
        }
    }

    @Test
    void anEditWhileTheServerIsStoppedIsCaughtUpWithoutAFullLoad() throws Exception {
        firstRun();
        dir.offline((s, service) -> {
            Item any = service.list(s, "event", 0, 1).get(0);
            return service.update(s, "event", any.id(), any.revision(), Map.of("title", Map.of("en", "Changed while stopped")), "test");
        });
        try (ExchangeServer server = dir.start()) {
            assertThat(index(server).loadedFrom()).isEqualTo("the snapshot file");
            // the edited item, the newest, and those saved in the hour before it (the margin for clocks behind)
            assertThat(index(server).caughtUp().read()).isGreaterThanOrEqualTo(1);
            assertThat(index(server).itemsRead()).isEqualTo(index(server).caughtUp().read()); // no full read besides
            assertThat(answers(server).get(0)).contains("Changed while stopped");
        }
    }

    @Test
    void aRemovalWhileTheServerIsStoppedIsCaughtUpWithoutAFullLoad() throws Exception {
        firstRun();
        String removed = dir.offline((s, service) -> {
            Item any = service.list(s, "event", 0, 1).get(0);
            s.getNodeByIdentifier(any.id()).remove(); // not through the service: no lastModified moves
            s.save();
            return any.id();
        });
        try (ExchangeServer server = dir.start()) {
            assertThat(index(server).snapshotRejection()).isNull();
            assertThat(index(server).caughtUp().removed()).isEqualTo(1);
            assertThat(index(server).itemsRead()).isLessThan(index(server).size());
            assertThat(index(server).entry(removed)).isEmpty();
        }
    }

    @Test
    void aTruncatedSnapshotIsRejectedAndRebuilt() throws Exception {
        firstRun();
        try (RandomAccessFile f = new RandomAccessFile(dir.store().file().toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertFullLoad("is truncated");
        // rebuilt at that stop: the next start uses it again
        try (ExchangeServer server = dir.start()) {
            assertThat(index(server).loadedFrom()).isEqualTo("the snapshot file");
        }
    }

    @Test
    void aFlippedBitIsRejected() throws Exception {
        firstRun();
        byte[] bytes = Files.readAllBytes(dir.store().file());
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(dir.store().file(), bytes);
        assertFullLoad("fails its checksum");
    }

    @Test
    void anotherFormatVersionIsRejected() throws Exception {
        firstRun();
        byte[] bytes = Files.readAllBytes(dir.store().file());
        bytes[7] ^= 0x7f; // the version, after the 4-byte magic
        Files.write(dir.store().file(), bytes);
        assertFullLoad("format version");
    }

    @Test
    void withoutTheCleanStopMarkerAsAfterAKillItIsAFullLoad() throws Exception {
        firstRun();
        Files.delete(dir.store().marker());
        assertFullLoad("did not stop cleanly");
    }

    @Test
    void anImportWhileTheServerIsStoppedRemovesTheSnapshot() throws Exception {
        firstRun();
        Path file = dir.data.resolveSibling(dir.data.getFileName() + "-items.jsonl");
        Files.writeString(file, "{\"type\":\"event\",\"state\":\"published\",\"title\":\"Imported offline\",\"startDate\":\"2025-03-12T10:00\"}\n");
        try {
            int code = BulkCommand.run(new String[] {"import", "--data", dir.data.toString(), file.toString()},
                    new java.io.ByteArrayInputStream(new byte[0]), new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                    new java.io.PrintStream(new java.io.ByteArrayOutputStream()), Map.of());
            assertThat(code).isZero();
        } finally {
            Files.deleteIfExists(file);
        }
        assertThat(dir.store().file()).doesNotExist();
        assertThat(dir.store().marker()).doesNotExist();
        try (ExchangeServer server = dir.start()) {
            assertThat(index(server).loadedFrom()).isEqualTo("the repository");
            assertThat(answers(server).get(0)).contains("Imported offline");
        }
    }

    static Item edit(ExchangeServer server, String title) throws Exception {
        return withSession(server, (s, service) -> {
            Item any = service.list(s, "event", 0, 1).get(0);
            return service.update(s, "event", any.id(), any.revision(), Map.of("title", Map.of("en", title)), "test");
        });
    }
}
