package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.content.Item;
import wales.exchange.delivery.http.ResponseCache;

/**
 * Public lists (searches too) are answered from the response cache like single items: the second request for the same
 * list comes from the cache with the same headers as the full path, a save makes the cached answer stale at once, and
 * cross-origin and preview requests are never answered from it.
 */
class ListResponseCacheTest {
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "100000");

    private static ResponseCache cache() {
        return server.injector().getInstance(ResponseCache.class);
    }

    /** The headers a client sees, without the ones that name the moment of sending (also used by LargeCachedListTest). */
    static Map<String, List<String>> headers(HttpResponse<String> r) {
        Map<String, List<String>> h = new TreeMap<>(r.headers().map());
        h.remove("date");
        return h;
    }

    @Test
    void aListIsAnsweredTwiceTheSecondTimeFromTheCacheAndChangesAfterAnEdit() throws Exception {
        String path = "/resources?kind=report&lang=cy&limit=5";
        long hits = cache().hits();
        HttpResponse<String> first = server.get(path);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(cache().hits()).as("the first answer takes the full path").isEqualTo(hits);
        HttpResponse<String> second = server.get(path);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(cache().hits()).as("the second comes from the cache").isEqualTo(hits + 1);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(headers(second)).isEqualTo(headers(first));
        assertThat(headers(first)).containsKeys("etag", "last-modified", "vary", "cache-control", "content-language", "content-type");

        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> notModified = server.get(path, "If-None-Match", etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(cache().hits()).isEqualTo(hits + 2);
        assertThat(notModified.headers().firstValue("Last-Modified")).isEqualTo(first.headers().firstValue("Last-Modified"));
        assertThat(notModified.headers().firstValue("Vary")).isEqualTo(first.headers().firstValue("Vary"));

        Item item = server.withSession((s, svc) -> svc.create(s, "resource", Map.of(
                "title", Map.of("en", "Cached lists see this at once", "cy", "Mae rhestrau yn gweld hyn ar unwaith"),
                "kind", "report", "moderationState", "published"), "editor"));
        try {
            HttpResponse<String> after = server.get(path, "If-None-Match", etag);
            assertThat(after.statusCode()).as("a save makes the cached list stale at once").isEqualTo(200);
            assertThat(after.body()).contains(item.id(), "Mae rhestrau yn gweld hyn ar unwaith");
            assertThat(after.headers().firstValue("ETag")).isNotEqualTo(first.headers().firstValue("ETag"));
            assertThat(cache().hits()).isEqualTo(hits + 2);
            HttpResponse<String> again = server.get(path);
            assertThat(cache().hits()).isEqualTo(hits + 3);
            assertThat(headers(again)).isEqualTo(headers(after));
            assertThat(again.body()).isEqualTo(after.body());
        } finally {
            server.withSession((s, svc) -> {
                svc.delete(s, "resource", item.id(), 1);
                return null;
            });
        }
        assertThat(server.get(path).body()).isEqualTo(first.body()).doesNotContain(item.id());
    }

    @Test
    void aSearchIsCachedToo() throws Exception {
        String path = "/events?q=gofalwyr&lang=cy";
        HttpResponse<String> first = server.get(path);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(server.json(first).get("total").asInt()).isPositive();
        long hits = cache().hits();
        HttpResponse<String> second = server.get(path);
        assertThat(cache().hits()).isEqualTo(hits + 1);
        assertThat(headers(second)).isEqualTo(headers(first));
        assertThat(second.body()).isEqualTo(first.body());
    }

    @Test
    void crossOriginAndPreviewListsAreNeverAnsweredFromTheCache() throws Exception {
        String path = "/events?lang=en&limit=3";
        server.get(path);
        server.get(path);
        long hits = cache().hits();
        HttpResponse<String> crossOrigin = server.get(path, "Origin", "https://elsewhere.example");
        assertThat(crossOrigin.statusCode()).isEqualTo(200);
        assertThat(server.get(path, "X-Exchange-Preview", "1.forged").statusCode()).isEqualTo(403);
        assertThat(server.get(path + "&preview=1.forged").statusCode()).isEqualTo(403);
        assertThat(cache().hits()).isEqualTo(hits);
        int size = cache().size();
        server.get("/events?lang=en&limit=4", "Origin", "https://elsewhere.example");
        assertThat(cache().size()).as("a cross-origin answer is not kept").isEqualTo(size);
    }

    @Test
    void aJsonListServedToAClientPreferringJsonLdIsNeverTheAnswerToAJsonLdOnlyClient() throws Exception {
        String path = "/resources?limit=3&kind=report";
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = server.get(path, "Accept", "application/ld+json, application/json;q=0.5");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        }
        HttpResponse<String> ldOnly = server.get(path, "Accept", "application/ld+json");
        assertThat(ldOnly.statusCode()).as("the full path's answer, not a cached JSON list").isEqualTo(406);
    }
}
