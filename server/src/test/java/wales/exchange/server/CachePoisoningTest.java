package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wales.exchange.delivery.ResponseCache;

/**
 * Absolute URLs come from one trusted base, never from the request line; cached answers are keyed on what was
 * negotiated, never on raw headers, so neither a planted host nor a flood of distinct headers reaches other clients'
 * answers or the heap.
 */
class CachePoisoningTest {
    static final String SECURE = "901f7a1b-20f9-458c-9172-3f92ad923f8f";
    static ExchangeServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = ExchangeServer.start(Settings.parse(new String[] {"--in-memory", "--port", "0", "--rate-limit", "100000"}, Map.of()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String raw(String requestLine, String... headers) throws Exception {
        try (Socket s = new Socket("localhost", server.port())) {
            OutputStream out = s.getOutputStream();
            StringBuilder req = new StringBuilder(requestLine).append("\r\nHost: localhost:").append(server.port()).append("\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/.rest/exchange/v1" + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAbsoluteFormRequestLineCannotPlantItsHostInACachedAnswer() throws Exception {
        String planted = raw("GET http://attacker.example/.rest/exchange/v1/events/" + SECURE + "?lang=cy HTTP/1.1",
                "Accept: application/ld+json");
        assertThat(planted).startsWith("HTTP/1.1 200").doesNotContain("attacker.example");
        assertThat(planted).contains("\"url\":\"http://localhost:" + server.port() + "/.rest/exchange/v1/events/" + SECURE + "\"");
        for (int i = 0; i < 2; i++) { // the second answer comes from the cache
            HttpResponse<String> later = get("/events/" + SECURE + "?lang=cy", "Accept", "application/ld+json");
            assertThat(later.statusCode()).isEqualTo(200);
            assertThat(later.body()).doesNotContain("attacker.example");
            assertThat(new ObjectMapper().readTree(later.body()).get("url").asText())
                    .isEqualTo("http://localhost:" + server.port() + "/.rest/exchange/v1/events/" + SECURE);
        }
    }

    @Test
    void anUntrustedHostGetsNoAbsoluteUrlsAndNoCacheEntry() throws Exception {
        String forwarded = raw("GET /.rest/exchange/v1/events/" + SECURE + "?jsonLd=true HTTP/1.1", "X-Forwarded-Host: attacker.example");
        assertThat(forwarded).startsWith("HTTP/1.1 200").doesNotContain("attacker.example");
        try (Socket s = new Socket("localhost", server.port())) {
            s.getOutputStream().write(("GET /.rest/exchange/v1/events/" + SECURE + "?jsonLd=true HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 421").contains("application/problem+json").doesNotContain("attacker.example/");
        }
    }

    @Test
    void distinctRawHeadersShareOneCacheEntry() throws Exception {
        ResponseCache cache = server.injector().getInstance(ResponseCache.class);
        get("/events/" + SECURE, "Accept-Language", "cy");
        int before = cache.size();
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> r = get("/events/" + SECURE, "Accept-Language", "cy;q=0.9, x-" + i + ";q=0.1, " + "en;q=0.0, ".repeat(300),
                    "Accept", "application/json, text/x-" + i + ";q=0.1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Language")).contains("cy");
        }
        assertThat(cache.size()).as("one entry for the negotiated (cy, JSON) answer").isLessThanOrEqualTo(before + 1);
        assertThat(cache.bytes()).isLessThan(200_000);
    }
}
