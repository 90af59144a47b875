package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The moderation API against the real server on real Jackrabbit: authentication and roles, the workflow's
 * transitions and rules, concurrency, audit, notes, claim/assign, the queue's filters, schedules (by moving the
 * clock) and conversion, and that every write shows in the delivery API at once.
 */
class ModerationApiTest {
    static final MutableClock CLOCK = new MutableClock(Instant.now());
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000")
            .withClock(CLOCK);
    static final String M1 = "moderator1";
    static final String M2 = "moderator2";
    static final String ED = "editor";

    // ------------------------------------------------------------------------------------------------ helpers

    static String auth(String user) {
        return auth(user, server.server().demoUsers().get(user));
    }

    static String auth(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> call(String method, String path, String authorization, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/moderation" + path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
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

    static HttpResponse<String> as(String user, String method, String path, String body) throws Exception {
        return call(method, path, auth(user), body);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return server.json(r);
    }

    static long revision(String id) throws Exception {
        return json(as(M1, "GET", "/items/" + id, null)).get("revision").asLong();
    }

    static HttpResponse<String> move(String user, String id, String to, String reason) throws Exception {
        return as(user, "POST", "/items/" + id + "/transitions", "{\"to\":\"" + to + "\",\"revision\":" + revision(id)
                + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}");
    }

    static String resource(String by, Map<String, Object> title, String state) throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", title);
        v.put("kind", "report");
        v.put("moderationState", state);
        return server.withSession((s, content) -> content.create(s, "resource", v, by).id());
    }

    static String contribution(String language, String title) throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("category", "best-practice-example");
        v.put("title", title);
        v.put("description", "What we did in our setting.");
        v.put("links", List.of("https://example.org/practice"));
        v.put("contributorName", "A Contributor");
        v.put("contributorEmail", "a@example.org");
        v.put("preferredLanguage", language);
        v.put("consentToPublish", true);
        return server.withSession((s, content) -> content.create(s, "contribution", v, null).id());
    }

    static final Map<String, Object> BILINGUAL = Map.of("en", "A bilingual report", "cy", "Adroddiad dwyieithog");

    static void assertProblem(HttpResponse<String> r, int status, String kind) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(json(r).get("type").asText()).endsWith("/" + kind);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void withoutCredentials401AndWithTheWrongRole403RevealingNothing() throws Exception {
        String id = resource(ED, BILINGUAL, "draft");
        List<HttpResponse<String>> unauthorized = List.of(
                call("GET", "/queue", null, null),
                call("GET", "/items/" + id, null, null),
                call("GET", "/items/" + id, auth(M1, "wrong password"), null),
                call("GET", "/items/" + id, auth("nobody", "wrong password"), null),
                call("GET", "/items/" + id, "Basic !!!", null),
                call("GET", "/items/" + id, "Bearer abc", null),
                call("POST", "/items/" + id + "/transitions", null, "{\"to\":\"in-review\",\"revision\":1}"));
        String firstBody = null;
        for (HttpResponse<String> r : unauthorized) {
            assertProblem(r, 401, "unauthorized");
            assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic realm=");
            // the instance is the path the client sent; nothing else names the item or the user
            String body = json(r).deepCopy().toString().replaceAll("\"instance\":\"[^\"]*\"", "");
            assertThat(body).doesNotContain(id).doesNotContain("moderator1").doesNotContain("nobody").doesNotContain("bilingual");
            firstBody = firstBody == null ? body : firstBody;
            assertThat(body).as("unknown user and wrong password answer alike").isEqualTo(firstBody);
        }
        HttpResponse<String> cy = call("GET", "/queue?lang=cy", null, null);
        assertThat(json(cy).get("title").asText()).isEqualTo("Mewngofnodwch i ddefnyddio hwn.");
        assertThat(cy.headers().firstValue("Content-Language")).contains("cy");

        // an editor may not see the queue, notes, claim or assign, nor decide: one 403, naming nothing
        HttpResponse<String> queue = as(ED, "GET", "/queue", null);
        assertProblem(queue, 403, "notPermitted");
        HttpResponse<String> claimMissing = as(ED, "POST", "/items/00000000-0000-4000-8000-000000000000/claim", null);
        assertProblem(claimMissing, 403, "notPermitted");
        assertThat(json(claimMissing).get("detail")).isEqualTo(json(queue).get("detail"));
        assertThat(move(ED, id, "in-review", null).statusCode()).isEqualTo(200);
        HttpResponse<String> approve = move(ED, id, "approved", null);
        assertProblem(approve, 403, "notPermitted");
        assertThat(json(approve).toString().replace(json(approve).get("instance").asText(), ""))
                .doesNotContain(id).doesNotContain("moderator").doesNotContain("in-review");
        assertProblem(as(ED, "POST", "/items/" + id + "/notes", "{\"text\":\"x\"}"), 403, "notPermitted");
    }

