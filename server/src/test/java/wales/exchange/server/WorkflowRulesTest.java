package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import wales.exchange.intake.RetentionPurge;
import wales.exchange.notify.Notifications;

/** Workflow rules the review of issue 12 found broken: four-eyes after edits, transitions racing an erasure. */
class WorkflowRulesTest {
    static final MutableClock CLOCK = new MutableClock();
    static final String EVENT = IntakeClient.EVENT;

    /** SMTP off: notices wait in the outbox (the server's default). */
    static ExchangeServerExtension noSmtp() throws Exception {
        return IntakeClient.server(CLOCK);
    }

    /** A bilingual draft report written by the editor; its id. */
    static String editorsDraft(ExchangeServerExtension server) throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", Map.of("en", "A report", "cy", "Adroddiad"));
        v.put("kind", "report");
        v.put("moderationState", "draft");
        return server.withSession((s, content) -> content.create(s, "resource", v, "editor").id());
    }

    static HttpResponse<String> move(ExchangeServerExtension server, String user, String id, String to) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + server.server().demoUsers().get(user))
                .getBytes(StandardCharsets.UTF_8));
        long revision = server.json(server.send(HttpRequest.newBuilder(URI.create(server.url("/moderation/items/" + id)))
                .header("Authorization", auth).build())).get("revision").asLong();
        return server.send(HttpRequest.newBuilder(URI.create(server.url("/moderation/items/" + id + "/transitions")))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"" + to + "\",\"revision\":" + revision + "}")).build());
    }

    /**
     * Defect: four-eyes looks only at the last modifier, and every transition overwrites mgnl:lastModifiedBy with its
     * actor. A moderator who edited an item (Magnolia's editor, the content service, an import with --user) can
     * approve it as soon as anyone else has moved it (here: the editor submits it).
     */
    @Test
    void aModeratorWhoEditedAnItemCannotApproveItOnceSomeoneElseSubmitsIt() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            String id = editorsDraft(server);
            // moderator1 edits the editor's draft (rewrites the summary)
            server.withSession((s, content) -> content.update(s, "resource", id, content.find(s, "resource", id).orElseThrow().revision(),
                    Map.of("summary", Map.of("en", "Rewritten by moderator1", "cy", "Ailysgrifennwyd")), "moderator1"));
            HttpResponse<String> submitted = move(server, "editor", id, "in-review");
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
            HttpResponse<String> approved = move(server, "moderator1", id, "approved");
            assertThat(approved.statusCode()).as("moderator1 approves their own edit: " + approved.body()).isEqualTo(403);
        }
    }

    /** Defect: an edit of an approved item left it approved, to be published without anyone reviewing the edit. */
    @Test
    void anEditOfAnApprovedItemSendsItBackToReview() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            String id = editorsDraft(server);
            assertThat(move(server, "editor", id, "in-review").statusCode()).isEqualTo(200);
            HttpResponse<String> approved = move(server, "moderator1", id, "approved");
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
            server.withSession((s, content) -> content.update(s, "resource", id, content.find(s, "resource", id).orElseThrow().revision(),
                    Map.of("summary", Map.of("en", "Changed after approval", "cy", "Newidiwyd wedi cymeradwyo")), "moderator2"));
            String state = server.withSession((s, content) -> (String) content.find(s, "resource", id).orElseThrow()
                    .values().get("moderationState"));
            assertThat(state).isEqualTo("in-review");
            HttpResponse<String> byEditor = move(server, "moderator2", id, "published");
            assertThat(byEditor.statusCode()).as("moderator2 publishes their own edit: " + byEditor.body()).isEqualTo(403);
            HttpResponse<String> byOther = move(server, "moderator1", id, "published");
            assertThat(byOther.statusCode()).as(byOther.body()).isEqualTo(200);
        }
    }

    /**
     * Defect: erasure by token takes no moderation lock; a transition racing it answers 500 (ContentException or
     * NotFoundException from the content service) instead of 404 or 409.
     */
    @Test
    void aTransitionRacingAnErasureIsNeverA500() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            IntakeClient c = new IntakeClient(server.port());
            java.util.List<Integer> codes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            for (int i = 0; i < 15; i++) {
                HttpResponse<String> sent = c.post("/contributions", IntakeClient.contribution(c.formToken(), "race" + i + "@example.org",
                        "Race " + i, Map.of()));
                String token = IntakeClient.json(sent).get("token").asText();
                String id = server.injector().getInstance(wales.exchange.intake.IntakeTokens.class).itemId(token).orElseThrow();
                String auth = "Basic " + Base64.getEncoder().encodeToString(("moderator1:" + server.server().demoUsers().get("moderator1"))
                        .getBytes(StandardCharsets.UTF_8));
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                Thread moderator = new Thread(() -> {
                    try {
                        go.await();
                        codes.add(server.send(HttpRequest.newBuilder(URI.create(server.url("/moderation/items/" + id + "/transitions")))
                                .header("Authorization", auth).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"rejected\",\"revision\":1,\"reason\":\"no\"}")).build())
                                .statusCode());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                moderator.start();
                go.countDown();
                assertThat(c.delete("/submissions/" + token).statusCode()).isEqualTo(204);
                moderator.join();
            }
            assertThat(codes).as("transition answers while the contributor erases").doesNotContain(500);
        }
    }

    /** Defect: reader reports reached nobody: the moderation detail did not show them and the queue could not find them. */
    @Test
    void aReportedCommentReachesTheModerators() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            IntakeClient c = new IntakeClient(server.port());
            HttpResponse<String> sent = c.post("/comments", IntakeClient.comment(c.formToken(), "reported@example.org", EVENT,
                    "A comment readers will report.", Map.of()));
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            String id = server.injector().getInstance(wales.exchange.intake.IntakeTokens.class)
                    .itemId(IntakeClient.json(sent).get("token").asText()).orElseThrow();
            assertThat(c.post("/comments/" + id + "/reports", "{\"reason\":\"rude\"}").statusCode()).isEqualTo(202);
            assertThat(c.post("/comments/" + id + "/reports", "").statusCode()).isEqualTo(202);
            String auth = "Basic " + Base64.getEncoder().encodeToString(("moderator1:" + server.server().demoUsers().get("moderator1"))
                    .getBytes(StandardCharsets.UTF_8));
            JsonNode detail = server.json(server.send(HttpRequest.newBuilder(URI.create(server.url("/moderation/items/" + id)))
                    .header("Authorization", auth).build()));
            assertThat(detail.get("reports").asLong()).isEqualTo(2);
            JsonNode queue = server.json(server.send(HttpRequest.newBuilder(URI.create(server.url("/moderation/queue?reported=true")))
                    .header("Authorization", auth).build()));
            assertThat(queue.get("items").findValuesAsText("id")).containsExactly(id);
            assertThat(queue.get("items").get(0).get("state").asText()).isEqualTo("published");
            assertThat(queue.get("items").get(0).get("reports").asLong()).isEqualTo(2);
            HttpResponse<String> bad = server.send(HttpRequest.newBuilder(URI.create(server.url("/moderation/queue?reported=maybe")))
                    .header("Authorization", auth).build());
            assertThat(bad.statusCode()).isEqualTo(400);
        }
    }

    static HttpResponse<String> assign(ExchangeServerExtension server, String user, String id, String assignee) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + server.server().demoUsers().get(user))
                .getBytes(StandardCharsets.UTF_8));
        return server.send(HttpRequest.newBuilder(URI.create(server.url("/moderation/items/" + id + "/assignee")))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"assignee\":\"" + assignee + "\"}")).build());
    }

    /**
     * Defect: PUT assignee with the current assignee wrote another audit entry and sent the assignment mail again, and
     * PUT assignee with one's own name took an item another moderator had claimed.
     */
    @Test
    void anUnchangedAssignmentIsANoOpAndSelfAssignmentIsAClaim() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            IntakeClient c = new IntakeClient(server.port());
            HttpResponse<String> sent = c.post("/contributions", IntakeClient.contribution(c.formToken(), "assign@example.org",
                    "To be assigned", Map.of()));
            String id = server.injector().getInstance(wales.exchange.intake.IntakeTokens.class)
                    .itemId(IntakeClient.json(sent).get("token").asText()).orElseThrow();
            assertThat(assign(server, "moderator1", id, "moderator1").statusCode()).isEqualTo(200); // a claim
            HttpResponse<String> taken = assign(server, "moderator2", id, "moderator2");
            assertThat(taken.statusCode()).as(taken.body()).isEqualTo(409);
            assertThat(taken.body()).contains("alreadyClaimed");
            assertThat(assign(server, "moderator1", id, "moderator2").statusCode()).isEqualTo(200);
            HttpResponse<String> again = assign(server, "moderator1", id, "moderator2");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(server.json(again).get("assignee").asText()).isEqualTo("moderator2");
            List<String> actions = new java.util.ArrayList<>();
            server.json(again).get("history").forEach(h -> actions.add(h.get("actor").asText() + ":" + h.get("action").asText()));
            assertThat(actions).containsExactly("moderator1:assign", "moderator1:assign");
            List<Notifications.Stored> notices = server.withSession((s, svc) -> Notifications.list(s));
            assertThat(notices.stream().filter(n -> n.notice().template().key().equals("assignment"))).hasSize(1);
        }
    }

    /** Defect: the moderation API read bodies laxly: a key given twice (the last won) or a second value after the object. */
    @Test
    void aModerationBodyWithADuplicateKeyOrTrailingJsonIsRefused() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            IntakeClient c = new IntakeClient(server.port());
            HttpResponse<String> sent = c.post("/contributions", IntakeClient.contribution(c.formToken(), "strict@example.org",
                    "Strict bodies", Map.of()));
            String id = server.injector().getInstance(wales.exchange.intake.IntakeTokens.class)
                    .itemId(IntakeClient.json(sent).get("token").asText()).orElseThrow();
            String auth = "Basic " + Base64.getEncoder().encodeToString(("moderator1:" + server.server().demoUsers().get("moderator1"))
                    .getBytes(StandardCharsets.UTF_8));
            for (String body : List.of(
                    "{\"to\":\"approved\",\"to\":\"rejected\",\"revision\":1,\"reason\":\"no\"}",
                    "{\"to\":\"rejected\",\"revision\":1,\"reason\":\"no\"} {\"to\":\"approved\"}",
                    "{\"to\":\"rejected\",\"revision\":1,\"reason\":\"no\"}]")) {
                HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.url("/moderation/items/" + id + "/transitions")))
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
                assertThat(r.body()).contains("invalidBody");
            }
            JsonNode item = server.json(server.send(HttpRequest.newBuilder(URI.create(server.url("/moderation/items/" + id)))
                    .header("Authorization", auth).build()));
            assertThat(item.get("state").asText()).isEqualTo("in-review");
        }
    }

    /**
     * Defect (review 12, item 13): converting a contribution with an attachment copied the upload's id into the new
     * resource's file, an asset that does not exist.
     */
    @Test
    void aConvertedContributionDoesNotPointAtADeadAttachment() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            IntakeClient c = new IntakeClient(server.port());
            HttpResponse<String> up = c.postBytes("/contributions/attachments", "application/pdf",
                    "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
            HttpResponse<String> sent = c.post("/contributions", IntakeClient.contribution(c.formToken(), "file@example.org",
                    "With a file", Map.of("attachment", IntakeClient.json(up).get("attachment").asText())));
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            String id = server.injector().getInstance(wales.exchange.intake.IntakeTokens.class)
                    .itemId(IntakeClient.json(sent).get("token").asText()).orElseThrow();
            assertThat(move(server, "moderator1", id, "approved").statusCode()).isEqualTo(200);
            String auth = "Basic " + Base64.getEncoder().encodeToString(("editor:" + server.server().demoUsers().get("editor"))
                    .getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> made = server.send(HttpRequest.newBuilder(URI.create(server.url("/moderation/items/" + id + "/conversions")))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"resource\"}")).build());
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            assertThat(server.json(made).get("values").has("file")).as(made.body()).isFalse();
        }
    }
}
