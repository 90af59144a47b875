package wales.exchange.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Injector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.jcr.Session;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import wales.exchange.content.ContentService;
import wales.exchange.jcr.EmbeddedRepository;

/**
 * The whole server for a test class, like Dropwizard's {@code DropwizardAppExtension}: started with the given flags
 * ({@code ExchangeServer.start(Settings.parse(args, no environment))}, on a random port unless {@code --port} is given)
 * before all tests of the class and closed after them, with real HTTP to it.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--preview-secret", SECRET);
 * </pre>
 *
 * A test that needs a server of its own starts one with {@code try (var s = new ExchangeServerExtension(...).start())}.
 */
final class ExchangeServerExtension implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    /** The API's base path, without the trailing slash of {@link ExchangeServer#API_PATH}. */
    static final String API = ExchangeServer.API_PATH.substring(0, ExchangeServer.API_PATH.length() - 1);

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String[] args;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ExchangeServer server;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private Map<String, String> env = Map.of();

    /** Work on the server's repository: a session of its own and the content service. */
    interface SessionWork<T> {
        T run(Session s, ContentService service) throws Exception;
    }

    ExchangeServerExtension(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (all.stream().noneMatch(a -> a.equals("--port") || a.startsWith("--port="))) {
            all.add(0, "--port=0");
        }
        if (all.stream().noneMatch(a -> a.equals("--warm-up") || a.startsWith("--warm-up="))) {
            all.add(0, "--warm-up=0"); // a test's own requests come first: no warm-up unless the test asks for one
        }
        this.args = all.toArray(String[]::new);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the server (for a server of a test's own; as an extension it is started before all tests). */
    ExchangeServerExtension start() throws Exception {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        server = ExchangeServer.start(Settings.parse(args, env), clock);
        return this;
    }

    /** Starts the server with these environment variables (e.g. the cluster database's password); before it is started. */
    ExchangeServerExtension withEnv(Map<String, String> env) {
        this.env = Map.copyOf(env);
        return this;
    }

    /** Starts the server with {@code clock} (a test moves it forward instead of sleeping); before it is started. */
    ExchangeServerExtension withClock(java.time.Clock clock) {
        this.clock = clock;
        return this;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    ExchangeServer server() {
        if (server == null) {
            throw new IllegalStateException("the server is not running (register the extension as a static field)");
        }
        return server;
    }

    int port() {
        return server().port();
    }

    Injector injector() {
        return server().injector();
    }

    /** The absolute URL of {@code path} under the API, e.g. {@code url("/events?lang=cy")}. */
    String url(String path) {
        return "http://localhost:" + port() + API + path;
    }

    HttpClient http() {
        return http;
    }

    /** GET {@code path} under the API, with header names and values in pairs. */
    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    /** Sends {@code request} and reads the body as UTF-8. */
    HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The body of {@code r} as JSON. */
    JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** {@code request} (request line and headers, CRLF line ends) over a raw socket; see {@link RawHttp#send(int, String)}. */
    RawHttp.Answer raw(String request) throws Exception {
        return RawHttp.send(port(), request);
    }

    /** {@code request} over a raw socket bound to the local address {@code from} (e.g. 127.0.0.2). */
    RawHttp.Answer raw(String from, String request) throws Exception {
        return RawHttp.send(port(), from, request);
    }

    /** Runs {@code work} in a session of the server's repository, logged out after. */
    <T> T withSession(SessionWork<T> work) throws Exception {
        return withSession(server(), work);
    }

    /** Runs {@code work} in a session of {@code server}'s repository (for tests that start servers of their own). */
    static <T> T withSession(ExchangeServer server, SessionWork<T> work) throws Exception {
        Session s = server.injector().getInstance(EmbeddedRepository.class).login();
        try {
            return work.run(s, server.injector().getInstance(ContentService.class));
        } finally {
            s.logout();
        }
    }
}