    @Test
    void draftToPublishedAndBackShowsInDeliveryAtOnceWithAnAuditTrail() throws Exception {
        String id = resource(ED, BILINGUAL, "draft");
        assertThat(server.get("/resources/" + id).statusCode()).isEqualTo(404);
        assertThat(move(ED, id, "in-review", null).statusCode()).isEqualTo(200);
        HttpResponse<String> approved = move(M1, id, "approved", null);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(json(approved).get("state").asText()).isEqualTo("approved");
        assertThat(server.get("/resources/" + id).statusCode()).as("approved is not published").isEqualTo(404);
        HttpResponse<String> published = move(M1, id, "published", null);
        assertThat(published.statusCode()).isEqualTo(200);
        assertThat(published.headers().firstValue("Cache-Control")).contains("no-store");
        HttpResponse<String> delivered = server.get("/resources/" + id + "?lang=cy");
        assertThat(delivered.statusCode()).as("published shows at once").isEqualTo(200);
        assertThat(json(delivered).get("title").asText()).isEqualTo("Adroddiad dwyieithog");
        assertThat(json(server.get("/resources?limit=100")).toString()).contains(id);

        assertThat(move(M2, id, "withdrawn", "Out of date").statusCode()).isEqualTo(200);
        assertThat(server.get("/resources/" + id).statusCode()).as("unpublished goes at once").isEqualTo(404);
        assertThat(json(server.get("/resources?limit=100")).toString()).doesNotContain(id);

        JsonNode history = json(as(M1, "GET", "/items/" + id + "/history", null)).get("history");
        List<String> steps = new ArrayList<>();
        history.forEach(h -> steps.add(h.get("actor").asText() + ":" + h.get("from").asText() + ">" + h.get("to").asText()));
        assertThat(steps).containsExactly("editor:draft>in-review", "moderator1:in-review>approved", "moderator1:approved>published",
                "moderator2:published>withdrawn");
        assertThat(history.get(3).get("reason").asText()).isEqualTo("Out of date");
        assertThat(OffsetDateTime.parse(history.get(0).get("at").asText())).isNotNull();
    }

    @Test
    void fourEyesNobodyApprovesTheirOwnSubmission() throws Exception {
        String id = resource(M1, BILINGUAL, "draft");
        assertThat(move(M1, id, "in-review", null).statusCode()).isEqualTo(200);
        HttpResponse<String> own = move(M1, id, "approved", null);
        assertProblem(own, 403, "fourEyes");
        assertProblem(move(M1, id, "published", null), 403, "fourEyes");
        assertThat(json(call("POST", "/items/" + id + "/transitions", auth(M1), "{\"to\":\"approved\",\"revision\":" + revision(id) + "}",
                "Accept-Language", "cy")).get("title").asText()).isEqualTo("Rhaid i rywun arall gymeradwyo hyn.");
        assertThat(move(M2, id, "approved", null).statusCode()).isEqualTo(200);
    }

