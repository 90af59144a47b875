package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The moderation routes of {@code openapi.json} against real responses: every route, its successes and its problems
 * (401, 403, 400, 404, 405, 409, 413, 422, 428), validated against the schema the document declares for the path, method,
 * status and media type, with the declared required headers; every documented query parameter is accepted.
 */
class ModerationContractTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000");
    private static JsonNode doc;
    private final List<String> problems = new ArrayList<>();

    @BeforeAll
    static void readTheDocument() throws Exception {
        doc = MAPPER.readTree(server.get("/openapi.json").body());
    }

    private static String auth(String user) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + server.server().demoUsers().get(user))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private HttpResponse<String> expect(int status, String method, String template, String id, String query, String user,
                                        String body, String... headers) throws Exception {
        String path = template.replace("{id}", id == null ? "x" : id);
        HttpResponse<String> r = send(method, path.substring("/moderation".length()) + (query == null ? "" : "?" + query),
                user == null ? null : auth(user), body, headers);
        String where = method + " " + path + (query == null ? "" : "?" + query) + " → " + r.statusCode();
        if (r.statusCode() != status) {
            problems.add(where + ": expected " + status + ": " + r.body());
            return r;
        }
        JsonNode op = doc.path("paths").path(template).path(method.toLowerCase());
        if (op.isMissingNode() && status != 405) {
            problems.add(where + ": not documented");
            return r;
        }
        if (op.isMissingNode()) { // a 405 on a documented path: declared by the path's other operation
            op = doc.path("paths").path(template).elements().next();
        }
        JsonNode declared = op.path("responses").path(Integer.toString(status));
        if (declared.isMissingNode()) {
            problems.add(where + ": status not declared");
            return r;
        }
        declared = resolve(declared);
        declared.path("headers").fields().forEachRemaining(h -> {
            JsonNode header = resolve(h.getValue());
            var value = r.headers().firstValue(h.getKey());
            if (value.isEmpty()) {
                if (header.path("required").asBoolean()) {
                    problems.add(where + ": required header " + h.getKey() + " missing");
                }
                return;
            }
            for (ValidationMessage m : schema(header.path("schema")).validate(TextNode.valueOf(value.get()))) {
                problems.add(where + ": header " + h.getKey() + ": " + m.getMessage());
            }
        });
        String mediaType = r.headers().firstValue("Content-Type").orElse("").split(";")[0].strip();
        JsonNode content = declared.path("content").path(mediaType);
        if (content.isMissingNode()) {
            problems.add(where + ": media type " + mediaType + " not declared");
            return r;
        }
        for (ValidationMessage m : schema(content.path("schema")).validate(MAPPER.readTree(r.body()))) {
            problems.add(where + ": " + m.getMessage());
        }
        return r;
    }

    @Test
    void everyModerationRouteAnswersAsDocumented() throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", Map.of("en", "Contract", "cy", "Contract (cy)"));
        v.put("kind", "report");
        v.put("moderationState", "draft");
        String id = server.withSession((s, content) -> content.create(s, "resource", v, "editor").id());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("category", "other");
        c.put("title", "A contribution");
        c.put("description", "About it");
        c.put("contributorName", "Someone");
        c.put("contributorEmail", "someone@example.org");
        c.put("preferredLanguage", "cy");
        c.put("consentToPublish", true);
        String contribution = server.withSession((s, content) -> content.create(s, "contribution", c, null).id());
        String none = "00000000-0000-4000-8000-000000000000";
        String item = "/moderation/items/{id}";

        // every documented query parameter with its example
        JsonNode queueOp = doc.path("paths").path("/moderation/queue").path("get");
        for (JsonNode p : queueOp.path("parameters")) {
            JsonNode param = resolve(p);
            if (param.path("in").asText().equals("query")) {
                expect(200, "GET", "/moderation/queue", null, param.path("name").asText() + "=" + param.path("example").asText(), "moderator1", null);
            } else {
                expect(200, "GET", "/moderation/queue", null, null, "moderator1", null, param.path("name").asText(), param.path("example").asText());
            }
        }
        expect(200, "GET", "/moderation/queue", null, "type=contribution&language=cy&assignee=none&olderThan=PT0S&limit=5&lang=cy", "moderator2", null);
        expect(400, "GET", "/moderation/queue", null, "limit=0&state=x", "moderator1", null);
        expect(401, "GET", "/moderation/queue", null, null, null, null);
        expect(403, "GET", "/moderation/queue", null, null, "editor", null);

        expect(200, "GET", item, id, null, "editor", null);
        expect(200, "GET", item, id, "lang=cy", "moderator1", null);
        expect(404, "GET", item, none, null, "moderator1", null);
        expect(401, "GET", item, id, null, null, null);
        expect(400, "GET", item, id, "x=1", "moderator1", null);
        expect(200, "GET", item + "/history", id, null, "moderator1", null);
        expect(405, "DELETE", item + "/history", id, null, "moderator1", null);
        expect(405, "PUT", item + "/history", id, null, "moderator1", "{}");

        String transitions = item + "/transitions";
        expect(200, "POST", transitions, id, null, "editor", "{\"to\":\"in-review\",\"revision\":1}");
        expect(403, "POST", transitions, id, null, "editor", "{\"to\":\"approved\",\"revision\":2}");
        expect(403, "POST", transitions, id, null, "editor", "{\"to\":\"approved\",\"revision\":2}", "Accept-Language", "cy");
        expect(409, "POST", transitions, id, null, "moderator1", "{\"to\":\"approved\",\"revision\":1}");
        expect(409, "POST", transitions, id, null, "moderator1", "{\"to\":\"withdrawn\",\"revision\":1}");
        expect(422, "POST", transitions, id, null, "moderator1", "{\"to\":\"rejected\",\"revision\":2}");
        expect(400, "POST", transitions, id, null, "moderator1", "{\"to\":1}");
        expect(400, "POST", transitions, id, null, "moderator1", "[]");
        expect(413, "POST", transitions, id, null, "moderator1", "{\"reason\":\"" + "x".repeat(70_000) + "\"}");
        expect(404, "POST", transitions, none, null, "moderator1", "{\"to\":\"approved\",\"revision\":1}");
        expect(200, "POST", transitions, id, null, "moderator1", "{\"to\":\"approved\",\"revision\":2}");
        expect(409, "POST", transitions, id, null, "moderator1", "{\"to\":\"draft\",\"revision\":3}");

        expect(201, "POST", item + "/notes", id, null, "moderator1", "{\"text\":\"A note.\"}");
        expect(400, "POST", item + "/notes", id, null, "moderator1", "{}");
        expect(200, "POST", item + "/claim", id, null, "moderator1", null);
        expect(409, "POST", item + "/claim", id, null, "moderator2", null);
        expect(200, "PUT", item + "/assignee", id, null, "moderator1", "{\"assignee\":\"moderator2\"}");
        expect(422, "PUT", item + "/assignee", id, null, "moderator1", "{\"assignee\":\"nobody\"}");
        expect(200, "PUT", item + "/assignee", id, null, "moderator1", "{\"assignee\":null}");
        OffsetDateTime later = OffsetDateTime.now().plusDays(1);
        expect(200, "PUT", item + "/schedule", id, null, "moderator1", "{\"publishAt\":\"" + later + "\"}");
        expect(422, "PUT", item + "/schedule", id, null, "moderator1", "{\"publishAt\":\"" + later + "\",\"unpublishAt\":\"" + later.minusHours(1) + "\"}");
        expect(400, "PUT", item + "/schedule", id, null, "moderator1", "{\"publishAt\":\"tomorrow\"}");
        expect(200, "PUT", item + "/schedule", id, null, "moderator1", "{\"publishAt\":null}");
        expect(200, "POST", transitions, id, null, "moderator2", "{\"to\":\"published\",\"revision\":3}");
        expect(200, "GET", item, id, null, "moderator2", null);

        expect(409, "PATCH", item, id, null, "moderator1", "{\"summary\":{\"en\":\"Too late\"}}", "If-Match", "\"4\"");

        // edits (a contribution in review)
        expect(200, "PATCH", item, contribution, null, "moderator2", "{\"title\":\"A better title\"}", "If-Match", "\"1\"");
        expect(409, "PATCH", item, contribution, null, "moderator2", "{\"title\":\"Stale\"}", "If-Match", "\"1\"");
        expect(428, "PATCH", item, contribution, null, "editor", "{\"title\":\"x\"}");
        expect(428, "PATCH", item, contribution, "lang=cy", "editor", "{\"title\":\"x\"}");
        expect(400, "PATCH", item, contribution, null, "editor", "{\"title\":\"x\"}", "If-Match", "*");
        expect(400, "PATCH", item, contribution, null, "editor", "{}", "If-Match", "\"2\"");
        expect(422, "PATCH", item, contribution, null, "editor", "{\"contributorEmail\":\"x@example.org\"}", "If-Match", "\"2\"");
        expect(422, "PATCH", item, contribution, "lang=cy", "editor", "{\"category\":\"poem\",\"links\":[\"nope\"]}", "If-Match", "\"2\"");
        expect(401, "PATCH", item, contribution, null, null, "{\"title\":\"x\"}", "If-Match", "\"2\"");
        expect(404, "PATCH", item, none, null, "editor", "{\"title\":\"x\"}", "If-Match", "\"1\"");
        expect(413, "PATCH", item, contribution, null, "editor", "{\"title\":\"" + "x".repeat(70_000) + "\"}", "If-Match", "\"2\"");
        expect(200, "GET", item + "/history", contribution, null, "editor", null);

        expect(409, "POST", item + "/conversions", contribution, null, "editor", "{\"type\":\"resource\"}");
        expect(200, "POST", transitions, contribution, null, "moderator1", "{\"to\":\"approved\",\"revision\":2}");
        expect(201, "POST", item + "/conversions", contribution, null, "editor", "{\"type\":\"resource\"}");
        expect(400, "POST", item + "/conversions", contribution, null, "editor", "{\"type\":\"event\"}");
        assertThat(problems).isEmpty();
    }

    static HttpResponse<String> send(String method, String path, String authorization, String body, String... headers) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/moderation" + path)))
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.send(b.build());
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode n = node;
        for (int i = 0; i < 10 && n.has("$ref"); i++) {
            n = doc.at(n.get("$ref").asText().substring(1));
        }
        return n;
    }

    private static JsonSchema schema(JsonNode schema) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("$defs", rewriteRefs(doc.at("/components/schemas")));
        rewriteRefs(schema).fields().forEachRemaining(f -> root.set(f.getKey(), f.getValue()));
        return SCHEMAS.getSchema(root, CONFIG);
    }

    private static JsonNode rewriteRefs(JsonNode node) {
        JsonNode copy = node.deepCopy();
        rewrite(copy);
        return copy;
    }

    private static void rewrite(JsonNode n) {
        if (n instanceof ObjectNode o) {
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
                o.put("$ref", "#/$defs/" + ref.asText().substring("#/components/schemas/".length()));
            }
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
                rewrite(it.next());
            }
        } else if (n != null && n.isArray()) {
            n.forEach(ModerationContractTest::rewrite);
        }
    }
}
