package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    /** Requests from {@code from} until the first 429; returns how many were let through (at most 100). */
    static int allowedUntil429(ExchangeServerExtension server, String from, String request) throws Exception {
        for (int i = 0; i < 100; i++) {
            RawHttp.Answer a = server.raw(from, request);
            if (a.status() == 429) {
                assertThat(a.header("Content-Type")).startsWith("application/problem+json");
                assertThat(a.header("Retry-After")).isNotNull();
                return i;
            }
        }
        return 100;
    }

    @Test
    void everyRequestIsLimitedOnceWhateverItsPathOrMethod() throws Exception {
        // 127.0.0.1 is a trusted proxy here; the other loopback addresses are ordinary clients
        try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--no-demo",
                "--rate-limit", "5", "--trusted-proxies", "127.0.0.1", "--cors-origins", "https://frontend.example").start()) {
            String preflight = "OPTIONS /.rest/exchange/v1/events HTTP/1.1\r\nHost: x\r\nOrigin: https://frontend.example\r\n"
                    + "Access-Control-Request-Method: GET\r\n";
            assertThat(allowedUntil429(server, "127.0.0.2", preflight)).as("CORS preflights").isBetween(10, 20);
            assertThat(allowedUntil429(server, "127.0.0.3", "GET /foo HTTP/1.1\r\nHost: x\r\n")).as("paths outside /.rest").isBetween(10, 20);
            assertThat(allowedUntil429(server, "127.0.0.4", "TRACE / HTTP/1.1\r\nHost: x\r\n")).as("refused methods").isBetween(10, 20);
            // charged once per request, not once by the edge and again by the JAX-RS chain
            assertThat(allowedUntil429(server, "127.0.0.5", "GET /.rest/exchange/v1/events HTTP/1.1\r\nHost: x\r\n")).isBetween(10, 20);

            // an untrusted peer cannot get a fresh bucket by forging X-Forwarded-For or Forwarded
            assertThat(allowedUntil429(server, "127.0.0.6", "GET /foo HTTP/1.1\r\nHost: x\r\n")).isBetween(10, 20);
            for (String forged : List.of("X-Forwarded-For: 203.0.113.7", "X-Forwarded-For: 203.0.113.8, 127.0.0.1", "Forwarded: for=203.0.113.9")) {
                assertThat(server.raw("127.0.0.6", "GET /foo HTTP/1.1\r\nHost: x\r\n" + forged + "\r\n").status())
                        .as(forged).isEqualTo(429);
            }

            // behind the trusted proxy, each forwarded client has its own bucket: the right-most address not a proxy
            assertThat(allowedUntil429(server, "127.0.0.1", "GET /foo HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.1\r\n")).isBetween(10, 20);
            assertThat(server.raw("127.0.0.1", "GET /foo HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.2\r\n").status()).isEqualTo(404);
            // what the client wrote left of the proxy's entry does not change who it is
            assertThat(server.raw("127.0.0.1", "GET /foo HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 192.0.2.99, 198.51.100.1\r\n")
                    .status()).isEqualTo(429);
            // a client's own Forwarded header, passed through by an X-Forwarded-For proxy, does not choose its bucket
            assertThat(server.raw("127.0.0.1", "GET /foo HTTP/1.1\r\nHost: x\r\nForwarded: for=198.51.100.77\r\n"
                    + "X-Forwarded-For: 198.51.100.1\r\n").status()).isEqualTo(429);
        }
    }

    @Test
    void aClientOverItsLimitGets429InItsLanguageWithRetryAfter() throws Exception {
        try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--no-demo", "--rate-limit", "5").start()) {
            int ok = 0;
            HttpResponse<String> limited = null;
            for (int i = 0; i < 30 && limited == null; i++) {
                HttpResponse<String> r = server.get("/events", "Accept-Language", "cy");
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
            // the bucket refills within the seconds Retry-After names: wait exactly that, on the clock
            Waits.until(java.time.Instant.now().plusSeconds(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())));
            assertThat(server.get("/events", "Accept-Language", "cy").statusCode()).isEqualTo(200);
        }
    }
}
