package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.delivery.http.ResponseCache;

/**
 * Absolute URLs come from one trusted base, never from the request line; cached answers are keyed on what was
 * negotiated, never on raw headers, so neither a planted host nor a flood of distinct headers reaches other clients'
 * answers or the heap.
 */
class CachePoisoningTest {
    static final String SECURE = "901f7a1b-20f9-458c-9172-3f92ad923f8f";
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "100000");

    @Test
    void anAbsoluteFormRequestLineCannotPlantItsHostInACachedAnswer() throws Exception {
        String planted = server.raw("GET http://attacker.example/.rest/exchange/v1/events/" + SECURE + "?lang=cy HTTP/1.1\r\n"
                + "Host: localhost:" + server.port() + "\r\nAccept: application/ld+json").text();
        assertThat(planted).startsWith("HTTP/1.1 200").doesNotContain("attacker.example");
        assertThat(planted).contains("\"url\":\"http://localhost:" + server.port() + "/.rest/exchange/v1/events/" + SECURE + "\"");
        for (int i = 0; i < 2; i++) { // the second answer comes from the cache
            HttpResponse<String> later = server.get("/events/" + SECURE + "?lang=cy", "Accept", "application/ld+json");
            assertThat(later.statusCode()).isEqualTo(200);
            assertThat(later.body()).doesNotContain("attacker.example");
            assertThat(new ObjectMapper().readTree(later.body()).get("url").asText())
                    .isEqualTo("http://localhost:" + server.port() + "/.rest/exchange/v1/events/" + SECURE);
        }
    }

    @Test
    void anUntrustedHostGetsNoAbsoluteUrlsAndNoCacheEntry() throws Exception {
        String forwarded = server.raw("GET /.rest/exchange/v1/events/" + SECURE + "?jsonLd=true HTTP/1.1\r\n"
                + "Host: localhost:" + server.port() + "\r\nX-Forwarded-Host: attacker.example").text();
        assertThat(forwarded).startsWith("HTTP/1.1 200").doesNotContain("attacker.example");
        String answer = server.raw("GET /.rest/exchange/v1/events/" + SECURE + "?jsonLd=true HTTP/1.1\r\nHost: attacker.example").text();
        assertThat(answer).startsWith("HTTP/1.1 421").contains("application/problem+json").doesNotContain("attacker.example/");
    }

    @Test
    void distinctRawHeadersShareOneCacheEntry() throws Exception {
        ResponseCache cache = server.injector().getInstance(ResponseCache.class);
        server.get("/events/" + SECURE, "Accept-Language", "cy");
        int before = cache.size();
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> r = server.get("/events/" + SECURE, "Accept-Language", "cy;q=0.9, x-" + i + ";q=0.1, " + "en;q=0.0, ".repeat(300),
                    "Accept", "application/json, text/x-" + i + ";q=0.1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Language")).contains("cy");
        }
        assertThat(cache.size()).as("one entry for the negotiated (cy, JSON) answer").isLessThanOrEqualTo(before + 1);
        assertThat(cache.bytes()).isLessThan(200_000);
    }
}
