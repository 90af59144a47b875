package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.content.ContentService;
import wales.exchange.moderation.ModerationService;
import wales.exchange.moderation.UserStore;

/**
 * Property-based fuzzing of the moderation API with and without credentials: random methods, routes, ids, query
 * parameters and JSON bodies (hostile strings, wrong types, unknown fields, broken JSON, huge numbers). Properties: no
 * 5xx, no stack trace or HTML, every body JSON or a problem; afterwards every moderation record is named by an item id
 * and the users are the demo users (no input became a node name). Seeded and bounded: {@code -Dfuzz.requests=N},
 * {@code -Dfuzz.seed=S}.
 */
class ModerationFuzzTest {
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 1000);
    static final long SEED = Long.getLong("fuzz.seed", 20261130L);
    static final long MAX_MILLIS = Long.getLong("fuzz.millis", 120_000L);
    static final String[] ROUTES = {"queue", "items/{id}", "items/{id}/history", "items/{id}/transitions", "items/{id}/notes",
        "items/{id}/claim", "items/{id}/assignee", "items/{id}/schedule", "items/{id}/conversions", "items", "", "items/{id}/x"};
    static final String[] OWN_METHOD = {"GET", "GET", "GET", "POST", "POST", "POST", "PUT", "PUT", "POST"};
    static final String[] METHODS = {"GET", "GET", "POST", "POST", "POST", "PUT", "PUT", "DELETE", "PATCH"};
    static final String[] NAMES = {"type", "state", "language", "assignee", "olderThan", "newerThan", "offset", "limit", "lang",
        "x", "type%5Bin%5D", ""};
    static final String[] STRINGS = {"", " ", "en", "cy", "draft", "in-review", "approved", "published", "rejected", "withdrawn",
        "archived", "resource", "caseStudy", "event", "contribution", "comment", "moderator1", "moderator2", "editor", "admin",
        "me", "none", "P2D", "PT-1H", "P99999999999D", "2026-01-01T00:00:00Z", "2026-13-01", "'] | //*[@a='", "../../x",
        "/exchange-moderation/users/x", "a/b", "x".repeat(3000), "\u0000", "\u202e", "<script>", "%00", "[", "*", "' or 1=1",
        "jcr:root", "nt:unstructured", "{\"a\":1}"};
    static final String[] FIELDS = {"to", "revision", "reason", "text", "assignee", "publishAt", "unpublishAt", "type", "history",
        "values", "state", "id", "jcr:primaryType", "__proto__"};

    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000");

    @Test
    void noAnswerIsA5xxOrAStackTraceAndNoInputBecomesANodeName() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("title", Map.of("en", "Fuzz " + i, "cy", "Fuzz cy " + i));
            v.put("kind", "report");
            v.put("moderationState", i % 2 == 0 ? "draft" : "in-review");
            ids.add(server.withSession((s, content) -> content.create(s, "resource", v, "editor").id()));
        }
        ids.addAll(List.of("00000000-0000-4000-8000-000000000000", "nope", "%2e%2e", "x".repeat(200), "%00", "é", "a%2Fb"));
        Map<String, String> users = server.server().demoUsers();
        String[] auths = {null, basic("moderator1", users.get("moderator1")), basic("moderator2", users.get("moderator2")),
            basic("moderator1", users.get("moderator1")), basic("moderator2", users.get("moderator2")),
            basic("editor", users.get("editor")), basic("moderator1", "wrong"), "Basic %%%", basic("a:b", "c"), "Digest x"};
        Random random = new Random(SEED);
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> faults = new ArrayList<>();
        int sent = 0;
        for (; sent < REQUESTS && System.currentTimeMillis() < deadline; sent++) {
            int route = random.nextInt(ROUTES.length);
            // mostly the route's own method, so that most requests get past routing to the checks behind it
            String method = random.nextInt(5) == 0 || route >= OWN_METHOD.length ? pick(random, METHODS) : OWN_METHOD[route];
            String path = ROUTES[route].replace("{id}", ids.get(random.nextInt(ids.size())));
            StringBuilder query = new StringBuilder();
            for (int q = random.nextInt(3); q > 0; q--) {
                query.append(query.length() == 0 ? "?" : "&").append(pick(random, NAMES)).append('=')
                        .append(java.net.URLEncoder.encode(pick(random, STRINGS), StandardCharsets.UTF_8));
            }
            String body = method.equals("GET") && random.nextInt(4) > 0 ? null : body(random);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/moderation/" + path + query)))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            String auth = auths[random.nextInt(auths.length)];
            if (auth != null) {
                b.header("Authorization", auth);
            }
            if (body != null && random.nextInt(8) > 0) {
                b.header("Content-Type", random.nextInt(6) == 0 ? "text/plain" : "application/json");
            }
            HttpResponse<String> r = server.send(b.build());
            statuses.merge(r.statusCode(), 1, Integer::sum);
            String type = r.headers().firstValue("Content-Type").orElse("");
            String where = method + " " + path + query + " " + auth + " " + body + " → " + r.statusCode() + " " + r.body();
            if (r.statusCode() >= 500 || r.body().contains("Exception") || r.body().contains("\tat ")
                    || r.body().toLowerCase(java.util.Locale.ROOT).contains("<html")
                    || !r.body().isEmpty() && !type.startsWith("application/json") && !type.startsWith("application/problem+json")) {
                faults.add(where.length() > 600 ? where.substring(0, 600) : where);
            }
        }
        System.out.println("moderation fuzz: " + sent + " requests (seed " + SEED + "), statuses " + statuses);
        assertThat(faults).isEmpty();
        assertThat(sent).isGreaterThanOrEqualTo(Math.min(REQUESTS, 200));
        server.withSession((s, content) -> {
            if (s.nodeExists(ModerationService.ROOT)) {
                for (NodeIterator it = s.getNode(ModerationService.ROOT).getNodes(); it.hasNext(); ) {
                    Node n = it.nextNode();
                    assertThat(ContentService.isId(n.getName())).as(n.getPath()).isTrue();
                    assertThat(ids).contains(n.getName());
                }
            }
            List<String> names = new ArrayList<>();
            for (NodeIterator it = s.getNode(UserStore.ROOT).getNodes(); it.hasNext(); ) {
                names.add(it.nextNode().getName());
            }
            assertThat(names).containsExactlyInAnyOrder("moderator1", "moderator2", "editor");
            return null;
        });
    }

    private static String body(Random random) {
        switch (random.nextInt(10)) {
            case 0:
                return pick(random, STRINGS);
            case 1:
                return "[1,2,3]";
            case 2:
                return "{\"to\":";
            default:
                StringBuilder b = new StringBuilder("{");
                for (int f = random.nextInt(4); f >= 0; f--) {
                    b.append('"').append(pick(random, FIELDS)).append("\":").append(value(random)).append(f > 0 ? "," : "");
                }
                return b.append('}').toString();
        }
    }

    private static String value(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> Integer.toString(random.nextInt(6));
            case 1 -> "99999999999999999999999";
            case 2 -> "null";
            case 3 -> "true";
            case 4 -> "[\"a\"]";
            case 5 -> "{\"cy\":\"x\"}";
            case 6 -> "-1.5";
            default -> com.fasterxml.jackson.databind.node.TextNode.valueOf(pick(random, STRINGS)).toString();
        };
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String pick(Random random, String[] from) {
        return from[random.nextInt(from.length)];
    }
}
