package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void aClientOverItsLimitGets429InItsLanguageWithRetryAfter() throws Exception {
        try (ExchangeServer server = ExchangeServer.start(new Settings(0, null, true, Set.of(), null, false, 5))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/.rest/exchange/v1/events"))
                    .header("Accept-Language", "cy").build();
            int ok = 0;
            HttpResponse<String> limited = null;
            for (int i = 0; i < 30 && limited == null; i++) {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 429) {
                    limited = r;
                } else {
                    assertThat(r.statusCode()).isEqualTo(200);
                    ok++;
                }
            }
            assertThat(ok).isBetween(10, 20); // burst of 2 x 5, plus what refilled meanwhile
            assertThat(limited).isNotNull();
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
            assertThat(limited.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(limited.body()).contains("terfyn ceisiadau");
            Thread.sleep(1100);
            assertThat(http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }
}