    @Test
    void rejectionNeedsAReasonAndInvalidTransitionsAreRefusedClearly() throws Exception {
        String id = resource(ED, BILINGUAL, "draft");
        HttpResponse<String> skip = move(M1, id, "published", null);
        assertProblem(skip, 409, "invalidTransition");
        assertThat(json(skip).get("detail").asText()).contains("allowedTransitions");
        HttpResponse<String> skipCy = call("POST", "/items/" + id + "/transitions?lang=cy", auth(M1),
                "{\"to\":\"approved\",\"revision\":" + revision(id) + "}");
        assertThat(json(skipCy).get("title").asText()).isEqualTo("Ni all yr eitem hon symud i’r cyflwr hwnnw.");
        assertProblem(as(M1, "POST", "/items/" + id + "/transitions", "{\"to\":\"gone\",\"revision\":1}"), 400, "invalidBody");
        assertProblem(as(M1, "POST", "/items/" + id + "/transitions", "{\"to\":\"in-review\"}"), 400, "invalidBody");
        assertProblem(as(M1, "POST", "/items/" + id + "/transitions", "not json"), 400, "invalidBody");

        assertThat(move(ED, id, "in-review", null).statusCode()).isEqualTo(200);
        for (String reason : new String[] {null, "  "}) {
            HttpResponse<String> r = move(M1, id, "rejected", reason);
            assertProblem(r, 422, "reasonRequired");
            assertThat(json(r).get("errors").get(0).get("field").asText()).isEqualTo("reason");
        }
        assertThat(json(as(M1, "GET", "/items/" + id, null)).get("state").asText()).as("nothing changed").isEqualTo("in-review");
        HttpResponse<String> rejected = move(M1, id, "rejected", "Not in scope");
        assertThat(json(rejected).get("state").asText()).isEqualTo("rejected");
        assertThat(json(rejected).get("history").get(1).get("reason").asText()).isEqualTo("Not in scope");
        assertProblem(as(M1, "GET", "/items/00000000-0000-4000-8000-000000000000", null), 404, "notFound");
        assertProblem(as(M1, "GET", "/items/nope", null), 404, "notFound");
    }

    @Test
    void approvalWaitsForTheWelshUnlessExternalMaterialMarkedWithItsLanguage() throws Exception {
        String id = resource(ED, Map.of("en", "English only"), "in-review");
        HttpResponse<String> r = move(M1, id, "approved", null);
        assertProblem(r, 422, "welshMissing");
        assertThat(json(r).get("errors").get(0).get("field").asText()).isEqualTo("title.cy");
        assertThat(json(call("POST", "/items/" + id + "/transitions", auth(M1), "{\"to\":\"approved\",\"revision\":" + revision(id) + "}",
                "Accept-Language", "cy")).get("errors").get(0).get("message").asText()).isEqualTo("Rhowch destun Cymraeg y maes hwn.");
        assertThat(json(as(M1, "GET", "/items/" + id, null)).get("missingWelsh").toString()).isEqualTo("[\"title\"]");
        // rejecting is still possible
        assertThat(move(M1, id, "rejected", "Needs Welsh").statusCode()).isEqualTo(200);

        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", Map.of("en", "A journal article"));
        v.put("kind", "academic-literature");
        v.put("link", "https://example.org/article");
        v.put("originalLanguage", "en");
        v.put("moderationState", "in-review");
        String external = server.withSession((s, content) -> content.create(s, "resource", v, ED).id());
        assertThat(move(M1, external, "published", null).statusCode()).isEqualTo(200);
        assertThat(server.get("/resources/" + external).statusCode()).isEqualTo(200);
    }

