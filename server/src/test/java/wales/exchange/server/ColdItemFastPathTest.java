package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.content.Item;
import wales.exchange.delivery.http.DeliveryEndpoint;
import wales.exchange.delivery.http.ResponseCache;

/**
 * A public GET of an item the response cache does not hold (a cold item) is answered by the fast path
 * ({@link DeliveryEndpoint#coldItem}) without the JAX-RS chain: the same status, headers and bytes as the full chain's
 * answer, kept for the next request; read-your-write holds (an edit is in the next answer); whatever else reaches an
 * item route (an unknown id, JSON-LD, other parameters, a preview, an iCalendar entry) is answered by the full chain as
 * before.
 */
class ColdItemFastPathTest {
    static final String SECURE = DeliveryApiTest.SECURE;
    static final String CARERS = DeliveryApiTest.CARERS;
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "100000",
            "--preview-secret", DeliveryApiTest.SECRET);

    private static ResponseCache cache() {
        return server.injector().getInstance(ResponseCache.class);
    }

    private static long coldItems() {
        return server.injector().getInstance(DeliveryEndpoint.class).coldItems();
    }

    /** The headers a client sees, without the ones that name the moment of sending. */
    private static Map<String, List<String>> headers(HttpResponse<String> r) {
        Map<String, List<String>> h = new TreeMap<>(r.headers().map());
        h.remove("date");
        return h;
    }

    @Test
    void aColdItemIsAnsweredByTheFastPathAsTheFullChainAnswersItAndKeptForTheNextRequest() throws Exception {
        for (String path : List.of("/events/" + SECURE, "/events/" + SECURE + "?lang=cy", "/events/" + CARERS + "?lang=en")) {
            // a cross-origin request always takes the full chain and is never kept
            HttpResponse<String> full = server.get(path, "Origin", "https://elsewhere.example");
            assertThat(full.statusCode()).isEqualTo(200);
            long cold = coldItems();
            long hits = cache().hits();
            HttpResponse<String> first = server.get(path);
            assertThat(coldItems()).as("%s: answered by the fast path", path).isEqualTo(cold + 1);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(full.body());
            assertThat(headers(first)).isEqualTo(headers(full));
            assertThat(headers(first)).containsKeys("etag", "last-modified", "vary", "cache-control", "content-language",
                    "content-type", "content-length");

            HttpResponse<String> second = server.get(path);
            assertThat(cache().hits()).as("the second comes from the cache").isEqualTo(hits + 1);
            assertThat(coldItems()).isEqualTo(cold + 1);
            assertThat(second.body()).isEqualTo(first.body());
            assertThat(headers(second)).isEqualTo(headers(first));
        }
        // Welsh by Accept-Language, and a conditional request on a cold item
        HttpResponse<String> welsh = server.get("/resources?limit=1&lang=cy");
        String id = server.json(welsh).get("items").get(0).get("id").asText();
        HttpResponse<String> byHeader = server.get("/resources/" + id, "Accept-Language", "cy");
        assertThat(byHeader.headers().firstValue("Content-Language")).contains("cy");
        assertThat(server.json(byHeader).get("lang").asText()).isEqualTo("cy");
        String etag = byHeader.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> other = server.get("/resources/" + id + "?lang=cy", "If-None-Match", etag);
        assertThat(other.statusCode()).as("a cold item's 304").isEqualTo(304);
    }

    /** A cold item's cache entry has the headers, in order, that the full chain's entry for the same answer has. */
    @Test
    void aColdItemIsKeptWithTheHeadersTheFullChainKeeps() throws Exception {
        String id = server.json(server.get("/resources?limit=2&sort=-title")).get("items").get(1).get("id").asText();
        String path = "/resources/" + id;
        // a parameter the fast path leaves to the full chain, which keeps its answer under that query
        HttpResponse<String> chain = server.get(path + "?lang=en&jsonLd=false");
        HttpResponse<String> cold = server.get(path + "?lang=en");
        assertThat(cold.body()).isEqualTo(chain.body());
        wales.exchange.delivery.DeliveryConfig config = server.injector().getInstance(wales.exchange.delivery.DeliveryConfig.class);
        String host = java.net.URI.create(server.url(path)).getRawAuthority();
        String base = config.basePath() + path;
        ResponseCache.Cached byChain = cache().current(DeliveryEndpoint.cacheKey(config, host, base, "lang=en&jsonLd=false", null, null));
        ResponseCache.Cached byFastPath = cache().current(DeliveryEndpoint.cacheKey(config, host, base, "lang=en", null, null));
        assertThat(byChain).as("kept by the full chain").isNotNull();
        assertThat(byFastPath).as("kept by the fast path").isNotNull();
        assertThat(byFastPath.headers().stream().map(h -> h[0] + ": " + h[1]).toList())
                .isEqualTo(byChain.headers().stream().map(h -> h[0] + ": " + h[1]).toList());
        assertThat(byFastPath.etag()).isEqualTo(byChain.etag());
    }

    @Test
    void aRequestWithTwoAcceptLanguageLinesIsAnsweredAsTheFullChainJoinsThem() throws Exception {
        String path = "/events/" + CARERS;
        // the Welsh answer kept under the first line alone
        HttpResponse<String> welsh = server.get(path, "Accept-Language", "cy;q=0.1");
        assertThat(server.json(welsh).get("lang").asText()).isEqualTo("cy");
        assertThat(server.get(path, "Accept-Language", "cy;q=0.1").body()).isEqualTo(welsh.body());
        for (int i = 0; i < 2; i++) {
            // two lines are one list (RFC 9110, 5.3): Welsh at q=0.1, English at 1 (a raw socket: HTTP clients join them)
            String answer = rawGet(java.net.URI.create(server.url(path)).getRawPath(), "Accept-Language: cy;q=0.1", "Accept-Language: en");
            assertThat(answer).as("request %d", i).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Language: en\r\n")
                    .contains("\"lang\":\"en\"");
        }
    }

    /** One GET on a new connection, the given header lines sent as they are; the whole answer as text. */
    private static String rawGet(String rawPath, String... lines) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            StringBuilder request = new StringBuilder("GET " + rawPath + " HTTP/1.1\r\nHost: localhost:" + server.port()
                    + "\r\nConnection: close\r\n");
            for (String line : lines) {
                request.append(line).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void readYourWriteHoldsOnTheFastPath() throws Exception {
        Item item = server.withSession((s, svc) -> svc.create(s, "resource", Map.of(
                "title", Map.of("en", "Cold fast path first", "cy", "Llwybr cyflym oer cyntaf"),
                "body", Map.of("en", "<p>The first body</p>"),
                "kind", "report", "moderationState", "published"), "editor"));
        try {
            long cold = coldItems();
            HttpResponse<String> first = server.get("/resources/" + item.id());
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).contains("Cold fast path first", "The first body");
            assertThat(coldItems()).isEqualTo(cold + 1);
            Item edited = server.withSession((s, svc) -> svc.update(s, "resource", item.id(), item.revision(),
                    Map.of("title", Map.of("en", "Cold fast path edited", "cy", "Llwybr cyflym oer wedi'i olygu"),
                            "body", Map.of("en", "<p>The second body</p>")), "editor"));
            HttpResponse<String> after = server.get("/resources/" + item.id());
            assertThat(after.body()).as("the edit, at once").contains("Cold fast path edited", "The second body")
                    .doesNotContain("The first body");
            assertThat(after.headers().firstValue("ETag")).isNotEqualTo(first.headers().firstValue("ETag"));
            assertThat(coldItems()).isEqualTo(cold + 2);
            server.withSession((s, svc) -> {
                svc.delete(s, "resource", item.id(), edited.revision());
                return null;
            });
            HttpResponse<String> gone = server.get("/resources/" + item.id());
            assertThat(gone.statusCode()).isEqualTo(404);
            assertThat(gone.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        } finally {
            server.withSession((s, svc) -> {
                svc.find(s, "resource", item.id()).ifPresent(left -> svc.delete(s, "resource", left.id(), left.revision()));
                return null;
            });
        }
    }

    @Test
    void whatIsNotAPlainPublicItemGetTakesTheFullChainAsBefore() throws Exception {
        long cold = coldItems();
        HttpResponse<String> unknown = server.get("/events/00000000-0000-0000-0000-000000000000?lang=cy");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(unknown.headers().firstValue("Content-Language")).contains("cy");
        assertThat(server.get("/events/" + SECURE.toUpperCase()).statusCode()).isEqualTo(404);
        assertThat(server.get("/resources/" + SECURE).statusCode()).as("an event under another type").isEqualTo(404);
        assertThat(server.get("/nothing/" + SECURE).statusCode()).isEqualTo(404);
        HttpResponse<String> ld = server.get("/events/" + CARERS, "Accept", "application/ld+json");
        assertThat(ld.statusCode()).isEqualTo(200);
        assertThat(ld.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/ld+json");
        assertThat(server.get("/events/" + CARERS + "?jsonLd=true").body()).contains("\"jsonLd\":");
        assertThat(server.get("/events/" + CARERS + "?lang=fr").statusCode()).isEqualTo(400);
        assertThat(server.get("/events/" + CARERS + "?foo=1").statusCode()).isEqualTo(400);
        assertThat(server.get("/events/" + CARERS + "?lang=en&lang=cy").statusCode()).isEqualTo(400);
        assertThat(server.get("/events/" + CARERS, "X-Exchange-Preview", "1.forged").statusCode()).isEqualTo(403);
        HttpResponse<String> ics = server.get("/events/" + CARERS + ".ics");
        assertThat(ics.statusCode()).isEqualTo(200);
        assertThat(ics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/calendar");
        assertThat(coldItems()).as("none of these by the fast path").isEqualTo(cold);
    }
}
