package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;
import static wales.exchange.server.DataDirectoryServer.get;
import static wales.exchange.server.DataDirectoryServer.index;
import static wales.exchange.server.DataDirectoryServer.json;
import static wales.exchange.server.ExchangeServerExtension.withSession;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.content.Item;
import wales.exchange.delivery.index.BodyStore;
import wales.exchange.delivery.index.DeliveryIndex;

/**
 * The item body store (docs/operations.md, "Item bodies"): an item's answer, rich text included, comes from the
 * bodies file beside the snapshot, without a repository read, after a restart and after an edit (read-your-write
 * holds); a damaged bodies file makes the server read the repository instead and answer the same. Real server on a
 * random port, real on-disk Jackrabbit, real HTTP.
 */
class ItemBodyStoreTest {
    /** Large, so that once superseded it is more than an eighth of the live records: the clean stop compacts. */
    static final String FIRST = "<p>The first body</p><p>" + "padding ".repeat(8000) + "</p>";

    private final DataDirectoryServer dir;

    ItemBodyStoreTest(@TempDir Path data) {
        dir = new DataDirectoryServer(data);
    }

    static JsonNode item(ExchangeServer server, String id) throws Exception {
        return json(server, "/resources/" + id);
    }

    Path bodies() {
        return dir.store().bodiesFile();
    }

    @Test
    void anItemIsAnsweredFromTheBodiesFileAfterARestartAndAnEditAndFromTheRepositoryWhenItIsDamaged() throws Exception {
        String id;
        try (ExchangeServer server = dir.start()) {
            Item created = withSession(server, (s, svc) -> svc.create(s, "resource", Map.of(
                    "title", Map.of("en", "Body store"), "kind", "report", "moderationState", "published",
                    "body", Map.of("en", FIRST, "cy", "<p>Y corff cyntaf</p>")), "editor"));
            id = created.id();
            assertThat(item(server, id).get("body").asText()).isEqualTo(FIRST);
            assertThat(index(server).fullReads()).as("answered from the bodies file").isZero();
            assertThat(bodies()).exists();
        }
        try (ExchangeServer server = dir.start()) {
            DeliveryIndex index = index(server);
            assertThat(index.loadedFrom()).isEqualTo("the snapshot file");
            assertThat(item(server, id).get("body").asText()).isEqualTo(FIRST);
            // an edit is seen by the very next request (read-your-write), its body from the file too
            withSession(server, (s, svc) -> svc.update(s, "resource", id, 1,
                    Map.of("body", Map.of("en", "<p>The edited body</p>")), "editor"));
            JsonNode edited = item(server, id);
            assertThat(edited.get("body").asText()).isEqualTo("<p>The edited body</p>");
            assertThat(index.fullReads()).as("no repository read for an item answer").isZero();
            // the item's JSON-LD and the list's summaries agree
            HttpResponse<String> ld = get(server, "/resources/" + id + "?jsonLd=true");
            assertThat(ld.statusCode()).isEqualTo(200);
            assertThat(ld.body()).contains("The edited body");
            assertThat(index.fullReads()).isZero();
        }
        // the saved file holds the live records only (the first body was compacted away at the stop)
        String kept = new String(Files.readAllBytes(bodies()), StandardCharsets.UTF_8);
        assertThat(kept).contains("The edited body").doesNotContain("The first body");
        // every byte after the file's header replaced: each record fails its checksum
        try (FileChannel ch = FileChannel.open(bodies(), StandardOpenOption.WRITE)) {
            byte[] junk = new byte[(int) ch.size() - 16];
            Arrays.fill(junk, (byte) 0x5a);
            ch.write(ByteBuffer.wrap(junk), 16);
        }
        try (ExchangeServer server = dir.start()) {
            DeliveryIndex index = index(server);
            assertThat(index.loadedFrom()).isEqualTo("the snapshot file");
            assertThat(item(server, id).get("body").asText()).isEqualTo("<p>The edited body</p>");
            assertThat(index.fullReads()).as("read from the repository instead").isEqualTo(1);
            // an edit after that writes a new record, answered from the file again
            withSession(server, (s, svc) -> svc.update(s, "resource", id, 2,
                    Map.of("body", Map.of("en", "<p>The third body</p>")), "editor"));
            assertThat(item(server, id).get("body").asText()).isEqualTo("<p>The third body</p>");
            assertThat(index.fullReads()).isEqualTo(1);
        }
        // a missing bodies file: the snapshot is not trusted without it, every item is read again
        Files.delete(bodies());
        try (ExchangeServer server = dir.start()) {
            DeliveryIndex index = index(server);
            assertThat(index.loadedFrom()).isEqualTo("the repository");
            assertThat(index.snapshotRejection()).contains(BodyStore.FILE);
            assertThat(item(server, id).get("body").asText()).isEqualTo("<p>The third body</p>");
            assertThat(index.fullReads()).isZero();
        }
    }
}
