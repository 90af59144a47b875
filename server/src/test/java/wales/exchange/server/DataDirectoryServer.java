package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import javax.jcr.Session;
import wales.exchange.content.ContentService;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.index.FileSnapshotStore;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.model.ModelLoader;
import wales.exchange.settings.ExchangeSettings;

/**
 * Servers on one data directory of a test's own, started as often as the test needs (each start a restart on what the
 * last one left: its index snapshot, bodies file, repository), with the repository opened while no server runs to
 * change what the next start finds. Real server on a random port, real on-disk Jackrabbit, real HTTP. For one server for
 * a whole test class, see {@link ExchangeServerExtension}.
 *
 * <pre>
 * private final DataDirectoryServer dir;
 *
 * SomeTest(&#64;TempDir Path data) {
 *     dir = new DataDirectoryServer(data);
 * }
 *
 * try (ExchangeServer server = dir.start()) { ... index(server) ... } // closing it is a clean stop
 * </pre>
 */
final class DataDirectoryServer {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The data directory. */
    final Path data;

    DataDirectoryServer(Path data) {
        this.data = data;
    }

    /** Starts a server on the directory (the demo content on the first start); closing it stops it cleanly. */
    ExchangeServer start() throws Exception {
        return ExchangeServer.start(ExchangeSettings.builder().port(0).data(data).previewSecret(DeliveryApiTest.SECRET).build());
    }

    /** Where the servers keep the index snapshot, its clean-stop marker and the bodies file. */
    FileSnapshotStore store() {
        return FileSnapshotStore.inDataDirectory(data);
    }

    /** Runs {@code work} in a session of the repository opened on the directory while no server runs; closed after. */
    <T> T offline(ExchangeServerExtension.SessionWork<T> work) throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            ContentService service = new ContentService(ModelLoader.fromClasspath(DataDirectoryServer.class.getClassLoader()),
                    Clock.systemUTC());
            Session s = repo.login();
            try {
                return work.run(s, service);
            } finally {
                s.logout();
            }
        }
    }

    /** The delivery index of {@code server}. */
    static DeliveryIndex index(ExchangeServer server) {
        return server.injector().getInstance(DeliveryIndex.class);
    }

    /** GET {@code path} under the API (e.g. {@code /events?lang=cy}) of {@code server}, the body read as UTF-8. */
    static HttpResponse<String> get(ExchangeServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + ExchangeServerExtension.API + path))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The status and body of {@code GET path}, as one string to compare answers by: {@code "200 {...}"}. */
    static String answer(ExchangeServer server, String path) throws Exception {
        HttpResponse<String> r = get(server, path);
        return r.statusCode() + " " + r.body();
    }

    /** The body of {@code GET path} as JSON, which must be a 200. */
    static JsonNode json(ExchangeServer server, String path) throws Exception {
        HttpResponse<String> r = get(server, path);
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The answer of {@code GET /health}. */
    static HttpResponse<String> health(ExchangeServer server) throws Exception {
        return get(server, "/health");
    }
}