    @Test
    void twoModeratorsAtOnceOneWinsTheOtherGets409() throws Exception {
        for (int round = 0; round < 3; round++) {
            String id = resource(ED, BILINGUAL, "in-review");
            long rev = revision(id);
            CountDownLatch ready = new CountDownLatch(2);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (String[] who : new String[][] {{M1, "approved", ""}, {M2, "rejected", ",\"reason\":\"No\""}}) {
                    Callable<HttpResponse<String>> c = () -> {
                        ready.countDown();
                        go.await();
                        return as(who[0], "POST", "/items/" + id + "/transitions", "{\"to\":\"" + who[1] + "\",\"revision\":" + rev + who[2] + "}");
                    };
                    answers.add(pool.submit(c));
                }
                ready.await();
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<HttpResponse<String>> f : answers) {
                    HttpResponse<String> r = f.get();
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 409) {
                        assertProblem(r, 409, "conflict");
                    }
                }
                assertThat(statuses).containsExactlyInAnyOrder(200, 409);
                JsonNode detail = json(as(M1, "GET", "/items/" + id, null));
                assertThat(detail.get("revision").asLong()).isEqualTo(rev + 1);
                assertThat(detail.get("history").size()).as("one decision, one audit entry").isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void theAuditTrailCannotBeEditedThroughTheApi() throws Exception {
        String id = resource(ED, BILINGUAL, "draft");
        move(ED, id, "in-review", null);
        for (String method : new String[] {"PUT", "DELETE", "POST", "PATCH"}) {
            HttpResponse<String> r = as(M1, method, "/items/" + id + "/history", "{\"history\":[]}");
            assertProblem(r, 405, "methodNotAllowed");
            assertThat(r.headers().firstValue("Allow").orElseThrow()).doesNotContain("POST").doesNotContain("PUT").doesNotContain("DELETE");
            assertThat(json(r).get("title").asText()).doesNotContain("read-only");
            assertThat(json(r).get("detail").asText()).contains("audit trail");
        }
        assertProblem(as(M1, "PUT", "/items/" + id, "{}"), 405, "methodNotAllowed");
        assertProblem(as(M1, "POST", "/items/" + id + "/transitions",
                "{\"to\":\"approved\",\"revision\":" + revision(id) + ",\"history\":[]}"), 400, "invalidBody");
        assertThat(json(as(M1, "GET", "/items/" + id + "/history", null)).get("history")).hasSize(1);
    }

    @Test
    void notesClaimAndAssign() throws Exception {
        String id = contribution("en", "Notes and claims");
        HttpResponse<String> note = as(M1, "POST", "/items/" + id + "/notes", "{\"text\":\"Check the link first.\"}");
        assertThat(note.statusCode()).isEqualTo(201);
        assertThat(json(as(M2, "GET", "/items/" + id, null)).get("notes").get(0).get("text").asText()).isEqualTo("Check the link first.");
        assertProblem(as(M1, "POST", "/items/" + id + "/notes", "{\"text\":\"\"}"), 400, "invalidBody");

        assertThat(json(as(M1, "POST", "/items/" + id + "/claim", null)).get("assignee").asText()).isEqualTo(M1);
        assertProblem(as(M2, "POST", "/items/" + id + "/claim", null), 409, "alreadyClaimed");
        assertThat(json(as(M1, "PUT", "/items/" + id + "/assignee", "{\"assignee\":\"moderator2\"}")).get("assignee").asText()).isEqualTo(M2);
        assertProblem(as(M1, "PUT", "/items/" + id + "/assignee", "{\"assignee\":\"editor\"}"), 422, "noSuchUser");
        assertThat(json(as(M2, "PUT", "/items/" + id + "/assignee", "{\"assignee\":null}")).get("assignee").isNull()).isTrue();
        JsonNode history = json(as(M1, "GET", "/items/" + id + "/history", null)).get("history");
        List<String> actions = new ArrayList<>();
        history.forEach(h -> actions.add(h.get("actor").asText() + ":" + h.get("action").asText()));
        assertThat(actions).containsExactly("moderator1:claim", "moderator1:assign", "moderator2:assign");
    }

