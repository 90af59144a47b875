package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;
import static wales.exchange.server.DataDirectoryServer.health;
import static wales.exchange.server.ExchangeServerExtension.withSession;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.UUID;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.jcr.RepositoryCheck;

/**
 * A repository damaged on disk while the server was stopped (a bundle cut short, as a bad copy, a failing disk or the
 * old file persistence killed mid-save leaves it; a truncated search index segment) is found by the start-up check
 * and reported in health and the log, never served silently as "up". Real server, real on-disk Jackrabbit (bundles in
 * H2, as configured), real HTTP. That kill -9 itself loses nothing is KillNineTest's.
 */
class RepositoryDamageTest {
    static final String SECURE = DeliveryApiTest.SECURE;
    static final ObjectMapper json = new ObjectMapper();

    private final DataDirectoryServer dir;

    RepositoryDamageTest(@TempDir Path data) {
        dir = new DataDirectoryServer(data);
    }

    /** The check's report, once it has finished (after a restart from a snapshot it runs while requests are served). */
    static RepositoryCheck.Report report(ExchangeServer server) throws Exception {
        return server.injector().getInstance(RepositoryStatus.class).finished().toCompletableFuture().get(120, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Cuts a file to half its length, as a write interrupted by kill -9 or a full disk leaves it. */
    static void truncateToHalf(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
    }

    @Test
    void aCleanRepositoryIsCheckedAndUp() throws Exception {
        try (ExchangeServer server = dir.start()) {
            RepositoryCheck.Report report = report(server);
            assertThat(report.checked()).isTrue();
            assertThat(report.nodes()).isGreaterThan(12);
            assertThat(report.damages()).isEmpty();
            assertThat(report.repairs()).isEmpty();
            HttpResponse<String> r = health(server);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(body(r).get("status").asText()).isEqualTo("up");
            assertThat(body(r).has("problems")).isFalse();
        }
        // and once more on the same files, after a clean stop
        try (ExchangeServer server = dir.start()) {
            assertThat(report(server).damages()).isEmpty();
            assertThat(health(server).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aTruncatedBundleMakesHealthDegradedAndNamesTheNode() throws Exception {
        String path;
        try (ExchangeServer server = dir.start()) {
            path = withSession(server, (s, service) -> s.getNodeByIdentifier(SECURE).getPath());
        }
        truncateBundle(SECURE);

        try (ExchangeServer server = dir.start()) {
            report(server); // the server may answer before the check ends (a trusted snapshot); health follows its end
            HttpResponse<String> r = health(server);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
            JsonNode b = body(r);
            assertThat(b.get("status").asText()).isEqualTo("degraded");
            assertThat(b.get("items").asInt()).isEqualTo(15 - 1); // what is served: one of the 15 demo items fewer
            JsonNode problems = b.get("problems");
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0).get("code").asText()).isEqualTo("bundle-unreadable");
            assertThat(problems.get(0).get("id").asText()).isEqualTo(SECURE);
            assertThat(problems.get(0).get("path").asText()).isEqualTo(path);
            assertThat(report(server).damages()).extracting(RepositoryCheck.Damage::code).containsExactly("bundle-unreadable");
            assertThat(healthSchemaErrors(b)).isEmpty();
        }
    }

    @Test
    void aTruncatedIndexSegmentIsRepairedAtStartAndQueriesWorkAgain() throws Exception {
        int events;
        try (ExchangeServer server = dir.start()) {
            events = withSession(server, (s, service) -> service.list(s, "event", 0, 100).size());
        }
        assertThat(events).isEqualTo(6);
        Path segment = largest(dir.data.resolve("workspaces/exchange/index"), ".cfs");
        truncateToHalf(segment);

        try (ExchangeServer server = dir.start()) {
            RepositoryCheck.Report report = report(server);
            assertThat(report.damages()).isEmpty();
            assertThat(report.repairs()).singleElement().satisfies(s -> assertThat(s).startsWith("search-index-repaired"));
            int found = withSession(server, (s, service) -> service.list(s, "event", 0, 100).size());
            assertThat(found).isEqualTo(events);
            HttpResponse<String> r = health(server);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(body(r).get("status").asText()).isEqualTo("up");
        }
        // the repair was written to the index: the next start finds nothing to repair
        try (ExchangeServer server = dir.start()) {
            assertThat(report(server).repairs()).isEmpty();
            assertThat(report(server).damages()).isEmpty();
            int found = withSession(server, (s, service) -> service.list(s, "event", 0, 100).size());
            assertThat(found).isEqualTo(events);
        }
    }

    /**
     * Cuts the stored bundle of a node to half its bytes, in the workspace's H2 database (H2PersistenceManager: table
     * {@code B_BUNDLE}, key the id's 16 bytes), with the server stopped.
     */
    void truncateBundle(String id) throws Exception {
        java.util.UUID uuid = UUID.fromString(id);
        byte[] key = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
        String url = "jdbc:h2:file:" + dir.data.resolve("workspaces/exchange/db/itemState").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            byte[] bundle;
            try (PreparedStatement q = c.prepareStatement("select BUNDLE_DATA from B_BUNDLE where NODE_ID = ?")) {
                q.setBytes(1, key);
                try (ResultSet rs = q.executeQuery()) {
                    assertThat(rs.next()).as("bundle of %s in the database", id).isTrue();
                    bundle = rs.getBytes(1);
                }
            }
            try (PreparedStatement u = c.prepareStatement("update B_BUNDLE set BUNDLE_DATA = ? where NODE_ID = ?")) {
                u.setBytes(1, Arrays.copyOf(bundle, bundle.length / 2));
                u.setBytes(2, key);
                assertThat(u.executeUpdate()).isEqualTo(1);
            }
        }
    }

    static Path largest(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(suffix)).max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
    }

    /** The body against openapi.json's Health schema. */
    static List<String> healthSchemaErrors(JsonNode body) throws IOException {
        try (InputStream in = RepositoryDamageTest.class.getResourceAsStream("/wales/exchange/delivery/http/openapi.json")) {
            ObjectNode schema = json.readTree(in).at("/components/schemas/Health").deepCopy();
            schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(body).stream()
                    .map(ValidationMessage::getMessage).toList();
        }
    }

    static JsonNode body(HttpResponse<String> r) throws IOException {
        return json.readTree(r.body());
    }
}
