package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.http.DeliveryEndpoint;
import wales.exchange.delivery.http.HealthEndpoint;
import wales.exchange.comments.CommentsEndpoint;
import wales.exchange.intake.IntakeEndpoint;
import wales.exchange.delivery.http.PreviewTokens;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;
import wales.exchange.moderation.http.ModerationEndpoint;

/**
 * The published contract, {@code GET /.rest/exchange/v1/openapi.json}, against the real server: the document is a
 * well-formed OpenAPI 3.1 description of every route the server has, every real response (lists, items in both
 * languages, previews, JSON-LD, iCalendar, 304s and problems) validates against the schema the document declares for
 * its path, status and media type (JSON Schema 2020-12), and every documented parameter is accepted.
 */
class OpenApiContractTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String BASE_PATH = "/.rest/exchange/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    /** In memory, demo content; a rate limit well above the few hundred requests made here. */
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--preview-secret", SECRET, "--rate-limit", "1000000",
            "--intake-min-fill-seconds", "0");
    private static JsonNode doc;
    private static String token;
    private static String draftId;
    private static final Map<String, JsonSchema> compiled = new HashMap<>();

    /** What a contract check saw: the response and every disagreement with the document. */
    private record Checked(HttpResponse<String> response, List<String> problems) {
        int status() {
            return response.statusCode();
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(response.body());
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + response.body(), e);
            }
        }
    }

    @BeforeAll
    static void addContentAndReadTheDocument() throws Exception {
        addContent();
        token = server.injector().getInstance(PreviewTokens.class).issue(Duration.ofHours(1));
        HttpResponse<String> r = send("/openapi.json", Map.of());
        assertThat(r.statusCode()).as("GET /openapi.json: %s", r.body()).isEqualTo(200);
        doc = MAPPER.readTree(r.body());
    }

    /**
     * Content the demo set lacks, so that every shape the renderer can produce is exercised: a case study with related
     * resources, an upcoming mixed-mode event with speakers and Welsh-only fields, a Welsh-original resource with every
     * field set, and a draft (visible only with a preview token).
     */
    private static void addContent() throws Exception {
        server.withSession((s, content) -> {
            String demoResource = content.list(s, "resource", 0, 1).get(0).id();
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("title", Map.of("cy", "Lleisiau pobl ifanc â phrofiad o ofal"));
            resource.put("summary", Map.of("cy", "Adroddiad am gyfranogiad.", "en", "A report on participation."));
            resource.put("body", Map.of("cy", "<p>Corff yr adroddiad.</p>"));
            resource.put("kind", "policy-report");
            resource.put("audiences", List.of("parent", "care-experienced-young-person"));
            resource.put("topics", List.of("participation"));
            resource.put("link", "https://example.org/lleisiau");
            resource.put("file", "jcr:0b7c1f7e-2a51-4d1e-9a55-0c5c1c4f2d10");
            resource.put("authors", List.of("Jones, A.", "Evans, B."));
            resource.put("publisher", "Voices from Care Cymru");
            resource.put("publicationDate", "2024-03-12T10:00:00+00:00");
            resource.put("originalLanguage", "cy");
            resource.put("licence", "CC BY 4.0");
            resource.put("doi", "10.1000/xyz123");
            resource.put("moderationState", "published");
            String welsh = content.create(s, "resource", resource, "contract-test").id();

            Map<String, Object> draft = new LinkedHashMap<>();
            draft.put("title", Map.of("en", "A draft resource"));
            draft.put("kind", "other");
            draft.put("moderationState", "draft");
            draftId = content.create(s, "resource", draft, "contract-test").id();

            Map<String, Object> caseStudy = new LinkedHashMap<>();
            caseStudy.put("title", Map.of("en", "Homework clubs in Cardiff", "cy", "Clybiau gwaith cartref yng Nghaerdydd"));
            caseStudy.put("summary", Map.of("en", "How a homework club supported looked-after children."));
            caseStudy.put("body", Map.of("en", "<p>What was done.</p>", "cy", "<p>Beth a wnaed.</p>"));
            caseStudy.put("organisation", "Cardiff Council");
            caseStudy.put("region", "Cardiff");
            caseStudy.put("audiences", List.of("teacher", "foster-carer"));
            caseStudy.put("topics", List.of("education"));
            caseStudy.put("outcomes", Map.of("cy", "Gwell presenoldeb."));
            caseStudy.put("relatedResources", List.of(welsh, demoResource));
            caseStudy.put("consentToPublish", true);
            caseStudy.put("moderationState", "published");
            content.create(s, "caseStudy", caseStudy, "contract-test");

            OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).truncatedTo(ChronoUnit.HOURS);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("title", Map.of("en", "Care and education: what next?", "cy", "Gofal ac addysg: beth nesaf?"));
            event.put("summary", Map.of("cy", "Sgwrs am ofal ac addysg."));
            event.put("description", Map.of("en", "<p>A conversation.</p>"));
            event.put("startDate", start.toString());
            event.put("endDate", start.plusHours(2).toString());
            event.put("allDay", false);
            event.put("status", "rescheduled");
            event.put("previousStartDate", start.minusDays(7).toString());
            event.put("attendanceMode", "mixed");
            event.put("venue", Map.of("en", "Cardiff University", "cy", "Prifysgol Caerdydd"));
            event.put("onlineLink", "https://example.org/join");
            event.put("registrationLink", "https://example.org/register");
            event.put("speakers", List.of(Map.of("name", "Dr Example", "affiliation", Map.of("en", "Cardiff University"), "role", "chair"),
                    Map.of("name", "Ms Sample")));
            event.put("organizer", "ExChange Wales (CASCADE, Cardiff University)");
            event.put("series", "Care and education");
            event.put("recordingLink", "https://example.org/recording");
            event.put("recordingCaptions", true);
            event.put("free", false);
            event.put("languages", List.of("cy", "en"));
            event.put("audiences", List.of("teacher"));
            event.put("topics", List.of("education"));
            event.put("contentNote", Map.of("en", "Discusses care experience."));
            event.put("moderationState", "published");
            content.create(s, "event", event, "contract-test");
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------------ the document

    @Test
    void documentIsOpenApi31AndEveryRefResolves() {
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("info").path("title").isTextual()).isTrue();
        assertThat(doc.path("info").path("version").isTextual()).isTrue();
        assertThat(doc.path("servers").path(0).path("url").asText()).isEqualTo(BASE_PATH);
        List<String> problems = new ArrayList<>();
        walk(doc, "#", (pointer, node) -> {
            JsonNode ref = node.get("$ref");
            if (ref != null) {
                if (!ref.isTextual() || !ref.asText().startsWith("#/")) {
                    problems.add(pointer + ": $ref " + ref + " is not local");
                } else if (doc.at(ref.asText().substring(1)).isMissingNode()) {
                    problems.add(pointer + ": $ref " + ref.asText() + " does not resolve");
                }
            }
        });
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String where = op.getKey().toUpperCase() + " " + path.getKey();
            if (!op.getKey().equals("get") && !path.getKey().startsWith("/moderation/") && !INTAKE_WRITES.contains(where)) {
                problems.add(where + ": the API is read-only (GET only) outside the moderation API and the public intake");
            }
            if (!op.getValue().path("responses").isObject() || op.getValue().path("responses").isEmpty()) {
                problems.add(where + ": no responses");
            }
            Set<String> seen = new LinkedHashSet<>();
            Set<String> pathParams = new TreeSet<>();
            for (JsonNode p : op.getValue().path("parameters")) {
                JsonNode param = resolve(p);
                if (!param.path("name").isTextual() || !param.path("in").isTextual() || !param.path("schema").isObject()) {
                    problems.add(where + ": parameter without name, in or schema: " + param);
                }
                if (!seen.add(param.path("in").asText() + ":" + param.path("name").asText())) {
                    problems.add(where + ": parameter " + param.path("name").asText() + " declared twice");
                }
                if (param.path("in").asText().equals("path")) {
                    pathParams.add(param.path("name").asText());
                    if (!param.path("required").asBoolean()) {
                        problems.add(where + ": path parameter " + param.path("name").asText() + " must be required");
                    }
                }
            }
            Set<String> templated = new TreeSet<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
            while (m.find()) {
                templated.add(m.group(1));
            }
            if (!templated.equals(pathParams)) {
                problems.add(where + ": path parameters " + pathParams + " do not match the template " + templated);
            }
        }));
        assertThat(problems).isEmpty();
    }

    /** The write operations of the public intake (docs/contributions.md): the rest of the API is read-only. */
    static final Set<String> INTAKE_WRITES = Set.of("POST /contributions", "POST /contributions/attachments", "POST /comments",
            "POST /comments/{id}/reports", "DELETE /submissions/{token}");

    @Test
    void intakeResponsesMatchTheDeclaredSchemas() throws Exception {
        IntakeClient c = new IntakeClient(server.port());
        List<String> problems = new ArrayList<>();
        java.util.function.BiConsumer<String, HttpResponse<String>> post = (path, r) -> problems.addAll(validate("post", path, Map.of(), r).problems());
        // a form token, then a contribution accepted (no minimum fill time on this server)
        HttpResponse<String> form = c.get("/form-token");
        problems.addAll(validate("get", "/form-token", Map.of(), form).problems());
        String formToken = IntakeClient.json(form).get("formToken").asText();
        HttpResponse<String> up = c.postBytes("/contributions/attachments", "text/plain", "notes".getBytes(StandardCharsets.UTF_8));
        post.accept("/contributions/attachments", up);
        post.accept("/contributions/attachments", c.postBytes("/contributions/attachments", "image/png", "notes".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> ok = c.post("/contributions", IntakeClient.contribution(formToken, "contract@example.org", "Contract",
                Map.of("attachment", IntakeClient.json(up).get("attachment").asText())));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
        post.accept("/contributions", ok);
        post.accept("/contributions", c.post("/contributions", IntakeClient.contribution(formToken, "contract@example.org", "Contract", Map.of())));
        post.accept("/contributions", c.post("/contributions", IntakeClient.contribution(formToken, "bad", "", Map.of("x", 1)), "Accept-Language", "cy"));
        post.accept("/contributions", c.post("/contributions", "{"));
        post.accept("/contributions", c.postBytes("/contributions", "text/plain", "hi".getBytes(StandardCharsets.UTF_8)));
        post.accept("/contributions", c.post("/contributions", "{\"a\":\"" + "x".repeat(70_000) + "\"}"));
        String token = IntakeClient.json(ok).get("token").asText();
        for (String path : List.of("/submissions/" + token, "/submissions/" + token + "?lang=cy", "/submissions/" + token + "/data",
                "/submissions/nope", "/submissions/nope/data")) {
            problems.addAll(validate("get", path, Map.of(), c.get(path)).problems());
        }
        // comments: a board, an item's list, reports
        String event = IntakeClient.json(c.get("/events")).at("/items/0/id").asText();
        post.accept("/comments", c.post("/comments", IntakeClient.comment(formToken, "c1@example.org", event, "Hello", Map.of())));
        post.accept("/comments", c.post("/comments", IntakeClient.comment(formToken, "c2@example.org", "nowhere", "Hello", Map.of())));
        server.withSession((s, svc) -> {
            var q = s.getWorkspace().getQueryManager().createQuery("SELECT * FROM [exchange:comment] AS c WHERE c.[target] = $t",
                    javax.jcr.query.Query.JCR_SQL2);
            q.bindValue("t", s.getValueFactory().createValue(event));
            var n = q.execute().getNodes().nextNode();
            n.setProperty("moderationState", "published");
            s.save();
            return null;
        });
        HttpResponse<String> list = c.get("/events/" + event + "/comments");
        problems.addAll(validate("get", "/events/" + event + "/comments", Map.of(), list).problems());
        assertThat(IntakeClient.json(list).get("total").asInt()).isPositive();
        problems.addAll(validate("get", "/events/nope/comments", Map.of(), c.get("/events/nope/comments")).problems());
        String comment = IntakeClient.json(list).at("/comments/0/id").asText();
        post.accept("/comments/" + comment + "/reports", c.post("/comments/" + comment + "/reports", "{\"reason\":\"spam\"}"));
        post.accept("/comments/x/reports", c.post("/comments/x/reports", ""));
        problems.addAll(validate("delete", "/submissions/" + token, Map.of(), c.delete("/submissions/" + token)).problems());
        problems.addAll(validate("delete", "/submissions/" + token, Map.of(), c.delete("/submissions/" + token)).problems());
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRouteOfTheServerIsDocumentedAndNothingElse() {
        DeliveryConfig config = server.injector().getInstance(DeliveryConfig.class);
        ContentModel model = server.injector().getInstance(ContentModel.class);
        Set<String> routes = new TreeSet<>();
        for (Class<?> endpoint : List.of(DeliveryEndpoint.class, HealthEndpoint.class, ModerationEndpoint.class,
                IntakeEndpoint.Contributions.class, IntakeEndpoint.Comments.class, IntakeEndpoint.FormToken.class,
                IntakeEndpoint.Submissions.class, CommentsEndpoint.class)) {
            String root = endpoint.getAnnotation(Path.class).value().replaceFirst("^/?exchange/v1", "");
            for (Method method : endpoint.getMethods()) {
                if (method.getAnnotation(jakarta.ws.rs.GET.class) == null && method.getAnnotation(jakarta.ws.rs.POST.class) == null
                        && method.getAnnotation(jakarta.ws.rs.PUT.class) == null && method.getAnnotation(jakarta.ws.rs.DELETE.class) == null
                        && method.getAnnotation(jakarta.ws.rs.PATCH.class) == null) {
                    continue;
                }
                Path p = method.getAnnotation(Path.class);
                String route = (root + (p == null ? "" : "/" + p.value().replaceFirst("^/", ""))).replaceFirst("(.)/$", "$1");
                if (route.contains("{segment}")) {
                    for (String type : config.publicTypes()) {
                        routes.add(route.replace("{segment}", config.segment(model.get(type))));
                    }
                } else {
                    routes.add(route);
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).isEqualTo(routes);
    }

    @Test
    void everyFilterablePropertyOfTheModelIsADocumentedListParameter() {
        DeliveryConfig config = server.injector().getInstance(DeliveryConfig.class);
        ContentModel model = server.injector().getInstance(ContentModel.class);
        List<String> missing = new ArrayList<>();
        for (String typeName : config.publicTypes()) {
            ContentType type = model.get(typeName);
            Set<String> names = queryParameterNames(operation("/" + config.segment(type)));
            for (PropertyDef p : type.properties()) {
                boolean filterable = !p.privateField() && !p.i18n() && p.type() != PropertyType.RICH_TEXT
                        && p.type() != PropertyType.SUB_MODEL && p.type() != PropertyType.ASSET;
                if (filterable && !names.contains(p.name())) {
                    missing.add(typeName + "." + p.name());
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ real responses

    @Test
    void realResponsesMatchTheDeclaredSchemas() throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, String> none = Map.of();
        Map<String, String> preview = Map.of(DeliveryEndpoint.PREVIEW_HEADER, token);
        Map<String, String> welsh = Map.of("Accept-Language", "cy-GB, en;q=0.5");
        Map<String, String> ld = Map.of("Accept", "application/ld+json");

        problems.addAll(expect(200, "/health", none).problems());
        problems.addAll(expect(200, "/openapi.json", none).problems());
        problems.addAll(expect(200, "/", none).problems());
        problems.addAll(expect(200, "/?lang=cy", none).problems());
        problems.addAll(expect(200, "/", welsh).problems());

        Map<String, List<String>> ids = new LinkedHashMap<>();
        List<String> undated = new ArrayList<>();
        for (String seg : List.of("resources", "events", "case-studies")) {
            Checked list = expect(200, "/" + seg + "?limit=100", none);
            problems.addAll(list.problems());
            List<String> found = new ArrayList<>();
            list.json().path("items").forEach(i -> found.add(i.path("id").asText()));
            list.json().path("items").forEach(i -> {
                if (i.has("startDate") && i.path("startDate").isNull()) {
                    undated.add(i.path("id").asText());
                }
            });
            assertThat(found).as("%s has items", seg).isNotEmpty();
            ids.put(seg, found);
            problems.addAll(expect(200, "/" + seg, none).problems());
            problems.addAll(expect(200, "/" + seg + "?lang=cy", none).problems());
            problems.addAll(expect(200, "/" + seg + "?limit=2&offset=1", welsh).problems());
            problems.addAll(expect(200, "/" + seg + "?sort=-title&lang=cy", none).problems());
            problems.addAll(expect(200, "/" + seg + "?q=" + enc("addysg") + "&lang=cy", none).problems());
            problems.addAll(expect(200, "/" + seg + "?q=" + enc("educating children"), none).problems());
            problems.addAll(expect(200, "/" + seg + "?audiences" + enc("[in]") + "=teacher,parent&topics=education", none).problems());
            problems.addAll(expect(200, "/" + seg + "?limit=100", preview).problems());
            problems.addAll(expect(200, "/" + seg + "?limit=100&preview=" + enc(token) + "&lang=cy", none).problems());
        }
        problems.addAll(expect(200, "/resources?kind=report", none).problems());
        problems.addAll(expect(200, "/resources?kind" + enc("[in]") + "=report,film&publicationDate" + enc("[gte]")
                + "=2015-01-01&sort=-publicationDate&lang=cy", none).problems());
        problems.addAll(expect(200, "/resources?originalLanguage=cy&moderationState" + enc("[ne]") + "=withdrawn", none).problems());
        problems.addAll(expect(200, "/events?status" + enc("[ne]") + "=cancelled&attendanceMode=mixed&languages=cy", none).problems());
        problems.addAll(expect(200, "/events?series=DEEP", none).problems());
        problems.addAll(expect(200, "/events?past=false&lang=cy", none).problems());
        problems.addAll(expect(200, "/events?past=true&sort=startDate", none).problems());
        problems.addAll(expect(200, "/events?from=2020-01-01&to=" + enc("2021-06-01T00:00:00+01:00"), none).problems());
        problems.addAll(expect(200, "/events?startDate" + enc("[lt]") + "=2021-01-01T12:00", none).problems());
        problems.addAll(expect(200, "/case-studies?region=Cardiff&lang=cy", none).problems());
        problems.addAll(expect(200, "/case-studies?relatedResources=" + ids.get("resources").get(0), none).problems());

        List<String> previewIds = new ArrayList<>();
        expect(200, "/resources?limit=100", preview).json().path("items").forEach(i -> previewIds.add(i.path("id").asText()));
        assertThat(previewIds).contains(draftId);
        assertThat(ids.get("resources")).doesNotContain(draftId);

        for (Map.Entry<String, List<String>> e : ids.entrySet()) {
            for (String id : e.getValue()) {
                String item = "/" + e.getKey() + "/" + id;
                problems.addAll(expect(200, item, none).problems());
                problems.addAll(expect(200, item + "?lang=cy", none).problems());
                problems.addAll(expect(200, item, welsh).problems());
                problems.addAll(expect(200, item + "?jsonLd=true&lang=cy", none).problems());
                problems.addAll(expect(200, item + "?jsonLd=true", preview).problems());
                problems.addAll(expect(200, item, ld).problems());
                problems.addAll(expect(200, item + "?lang=cy", ld).problems());
                problems.addAll(expect(200, item, preview).problems());
            }
        }
        problems.addAll(expect(200, "/resources/" + draftId + "?lang=cy", preview).problems());
        problems.addAll(expect(200, "/resources/" + draftId + "?preview=" + enc(token) + "&jsonLd=true", none).problems());

        problems.addAll(expect(200, "/events.ics", none).problems());
        problems.addAll(expect(200, "/events.ics?lang=cy&past=false", none).problems());
        problems.addAll(expect(200, "/events.ics?from=2030-01-01", none).problems());
        assertThat(undated).isNotEmpty();
        for (String id : ids.get("events")) {
            int status = undated.contains(id) ? 404 : 200; // an undated event has no calendar entry
            problems.addAll(expect(status, "/events/" + id + ".ics", none).problems());
            problems.addAll(expect(status, "/events/" + id + ".ics?lang=cy", preview).problems());
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void errorsAndConditionalResponsesMatchTheDeclaredSchemas() {
        List<String> problems = new ArrayList<>();
        Map<String, String> none = Map.of();
        String resource = firstId("resources");
        String event = firstId("events");

        Checked bad = expect(400, "/resources?limit=0&offset=-1&sort=body&kind" + enc("[gt]") + "=report&kind=nope&foo=1", none);
        problems.addAll(bad.problems());
        assertThat(bad.json().path("errors").size()).isEqualTo(6);
        problems.addAll(expect(400, "/resources?lang=de", none).problems());
        problems.addAll(expect(400, "/resources?q=a&q=b", Map.of("Accept-Language", "cy")).problems());
        problems.addAll(expect(400, "/events?past=maybe&from=yesterday&startDate" + enc("[xx]") + "=1&lang=cy", none).problems());
        problems.addAll(expect(400, "/case-studies?q=" + "x".repeat(201), none).problems());
        problems.addAll(expect(400, "/resources/" + resource + "?jsonLd=yes", none).problems());
        problems.addAll(expect(400, "/resources/" + resource + "?q=x&lang=cy", none).problems());
        problems.addAll(expect(400, "/events.ics?limit=101", none).problems());
        problems.addAll(expect(400, "/events/" + event + ".ics?lang=xx", none).problems());

        problems.addAll(expect(404, "/resources/00000000-0000-0000-0000-000000000000", none).problems());
        problems.addAll(expect(404, "/case-studies/nope?lang=cy", none).problems());
        problems.addAll(expect(404, "/events/" + resource, none).problems());
        problems.addAll(expect(404, "/events/nope.ics", Map.of("Accept-Language", "cy")).problems());
        problems.addAll(expect(404, "/resources/" + draftId, none).problems());
        problems.addAll(expect(400, "/openapi.json?lang=en&lang=cy", none).problems());
        problems.addAll(expect(400, "/?colour=blue", none).problems());

        problems.addAll(expect(403, "/resources", Map.of(DeliveryEndpoint.PREVIEW_HEADER, "123.forged")).problems());
        problems.addAll(expect(403, "/events/" + event + "?preview=1.x&lang=cy", none).problems());
        problems.addAll(expect(403, "/events.ics?preview=1.x", none).problems());

        problems.addAll(expect(406, "/events", Map.of("Accept", "application/ld+json")).problems());

        // the transport's own problems (EdgeHandler), on documented routes
        problems.addAll(expect(400, "/events?q=%C3%28", none).problems());
        problems.addAll(expect(400, "/events/%00", Map.of("Accept-Language", "cy")).problems());
        problems.addAll(expect(400, "/health?x=%FF", none).problems());
        problems.addAll(expect(414, "/events?q=" + "x".repeat(9000), none).problems());
        problems.addAll(expect(431, "/resources", Map.of("X-Big", "a".repeat(17_000))).problems());
        problems.addAll(expect(431, "/openapi.json", Map.of("X-Big", "a".repeat(17_000), "Accept-Language", "cy")).problems());

        for (String path : List.of("/resources?lang=cy", "/resources/" + resource, "/events.ics", "/events/" + event + ".ics",
                "/openapi.json", "/")) {
            Checked first = expect(200, path, none);
            problems.addAll(first.problems());
            String etag = first.response().headers().firstValue("ETag").orElseThrow();
            problems.addAll(expect(304, path, Map.of("If-None-Match", etag)).problems());
            problems.addAll(expect(304, path, Map.of("If-None-Match", "\"other\", W/" + etag)).problems());
            first.response().headers().firstValue("Last-Modified").ifPresent(lm ->
                    problems.addAll(expect(304, path, Map.of("If-Modified-Since", lm)).problems()));
        }
        problems.addAll(expect(200, "/resources", Map.of("If-None-Match", "\"00000000000000000000000000000000\"")).problems());
        assertThat(problems).isEmpty();
    }

    /** Every documented query and header parameter, with its documented example, is accepted. */
    @Test
    void everyDocumentedParameterIsAccepted() {
        List<String> problems = new ArrayList<>();
        Map<String, String> realIds = Map.of("resources", firstId("resources"), "events", firstId("events"),
                "case-studies", firstId("case-studies"));
        doc.path("paths").fields().forEachRemaining(e -> {
            String template = e.getKey();
            if (template.startsWith("/moderation/")) {
                return; // needs credentials: ModerationContractTest
            }
            String[] parts = template.split("/");
            String segment = parts.length > 1 ? parts[1].replace(".ics", "") : "";
            String path = template.replace("{id}", realIds.getOrDefault(segment, "x"));
            JsonNode op = e.getValue().path("get");
            if (!op.isObject() || template.contains("{token}")) {
                return; // writes, and the status routes, are checked in intakeResponsesMatchTheDeclaredSchemas
            }
            int accepted = 0;
            for (JsonNode p : op.path("parameters")) {
                JsonNode param = resolve(p);
                String name = param.path("name").asText();
                String in = param.path("in").asText();
                if (in.equals("path")) {
                    continue;
                }
                String value = name.equals("preview") || name.equals(DeliveryEndpoint.PREVIEW_HEADER) ? token : example(param);
                if (value == null) {
                    problems.add(template + ": parameter " + name + " has no example to try");
                    continue;
                }
                Checked c = in.equals("query")
                        ? check(path + (path.contains("?") ? "&" : "?") + enc(name) + "=" + enc(value), Map.of())
                        : check(path, Map.of(name, value));
                problems.addAll(c.problems());
                if (c.status() != 200 && c.status() != 304) {
                    problems.add(template + ": documented parameter " + name + "=" + value + " gave " + c.status() + " " + c.response().body());
                }
                accepted++;
            }
            assertThat(accepted).as("parameters tried on %s", template).isEqualTo(op.path("parameters").size()
                    - (template.contains("{id}") ? 1 : 0));
            if (template.matches("/(resources|events|case-studies)(\\.ics)?")) {
                Checked c = check(path + "?undocumented=1", Map.of());
                problems.addAll(c.problems());
                if (c.status() != 400) {
                    problems.add(template + ": an undocumented parameter gave " + c.status() + ", not 400");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String firstId(String segment) {
        try {
            JsonNode list = MAPPER.readTree(send("/" + segment, Map.of()).body());
            return list.path("items").path(0).path("id").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Checked expect(int status, String pathAndQuery, Map<String, String> headers) {
        Checked c = check(pathAndQuery, headers);
        if (c.status() != status) {
            List<String> p = new ArrayList<>(c.problems());
            p.add("GET " + pathAndQuery + " " + headers + ": expected " + status + ", got " + c.status() + " " + c.response().body());
            return new Checked(c.response(), p);
        }
        return c;
    }

    /** Sends the request and checks the response against the document's declaration for its path, status and type. */
    private static Checked check(String pathAndQuery, Map<String, String> headers) {
        return validate("get", pathAndQuery, headers, send(pathAndQuery, headers));
    }

    /** Checks a response to {@code method} (lower case) against the document's declaration for its path, status and type. */
    private static Checked validate(String method, String pathAndQuery, Map<String, String> headers, HttpResponse<String> r) {
        List<String> problems = new ArrayList<>();
        String where = method.toUpperCase(java.util.Locale.ROOT) + " " + pathAndQuery + " " + headers + " → " + r.statusCode();
        String path = pathAndQuery.replaceFirst("\\?.*", "");
        String template = template(path);
        if (template == null) {
            problems.add(where + ": no documented path matches " + path);
            return new Checked(r, problems);
        }
        JsonNode op = doc.path("paths").path(template).path(method);
        if (!op.isObject()) {
            problems.add(where + ": " + method + " not documented for " + template);
            return new Checked(r, problems);
        }
        JsonNode responses = op.path("responses");
        JsonNode declared = responses.has(Integer.toString(r.statusCode())) ? responses.get(Integer.toString(r.statusCode()))
                : responses.get("default");
        if (declared == null) {
            problems.add(where + ": status not declared for " + template);
            return new Checked(r, problems);
        }
        declared = resolve(declared);
        String pointer = "#/paths/" + template.replace("~", "~0").replace("/", "~1") + "/" + method + "/responses/" + r.statusCode();
        declared.path("headers").fields().forEachRemaining(h -> {
            JsonNode header = resolve(h.getValue());
            java.util.Optional<String> value = r.headers().firstValue(h.getKey());
            if (value.isEmpty()) {
                if (header.path("required").asBoolean()) {
                    problems.add(where + ": required header " + h.getKey() + " missing");
                }
                return;
            }
            for (ValidationMessage m : schema(pointer + "/headers/" + h.getKey(), header.path("schema")).validate(TextNode.valueOf(value.get()))) {
                problems.add(where + ": header " + h.getKey() + ": " + m.getMessage());
            }
        });
        JsonNode content = declared.path("content");
        String contentType = r.headers().firstValue("Content-Type").orElse(null);
        if (content.isMissingNode() || content.isEmpty()) {
            if (!r.body().isEmpty()) {
                problems.add(where + ": a body where none is declared");
            }
            return new Checked(r, problems);
        }
        if (contentType == null) {
            problems.add(where + ": no Content-Type");
            return new Checked(r, problems);
        }
        String mediaType = contentType.split(";")[0].strip();
        if (!content.has(mediaType)) {
            problems.add(where + ": media type " + mediaType + " not declared (declared: " + content + ")");
            return new Checked(r, problems);
        }
        JsonNode body;
        if (mediaType.equals("text/calendar")) {
            body = TextNode.valueOf(r.body());
        } else {
            try {
                body = MAPPER.readTree(r.body());
            } catch (Exception e) {
                problems.add(where + ": body is not JSON: " + e.getMessage());
                return new Checked(r, problems);
            }
        }
        JsonSchema schema = schema(pointer + "/content/" + mediaType, content.get(mediaType).path("schema"));
        for (ValidationMessage m : schema.validate(body)) {
            problems.add(where + ": " + m.getMessage());
        }
        return new Checked(r, problems);
    }

    /** A standalone 2020-12 schema: the given one with the document's component schemas as {@code $defs}. */
    private static JsonSchema schema(String key, JsonNode schema) {
        return compiled.computeIfAbsent(key, k -> {
            ObjectNode root = MAPPER.createObjectNode();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.set("$defs", rewriteRefs(doc.at("/components/schemas")));
            JsonNode own = rewriteRefs(schema);
            own.fields().forEachRemaining(f -> root.set(f.getKey(), f.getValue()));
            return SCHEMAS.getSchema(root, CONFIG);
        });
    }

    private static JsonNode rewriteRefs(JsonNode node) {
        JsonNode copy = node.deepCopy();
        walk(copy, "#", (pointer, n) -> {
            JsonNode ref = n.get("$ref");
            if (ref != null && ref.isTextual()) {
                if (!ref.asText().startsWith("#/components/schemas/")) {
                    throw new AssertionError(pointer + ": a schema may only refer to #/components/schemas/: " + ref);
                }
                ((ObjectNode) n).put("$ref", "#/$defs/" + ref.asText().substring("#/components/schemas/".length()));
            }
        });
        return copy;
    }

    private interface Visitor {
        void visit(String pointer, ObjectNode node);
    }

    private static void walk(JsonNode node, String pointer, Visitor visitor) {
        if (node instanceof ObjectNode o) {
            visitor.visit(pointer, o);
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                walk(f.getValue(), pointer + "/" + f.getKey(), visitor);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                walk(a.get(i), pointer + "/" + i, visitor);
            }
        }
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode n = node;
        for (int i = 0; i < 10 && n.has("$ref"); i++) {
            n = doc.at(n.get("$ref").asText().substring(1));
        }
        if (n.isMissingNode()) {
            throw new AssertionError("unresolvable " + node);
        }
        return n;
    }

    private static JsonNode operation(String template) {
        JsonNode op = doc.path("paths").path(template).path("get");
        assertThat(op.isObject()).as("GET %s documented", template).isTrue();
        return op;
    }

    private static Set<String> queryParameterNames(JsonNode operation) {
        Set<String> names = new TreeSet<>();
        for (JsonNode p : operation.path("parameters")) {
            JsonNode param = resolve(p);
            if (param.path("in").asText().equals("query")) {
                names.add(param.path("name").asText());
            }
        }
        return names;
    }

    /** The documented path template matching a request path (relative to the server URL): the one with most literal characters, as JAX-RS picks. */
    private static String template(String path) {
        String best = null;
        int bestLiteral = -1;
        for (Iterator<String> it = doc.path("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            String regex = Pattern.quote(t).replace("{id}", "\\E[^/]+\\Q").replace("{token}", "\\E[^/]+\\Q");
            if (path.matches(regex)) {
                int literal = t.replaceAll("\\{[^}]+}", "").length();
                if (literal > bestLiteral) {
                    best = t;
                    bestLiteral = literal;
                }
            }
        }
        return best;
    }

    private static String example(JsonNode param) {
        JsonNode v = param.has("example") ? param.get("example")
                : param.path("schema").has("default") ? param.path("schema").get("default")
                : param.path("schema").path("enum").path(0);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static HttpResponse<String> send(String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(pathAndQuery))).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(b::header);
        try {
            return server.send(b.build());
        } catch (Exception e) {
            throw new AssertionError("GET " + pathAndQuery + " failed", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
