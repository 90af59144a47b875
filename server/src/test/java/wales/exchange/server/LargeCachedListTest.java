package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.delivery.http.ResponseCache;

/**
 * A cached list longer than one of Undertow's pooled buffers (16,364 bytes) is copied from the response cache's ring into
 * several of them, and one longer than {@link FastPathHandler#MAX_POOLED} of them into one array: both answers are the
 * full path's bytes and headers.
 */
class LargeCachedListTest {
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "100000");

    @BeforeAll
    static void manyLongResources() throws Exception {
        String words = "Gofal a chymorth i blant a theuluoedd, care and support for children and families. ".repeat(23); // 1,955 characters
        server.withSession((s, svc) -> {
            for (int i = 0; i < 100; i++) {
                svc.create(s, "resource", Map.of(
                        "title", Map.of("en", "Long resource " + i, "cy", "Adnodd hir " + i),
                        "summary", Map.of("en", words, "cy", words),
                        "kind", "report", "moderationState", "published"), "editor");
            }
            return null;
        });
    }

    @Test
    void aCachedListInSeveralPooledBuffersOrInOneArrayIsTheFullPathsAnswer() throws Exception {
        ResponseCache cache = server.injector().getInstance(ResponseCache.class);
        String several = "/resources?lang=cy&kind=report&limit=10"; // about 21 KB: two of Undertow's 16,364-byte buffers
        String many = "/resources?lang=en&kind=report&limit=40";   // about 84 KB: more than MAX_POOLED of them
        for (String path : List.of(several, many)) {
            HttpResponse<String> first = server.get(path);
            assertThat(first.statusCode()).isEqualTo(200);
            long hits = cache.hits();
            long pooled = FastPathHandler.POOLED_ANSWERS.sum();
            long arrays = FastPathHandler.ARRAY_ANSWERS.sum();
            HttpResponse<String> second = server.get(path);
            assertThat(cache.hits()).as(path).isEqualTo(hits + 1);
            assertThat(second.body()).isEqualTo(first.body());
            assertThat(ListResponseCacheTest.headers(second)).isEqualTo(ListResponseCacheTest.headers(first));
            int length = first.body().getBytes(StandardCharsets.UTF_8).length;
            if (path.equals(several)) {
                assertThat(length).as("more than one buffer, at most the cap").isBetween(16_364 + 1, FastPathHandler.MAX_POOLED * 16_364);
                assertThat(FastPathHandler.POOLED_ANSWERS.sum()).as("sent from pooled buffers").isEqualTo(pooled + 1);
                assertThat(FastPathHandler.ARRAY_ANSWERS.sum()).isEqualTo(arrays);
            } else {
                assertThat(length).as("more than the pooled buffers a hit takes").isGreaterThan(FastPathHandler.MAX_POOLED * 16_364);
                assertThat(FastPathHandler.ARRAY_ANSWERS.sum()).as("sent from one array").isEqualTo(arrays + 1);
                assertThat(FastPathHandler.POOLED_ANSWERS.sum()).isEqualTo(pooled);
            }
        }
    }
}