    @Test
    void theQueueFiltersByTypeAgeLanguageAndAssignee() throws Exception {
        String old = contribution("cy", "Hen gyfraniad");
        CLOCK.advance(Duration.ofDays(3));
        String fresh = contribution("en", "Fresh contribution");
        String welsh = contribution("cy", "Cyfraniad newydd");
        as(M2, "POST", "/items/" + welsh + "/claim", null);

        JsonNode all = json(as(M1, "GET", "/queue?type=contribution&limit=100", null));
        List<String> ids = ids(all);
        assertThat(ids).contains(old, fresh, welsh);
        assertThat(ids.indexOf(old)).as("oldest first").isLessThan(ids.indexOf(fresh));
        assertThat(all.get("items").get(0).get("state").asText()).isEqualTo("in-review");

        assertThat(ids(json(as(M1, "GET", "/queue?type=contribution&language=cy&limit=100", null)))).contains(old, welsh).doesNotContain(fresh);
        assertThat(ids(json(as(M1, "GET", "/queue?type=contribution&olderThan=P2D&limit=100", null)))).contains(old).doesNotContain(fresh, welsh);
        assertThat(ids(json(as(M1, "GET", "/queue?newerThan=PT1H&limit=100", null)))).contains(fresh, welsh).doesNotContain(old);
        assertThat(ids(json(as(M1, "GET", "/queue?assignee=moderator2&limit=100", null)))).containsExactly(welsh);
        assertThat(ids(json(as(M2, "GET", "/queue?assignee=me&limit=100", null)))).containsExactly(welsh);
        assertThat(ids(json(as(M1, "GET", "/queue?assignee=none&type=contribution&limit=100", null)))).contains(old, fresh).doesNotContain(welsh);
        assertThat(ids(json(as(M1, "GET", "/queue?type=resource&limit=100", null)))).doesNotContain(old, fresh, welsh);

        HttpResponse<String> bad = call("GET", "/queue?type=nope&state=maybe&olderThan=3days&limit=0", auth(M1), null,
                "Accept-Language", "cy");
        assertProblem(bad, 400, "badRequest");
        assertThat(json(bad).get("errors")).hasSize(4);
        assertThat(bad.headers().firstValue("Content-Language")).contains("cy");
        assertProblem(as(M1, "GET", "/queue?colour=blue", null), 400, "badRequest");
        assertProblem(as(M1, "GET", "/queue?type=resource&type=event", null), 400, "badRequest");
    }

    @Test
    void scheduledPublishingAndUnpublishingHappenWhenTheClockGetsThere() throws Exception {
        String id = resource(ED, BILINGUAL, "in-review");
        assertThat(move(M1, id, "approved", null).statusCode()).isEqualTo(200);
        OffsetDateTime now = OffsetDateTime.now(CLOCK);
        HttpResponse<String> scheduled = as(M1, "PUT", "/items/" + id + "/schedule", "{\"publishAt\":\"" + now.plusHours(1)
                + "\",\"unpublishAt\":\"" + now.plusDays(2) + "\"}");
        assertThat(scheduled.statusCode()).as(scheduled.body()).isEqualTo(200);
        assertThat(json(scheduled).get("publishAt").isTextual()).isTrue();
        assertProblem(as(M1, "PUT", "/items/" + id + "/schedule", "{\"publishAt\":\"" + now.plusHours(3) + "\",\"unpublishAt\":\""
                + now.plusHours(2) + "\"}"), 422, "badSchedule");

        assertThat(ExchangeServer.runScheduled(server.injector())).isZero();
        assertThat(server.get("/resources/" + id).statusCode()).as("not yet").isEqualTo(404);
        CLOCK.advance(Duration.ofMinutes(61));
        assertThat(ExchangeServer.runScheduled(server.injector())).isEqualTo(1);
        assertThat(server.get("/resources/" + id).statusCode()).as("published by the schedule").isEqualTo(200);
        CLOCK.advance(Duration.ofDays(2));
        assertThat(ExchangeServer.runScheduled(server.injector())).isEqualTo(1);
        assertThat(server.get("/resources/" + id).statusCode()).as("unpublished by the schedule").isEqualTo(404);
        JsonNode detail = json(as(M1, "GET", "/items/" + id, null));
        assertThat(detail.get("state").asText()).isEqualTo("withdrawn");
        assertThat(detail.get("publishAt").isNull()).isTrue();
        assertThat(detail.get("unpublishAt").isNull()).isTrue();
        List<String> actors = new ArrayList<>();
        detail.get("history").forEach(h -> actors.add(h.get("actor").asText() + ":" + h.get("action").asText()));
        assertThat(actors).containsExactly("moderator1:transition", "moderator1:schedule", "scheduler:transition", "scheduler:transition");

        String draft = resource(ED, BILINGUAL, "draft");
        assertProblem(as(M1, "PUT", "/items/" + draft + "/schedule", "{\"publishAt\":\"" + now.plusHours(1) + "\"}"), 422, "badSchedule");
    }

