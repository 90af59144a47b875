package wales.exchange.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** HTTP helpers for the intake tests: a server on a port, JSON posts, a contribution and a comment that are valid. */
final class IntakeClient {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The intake secret tests start servers with (status links survive a restart with it). */
    static final String SECRET = "intake-secret-0123456789abcdef-0123456789";
    /** A published demo event: a board for comments. */
    static final String EVENT = "901f7a1b-20f9-458c-9172-3f92ad923f8f";

    /**
     * A server in memory on {@code clock} for intake tests: no minimum fill time, the events board post-moderated,
     * SMTP off (notices wait in the outbox, the server's default).
     */
    static ExchangeServerExtension server(MutableClock clock) throws Exception {
        return new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000", "--intake-min-fill-seconds", "0",
                "--post-moderated-boards", "events", "--intake-secret", SECRET).withClock(clock).start();
    }
    final HttpClient http = HttpClient.newHttpClient();
    final int port;

    IntakeClient(int port) {
        this.port = port;
    }

    String url(String path) {
        return "http://localhost:" + port + ExchangeServerExtension.API + path;
    }

    HttpResponse<String> post(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> postBytes(String path, String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> delete(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).DELETE().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    String formToken() throws Exception {
        return json(get("/form-token")).get("formToken").asText();
    }

    /** A valid contribution with this email and title; extra fields override. */
    static String contribution(String token, String email, String title, Map<String, Object> extra) throws Exception {
        ObjectNode n = JSON.createObjectNode();
        n.put("category", "best-practice-example");
        n.put("title", title);
        n.put("description", "<p>How we kept <b>school</b> routines going.</p><script>alert(1)</script>");
        n.put("contributorName", "Alex Morgan");
        n.put("contributorEmail", email);
        n.put("contributorRole", "foster-carer");
        n.put("preferredLanguage", "en");
        n.put("consentToPublish", true);
        n.put("website", "");
        n.put("formToken", token);
        extra.forEach((k, v) -> n.set(k, JSON.valueToTree(v)));
        return JSON.writeValueAsString(n);
    }

    static String comment(String token, String email, String target, String body, Map<String, Object> extra) throws Exception {
        ObjectNode n = JSON.createObjectNode();
        n.put("target", target);
        n.put("displayName", "Sam");
        n.put("email", email);
        n.put("body", body);
        n.put("language", "en");
        n.put("formToken", token);
        extra.forEach((k, v) -> n.set(k, JSON.valueToTree(v)));
        return JSON.writeValueAsString(n);
    }
}
