package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every answer of the server, whatever the request, is problem+json or the resource itself: bad request targets,
 * methods, paths outside the API, oversized headers and targets, malformed Accept-Language. Raw sockets, since HTTP
 * clients refuse to send most of these.
 */
class TransportHardeningTest {
    static final String API = "/.rest/exchange/v1";
    static final String SECURE = "901f7a1b-20f9-458c-9172-3f92ad923f8f";
    static final ObjectMapper json = new ObjectMapper();
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit=1000000");

    static RawHttp.Answer get(String target, String... headerLines) throws Exception {
        return send("GET", target, headerLines);
    }

    static RawHttp.Answer send(String method, String target, String... headerLines) throws Exception {
        StringBuilder r = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
        boolean host = false;
        for (String h : headerLines) {
            host |= h.regionMatches(true, 0, "Host:", 0, 5);
            r.append(h).append("\r\n");
        }
        if (!host) {
            r.append("Host: localhost\r\n");
        }
        return server.raw(r.toString());
    }

    static JsonNode problem(RawHttp.Answer a, int status) throws Exception {
        assertThat(a.status()).as(a.head()).isEqualTo(status);
        assertThat(a.header("Content-Type")).as(a.head()).startsWith("application/problem+json");
        JsonNode p = json.readTree(a.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(a.body()).doesNotContain("<html", "Exception", "\tat ");
        return p;
    }

    /** Runs {@code work} with System.err captured (slf4j-simple logs there) and returns what was logged. */
    static String logOf(ThrowingRunnable work) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(old);
        }
        String log = buffer.toString(StandardCharsets.UTF_8);
        old.print(log);
        return log;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Like {@link #logOf(ThrowingRunnable)}, the work seeing the log written so far (to wait on a line). */
    static String logOf(LogWork work) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            work.run(() -> buffer.toString(StandardCharsets.UTF_8)); // synchronized: the sender may be writing
        } finally {
            System.setErr(old);
        }
        String log = buffer.toString(StandardCharsets.UTF_8);
        old.print(log);
        return log;
    }

    interface LogWork {
        void run(java.util.function.Supplier<String> logSoFar) throws Exception;
    }

    @Test
    void malformedTargetsAndHostsAre400ProblemsLoggedInOneLineEach() throws Exception {
        String manyParameters = IntStream.range(0, EdgeHandler.MAX_PARAMETERS + 1).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
        List<String[]> bad = List.of(
                new String[] {"GET", API + "/ev[ents"},
                new String[] {"GET", API + "/events]"},
                new String[] {"GET", API + "/events", "Host: a b"},
                new String[] {"OPTIONS", "*"},
                new String[] {"GET", API + "/events%zz"},
                new String[] {"GET", API + "/events%"},
                new String[] {"GET", API + "/events?q=%zz"},
                new String[] {"GET", API + "/events?q=%"},
                new String[] {"GET", API + "/events/%00"},
                new String[] {"GET", API + "/events?q=a%00b"},
                new String[] {"GET", API + "/ev%C3%28"},
                new String[] {"GET", API + "/events?q=%C3%28"},
                new String[] {"GET", API + "/events/%FF"},
                new String[] {"GET", API + "/events?q=%FF"},
                new String[] {"GET", API + "/events?q=a|b"},
                new String[] {"GET", API + "/events?" + manyParameters},
                new String[] {"GET", "/foo%zz"},
                new String[] {"GET", API + "/events", "Content-Type: not a type"});
        String log = logOf(() -> {
            for (String[] b : bad) {
                String[] headers = java.util.Arrays.copyOfRange(b, 2, b.length);
                RawHttp.Answer a = send(b[0], b[1], headers);
                assertThat(a.status()).as(String.join(" ", b)).isEqualTo(400);
                JsonNode p = problem(a, 400);
                assertThat(p.get("type").asText()).as(String.join(" ", b)).isEqualTo("https://exchangewales.org/problems/malformedRequest");
                assertThat(p.get("detail").asText()).isNotBlank();
            }
        });
        assertThat(log).doesNotContain("\tat ", "Exception");
        assertThat(log.lines().filter(l -> l.contains("EdgeHandler"))).hasSize(bad.size());
        JsonNode tooMany = problem(get(API + "/events?" + manyParameters), 400);
        assertThat(tooMany.get("detail").asText()).contains("100");
        // at the cap itself, the request goes through (and the delivery endpoint names the unknown parameters)
        String atCap = IntStream.range(0, EdgeHandler.MAX_PARAMETERS).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
        assertThat(problem(get(API + "/events?" + atCap), 400).get("type").asText()).endsWith("/badRequest");
    }

    @Test
    void problemsOfTheTransportAreInTheRequestsLanguage() throws Exception {
        JsonNode p = problem(get(API + "/ev[ents", "Accept-Language: cy"), 400);
        assertThat(p.get("title").asText()).isEqualTo("Mae’r cais wedi’i gamffurfio ac ni ellir ei ddarllen.");
        assertThat(problem(get(API + "/foo?lang=cy"), 404).get("title").asText()).isEqualTo("Nid oes llwybr o’r fath.");
    }

    @Test
    void methodsOtherThanGetHeadAndOptionsAre405WithAllowEverywhere() throws Exception {
        for (String[] m : List.of(new String[] {"TRACE", "/foo"}, new String[] {"TRACE", API + "/events"}, new String[] {"TRACE", "/"},
                new String[] {"DELETE", API + "/events/" + SECURE}, new String[] {"PUT", "/"}, new String[] {"POST", API + "/events"},
                new String[] {"PATCH", "/foo"}, new String[] {"CONNECT", "/"})) {
            RawHttp.Answer a = send(m[0], m[1], "X-Secret: do-not-echo");
            JsonNode p = problem(a, 405);
            assertThat(p.get("type").asText()).endsWith("/methodNotAllowed");
            assertThat(a.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(a.body()).doesNotContain("do-not-echo");
        }
    }

    @Test
    void aPlainOptionsOnARouteIs204WithAllowAndNoBody() throws Exception {
        RawHttp.Answer a = send("OPTIONS", API + "/events");
        assertThat(a.status()).isEqualTo(204);
        assertThat(a.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(a.body()).isEmpty();
        assertThat(a.header("Content-Type")).isNull();
    }

    @Test
    void pathsOutsideTheApiAre404PagesAndUnknownApiPaths404Problems() throws Exception {
        // outside /.rest are the web pages (WebPagesTest): an unknown one is a 404 page, never the servlet's error route
        for (String path : List.of("/foo", "/foo/bar?x=1", "/index.html", ProblemErrorServlet.LOCATION, "/.restx")) {
            RawHttp.Answer a = get(path);
            assertThat(a.status()).as(path).isEqualTo(404);
            assertThat(a.header("Content-Type")).as(path).isEqualTo("text/html;charset=utf-8");
        }
        // under /.rest, a path that is no route of the API says so and points at the API root
        assertThat(problem(get("/.rest"), 404).get("type").asText()).endsWith("/noRoute");
        assertThat(problem(get(API + "/nope"), 404).get("type").asText()).endsWith("/noRoute");
    }

    @Test
    void oversizedHeadersAre431AndLongTargetsAre414() throws Exception {
        String big = "X-Big: " + "a".repeat(EdgeHandler.MAX_HEADERS_BYTES);
        assertThat(problem(get(API + "/events", big), 431).get("type").asText()).endsWith("/headersTooLarge");
        // many small headers count together
        String[] many = IntStream.range(0, 200).mapToObj(i -> "X-H" + i + ": " + "b".repeat(80)).toArray(String[]::new);
        assertThat(problem(get(API + "/events", many), 431).get("detail").asText()).contains("16384");
        // just under the limit is fine
        assertThat(get(API + "/events?limit=1", "X-Big: " + "a".repeat(EdgeHandler.MAX_HEADERS_BYTES - 200)).status()).isEqualTo(200);

        String longQuery = "q=" + "a".repeat(EdgeHandler.MAX_TARGET);
        assertThat(problem(get(API + "/events?" + longQuery), 414).get("type").asText()).endsWith("/uriTooLong");
        assertThat(problem(get("/" + "a".repeat(EdgeHandler.MAX_TARGET)), 414).get("type").asText()).endsWith("/uriTooLong");
    }

    @Test
    void malformedAcceptLanguageElementsAreIgnoredNotAnError() throws Exception {
        for (String al : List.of("cy;q=", "cy;q=2", "cy;q=Infinity", "cy;q=NaN", "cy;q=-1", ";;", "cy;q=0.5;q=x")) {
            for (String path : List.of(API + "/events?limit=1", API + "/events/" + SECURE, API + "/health", API + "/openapi.json",
                    API + "/events.ics", API + "/foo")) {
                RawHttp.Answer a = get(path, "Accept-Language: " + al);
                assertThat(a.status()).as(al + " on " + path + "\n" + a.head()).isIn(200, 404);
                assertThat(a.header("Content-Type")).doesNotStartWith("text/html");
            }
        }
        // the well-formed elements still count
        RawHttp.Answer a = get(API + "/events/" + SECURE, "Accept-Language: en;q=Infinity, cy;q=0.8");
        assertThat(a.header("Content-Language")).isEqualTo("cy");
        // a malformed Accept element is dropped the same way
        assertThat(get(API + "/events?limit=1", "Accept: application/json;q=abc, */*").status()).isEqualTo(200);
        assertThat(get(API + "/events?limit=1", "Accept: ;;").status()).isEqualTo(200);
    }

    @Test
    void everyAnswerForbidsSniffingAndReferrers() throws Exception {
        RawHttp.Answer first = get(API + "/events/" + SECURE);
        RawHttp.Answer cached = get(API + "/events/" + SECURE); // the fast path answers repeats from the response cache
        RawHttp.Answer notModified = get(API + "/events/" + SECURE, "If-None-Match: " + first.header("ETag"));
        assertThat(notModified.status()).isEqualTo(304);
        for (RawHttp.Answer a : List.of(first, cached, notModified, get(API + "/events"), get(API + "/health"), get("/"),
                get(API + "/ev[ents"), send("TRACE", "/"), send("OPTIONS", API + "/events", "Origin: https://x.example",
                        "Access-Control-Request-Method: GET"), send("HEAD", API + "/events"))) {
            assertThat(a.header("X-Content-Type-Options")).as(a.head()).isEqualTo("nosniff");
            assertThat(a.header("Referrer-Policy")).as(a.head()).isEqualTo("no-referrer");
        }
    }

    @Test
    void healthShowsNoProductVersion() throws Exception {
        RawHttp.Answer a = get(API + "/health");
        assertThat(a.status()).isEqualTo(200);
        assertThat(json.readTree(a.body()).get("status").asText()).isEqualTo("up");
        assertThat(a.body()).doesNotContainIgnoringCase("jackrabbit").doesNotContainPattern("\\d+\\.\\d+\\.\\d+");
        assertThat(a.headers().keySet()).doesNotContain("server", "x-powered-by");
    }
}
