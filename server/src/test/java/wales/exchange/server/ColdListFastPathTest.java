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
 * A public GET of a list the response cache does not hold (a cold list: a query not asked before) is answered by the
 * fast path ({@link DeliveryEndpoint#coldList}) without the JAX-RS chain: the same status, headers and bytes as the full
 * chain's answer, kept for the next request; read-your-write holds (a new item is in the next answer); whatever else
 * reaches a list route (a bad or repeated parameter, an escaped query, JSON-LD, a search, a preview) is answered by the
 * full chain as before, its problems in the request's language.
 */
class ColdListFastPathTest {
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "100000",
            "--preview-secret", DeliveryApiTest.SECRET);

    private static ResponseCache cache() {
        return server.injector().getInstance(ResponseCache.class);
    }

    private static long coldLists() {
        return server.injector().getInstance(DeliveryEndpoint.class).coldLists();
    }

    /** The headers a client sees, without the ones that name the moment of sending. */
    private static Map<String, List<String>> headers(HttpResponse<String> r) {
        Map<String, List<String>> h = new TreeMap<>(r.headers().map());
        h.remove("date");
        return h;
    }

    @Test
    void aColdListIsAnsweredByTheFastPathAsTheFullChainAnswersItAndKeptForTheNextRequest() throws Exception {
        List<String[]> asks = List.of(new String[] {"/events"}, new String[] {"/events?lang=cy"},
                new String[] {"/events?sort=-startDate&limit=3&offset=1"},
                new String[] {"/resources?kind=report&sort=title&lang=en&limit=2"},
                new String[] {"/resources?limit=5", "Accept-Language", "cy"},
                new String[] {"/case-studies?limit=1", "Accept", "application/json"},
                new String[] {"/events?status=postponed&limit=100"});
        for (String[] ask : asks) {
            String path = ask[0];
            String[] extra = java.util.Arrays.copyOfRange(ask, 1, ask.length);
            // a cross-origin request always takes the full chain and is never kept
            String[] withOrigin = java.util.Arrays.copyOf(extra, extra.length + 2);
            withOrigin[extra.length] = "Origin";
            withOrigin[extra.length + 1] = "https://elsewhere.example";
            HttpResponse<String> full = server.get(path, withOrigin);
            assertThat(full.statusCode()).as(path).isEqualTo(200);
            long cold = coldLists();
            long hits = cache().hits();
            HttpResponse<String> first = server.get(path, extra);
            assertThat(coldLists()).as("%s: answered by the fast path", path).isEqualTo(cold + 1);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).as(path).isEqualTo(full.body());
            assertThat(headers(first)).as(path).isEqualTo(headers(full));
            assertThat(headers(first)).containsKeys("etag", "last-modified", "vary", "cache-control", "content-language",
                    "content-type", "content-length");

            HttpResponse<String> second = server.get(path, extra);
            assertThat(cache().hits()).as("the second comes from the cache").isEqualTo(hits + 1);
            assertThat(coldLists()).isEqualTo(cold + 1);
            assertThat(second.body()).isEqualTo(first.body());
            assertThat(headers(second)).isEqualTo(headers(first));
        }
        // a conditional request on a cold list: its ETag is the chain's
        String etag = server.get("/events?limit=2", "Origin", "https://elsewhere.example").headers().firstValue("ETag").orElseThrow();
        long cold = coldLists();
        HttpResponse<String> notModified = server.get("/events?limit=2", "If-None-Match", etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(coldLists()).isEqualTo(cold + 1);
    }

    @Test
    void readYourWriteHoldsOnTheFastPath() throws Exception {
        String path = "/resources?kind=report&sort=-lastModified&limit=1";
        Item item = server.withSession((s, svc) -> svc.create(s, "resource", Map.of(
                "title", Map.of("en", "Cold list first", "cy", "Rhestr oer gyntaf"),
                "kind", "report", "moderationState", "published"), "editor"));
        try {
            long cold = coldLists();
            HttpResponse<String> first = server.get(path);
            assertThat(first.body()).contains("Cold list first");
            assertThat(coldLists()).isEqualTo(cold + 1);
            server.withSession((s, svc) -> svc.update(s, "resource", item.id(), item.revision(),
                    Map.of("title", Map.of("en", "Cold list edited", "cy", "Rhestr oer wedi'i golygu")), "editor"));
            HttpResponse<String> after = server.get(path);
            assertThat(after.body()).as("the edit, at once").contains("Cold list edited").doesNotContain("Cold list first");
            assertThat(after.headers().firstValue("ETag")).isNotEqualTo(first.headers().firstValue("ETag"));
            assertThat(coldLists()).isEqualTo(cold + 2);
        } finally {
            server.withSession((s, svc) -> {
                svc.find(s, "resource", item.id()).ifPresent(left -> svc.delete(s, "resource", left.id(), left.revision()));
                return null;
            });
        }
    }

    @Test
    void whatIsNotAPlainPublicListGetTakesTheFullChainAsBefore() throws Exception {
        long cold = coldLists();
        HttpResponse<String> bad = server.get("/events?limit=0&lang=cy");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(bad.headers().firstValue("Content-Language")).contains("cy");
        assertThat(server.get("/events?foo=1").statusCode()).isEqualTo(400);
        assertThat(server.get("/events?limit=1&limit=2").statusCode()).as("repeated").isEqualTo(400);
        assertThat(server.get("/events?lang=fr").statusCode()).isEqualTo(400);
        assertThat(server.get("/events?limit").statusCode()).isEqualTo(400);
        HttpResponse<String> welsh = server.get("/events?sort=nothing", "Accept-Language", "cy");
        assertThat(welsh.statusCode()).isEqualTo(400);
        assertThat(welsh.headers().firstValue("Content-Language")).contains("cy");
        assertThat(server.get("/events", "Accept", "application/ld+json").statusCode()).isEqualTo(406);
        assertThat(server.get("/nothing?limit=1").statusCode()).isEqualTo(404);
        assertThat(server.get("/events?limit=1", "X-Exchange-Preview", "1.forged").statusCode()).isEqualTo(403);
        assertThat(server.get("/events?limit=1&preview=1.forged").statusCode()).isEqualTo(403);
        // an escaped query and a search: the full chain (the search through its pool)
        assertThat(server.json(server.get("/events?status%5Bne%5D=postponed")).get("total").asInt()).isEqualTo(5);
        assertThat(server.get("/events?q=carers").statusCode()).isEqualTo(200);
        assertThat(server.get("/events?limit=3", "Origin", "https://elsewhere.example").statusCode()).isEqualTo(200);
        assertThat(coldLists()).as("none of these by the fast path").isEqualTo(cold);
    }
}