    @Test
    void anAcceptedContributionBecomesADraftLinkedToItsSource() throws Exception {
        String id = contribution("cy", "Clwb gwaith cartref");
        assertProblem(as(ED, "POST", "/items/" + id + "/conversions", "{\"type\":\"resource\"}"), 409, "notConvertible");
        assertThat(move(M1, id, "approved", null).statusCode()).isEqualTo(200);
        assertProblem(as(ED, "POST", "/items/" + id + "/conversions", "{\"type\":\"event\"}"), 400, "invalidBody");
        HttpResponse<String> r = as(ED, "POST", "/items/" + id + "/conversions", "{\"type\":\"caseStudy\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode made = json(r);
        assertThat(made.get("type").asText()).isEqualTo("caseStudy");
        assertThat(made.get("state").asText()).isEqualTo("draft");
        assertThat(made.get("values").get("sourceContribution").asText()).isEqualTo(id);
        assertThat(made.get("values").get("title").get("cy").asText()).isEqualTo("Clwb gwaith cartref");
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/moderation/items/" + made.get("id").asText());
        assertThat(server.get("/case-studies/" + made.get("id").asText()).statusCode()).as("a draft is not delivered").isEqualTo(404);
        JsonNode history = json(as(M1, "GET", "/items/" + id + "/history", null)).get("history");
        assertThat(history.get(history.size() - 1).get("action").asText()).isEqualTo("convert");

        HttpResponse<String> resource = as(ED, "POST", "/items/" + id + "/conversions", "{\"type\":\"resource\"}");
        assertThat(json(resource).get("values").get("kind").asText()).isEqualTo("best-practice-example");
        assertThat(json(resource).get("values").get("link").asText()).isEqualTo("https://example.org/practice");
        // the link to the source is never delivered
        String resourceId = json(resource).get("id").asText();
        Map<String, Object> welsh = new LinkedHashMap<>();
        welsh.put("title", Map.of("cy", "Clwb gwaith cartref", "en", "Homework club"));
        welsh.put("summary", Map.of("cy", "Beth a wnaethom.", "en", "What we did."));
        server.withSession((s, content) -> content.update(s, "resource", resourceId, json(resource).get("revision").asLong(), welsh, ED));
        move(ED, resourceId, "in-review", null);
        assertThat(move(M2, resourceId, "published", null).statusCode()).isEqualTo(200);
        HttpResponse<String> delivered = server.get("/resources/" + resourceId);
        assertThat(delivered.statusCode()).isEqualTo(200);
        assertThat(delivered.body()).doesNotContain("sourceContribution").doesNotContain(id);
    }

    private static List<String> ids(JsonNode queue) {
        List<String> out = new ArrayList<>();
        queue.get("items").forEach(i -> out.add(i.get("id").asText()));
        return out;
    }
}
