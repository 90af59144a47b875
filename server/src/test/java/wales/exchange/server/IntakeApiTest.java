package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.jcr.Node;
import javax.jcr.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wales.exchange.content.ContentService;
import wales.exchange.moderation.Account;
import wales.exchange.moderation.Authenticator;
import wales.exchange.moderation.ModerationService;
import wales.exchange.moderation.Role;
import wales.exchange.moderation.State;
import wales.exchange.intake.IntakeStore;
import wales.exchange.intake.IntakeTokens;
import wales.exchange.jcr.EmbeddedRepository;

/**
 * The public intake against the running server on real Jackrabbit: contributions, attachments, status, export and
 * erasure by token, personal data kept apart and purged, statistics, abuse defences. Time (fill time, retention) is
 * the server's injected clock, moved by the test.
 */
class IntakeApiTest {
    static final String INTAKE_SECRET = IntakeClient.SECRET;
    static final MutableClock CLOCK = new MutableClock();
    static final AtomicInteger SEQ = new AtomicInteger();
    static ExchangeServer server;
    static IntakeClient c;

    @BeforeAll
    static void start() throws Exception {
        server = ExchangeServer.start(Settings.parse(new String[] {"--port=0", "--in-memory", "--intake-secret", INTAKE_SECRET,
                "--intake-address-limit", "100000", "--intake-email-limit", "3", "--post-moderated-boards", "events",
                "--intake-max-attachment-kb", "64"}, Map.of()), CLOCK);
        c = new IntakeClient(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A form token issued now, and the clock moved past the minimum fill time. */
    static String filledToken() throws Exception {
        String t = c.formToken();
        CLOCK.advance(Duration.ofSeconds(4));
        return t;
    }

    static String email() {
        return "person" + SEQ.incrementAndGet() + "@example.org";
    }

    static <T> T session(ExchangeServerExtension.SessionWork<T> work) throws Exception {
        return ExchangeServerExtension.withSession(server, work);
    }

    static int count(String type) throws Exception {
        return session((s, svc) -> {
            int[] n = {0};
            var q = s.getWorkspace().getQueryManager().createQuery("SELECT * FROM [exchange:" + type + "]", javax.jcr.query.Query.JCR_SQL2);
            for (var it = q.execute().getNodes(); it.hasNext(); it.nextNode()) {
                n[0]++;
            }
            return n[0];
        });
    }

    @Test
    void aContributionIsDurableWithAReferenceAndAStatusLinkInTheContributorsLanguage() throws Exception {
        String email = email();
        HttpResponse<String> r = c.post("/contributions", IntakeClient.contribution(filledToken(), email, "Routines that worked",
                Map.of("preferredLanguage", "cy")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode body = IntakeClient.json(r);
        assertThat(body.get("reference").asText()).matches("EX-[0-9A-Z]{10}");
        assertThat(body.get("statusLabel").asText()).isEqualTo("Wedi’i dderbyn");
        assertThat(r.headers().firstValue("Location")).contains(body.get("statusUrl").asText());
        String token = body.get("token").asText();

        JsonNode status = IntakeClient.json(c.get("/submissions/" + token));
        assertThat(status.get("status").asText()).isEqualTo("received");
        assertThat(status.get("lang").asText()).isEqualTo("cy");
        assertThat(status.get("reference").asText()).isEqualTo(body.get("reference").asText());
        assertThat(IntakeClient.json(c.get("/submissions/" + token + "?lang=en")).get("statusLabel").asText()).isEqualTo("Received");

        // the content is sanitized; the personal data is not on the item but in a record of its own
        String id = server.injector().getInstance(IntakeTokens.class).itemId(token).orElseThrow();
        session((s, svc) -> {
            Node item = s.getNodeByIdentifier(id);
            assertThat(item.getPath()).startsWith("/contributions/");
            assertThat(item.hasProperty("contributorEmail")).isFalse();
            assertThat(item.hasProperty("contributorName")).isFalse();
            assertThat(item.getProperty("description").getString()).contains("<b>school</b>").doesNotContain("script");
            assertThat(item.getProperty("moderationState").getString()).isEqualTo("in-review"); // the workflow's queue (docs/moderation.md)
            assertThat(item.isNodeType("mix:versionable")).isFalse();
            Node personal = s.getNode(item.getProperty(IntakeStore.PERSONAL_RECORD).getString());
            assertThat(personal.getPath()).startsWith(IntakeStore.PERSONAL + "/");
            assertThat(personal.getProperty("contributorEmail").getString()).isEqualTo(email);
            assertThat(personal.getProperty(IntakeStore.P_CLIENT).getString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
            return null;
        });
        // export by token: all of it
        JsonNode export = IntakeClient.json(c.get("/submissions/" + token + "/data"));
        assertThat(export.at("/personalData/contributorEmail").asText()).isEqualTo(email);
        assertThat(export.at("/content/title").asText()).isEqualTo("Routines that worked");
        // a forged or altered token finds nothing, and the problem does not echo it
        String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        HttpResponse<String> nf = c.get("/submissions/" + forged);
        assertThat(nf.statusCode()).isEqualTo(404);
        assertThat(nf.body()).doesNotContain(forged);
    }

    @Test
    void personalDataNeverAppearsInDeliveryResponses() throws Exception {
        String email = email();
        String event = IntakeClient.json(c.get("/events")).at("/items/0/id").asText();
        assertThat(c.post("/contributions", IntakeClient.contribution(filledToken(), email, "Never delivered", Map.of())).statusCode()).isEqualTo(202);
        HttpResponse<String> comment = c.post("/comments", IntakeClient.comment(filledToken(), email, event, "Published at once", Map.of()));
        assertThat(comment.statusCode()).as(comment.body()).isEqualTo(202);
        for (String path : List.of("/", "/resources", "/events", "/case-studies", "/events/" + event, "/events/" + event + "?jsonLd=true",
                "/events/" + event + "/comments", "/events.ics", "/resources?q=delivered", "/contributions", "/comments")) {
            HttpResponse<String> r = c.get(path);
            assertThat(r.body()).as(path).doesNotContain(email).doesNotContain("Alex Morgan").doesNotContain("127.0.0.1");
        }
        assertThat(IntakeClient.json(c.get("/events/" + event + "/comments")).get("comments").toString()).contains("Published at once");
    }

    @Test
    void validationErrorsAreFieldLevelProblemsInWelsh() throws Exception {
        HttpResponse<String> r = c.post("/contributions", IntakeClient.contribution(filledToken(), "not-an-email", "",
                Map.of("moderationState", "published", "category", "poetry", "shoeSize", 9)), "Accept-Language", "cy");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode p = IntakeClient.json(r);
        assertThat(p.get("type").asText()).endsWith("/validation");
        assertThat(p.get("errors").findValuesAsText("field")).contains("contributorEmail", "title", "category", "shoeSize");
        assertThat(p.toString()).contains("Rhowch gyfeiriad e-bost dilys").doesNotContain("Give a valid");
        assertThat(c.post("/comments", IntakeClient.comment(filledToken(), email(), "no-such-board", "hi", Map.of()))
                .body()).contains("\"field\":\"target\"");
    }

    @Test
    void aBotGetsThePersonsAnswerAndNothingIsStored() throws Exception {
        int before = count("contribution");
        HttpResponse<String> honeypot = c.post("/contributions", IntakeClient.contribution(filledToken(), email(), "Buy now",
                Map.of("website", "http://spam.example")));
        HttpResponse<String> tooFast = c.post("/contributions", IntakeClient.contribution(c.formToken(), email(), "Too fast", Map.of()));
        HttpResponse<String> noToken = c.post("/contributions", IntakeClient.contribution("", email(), "No token", Map.of()));
        for (HttpResponse<String> r : List.of(honeypot, tooFast, noToken)) {
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(IntakeClient.json(r).fieldNames()).toIterable()
                    .containsExactly("reference", "status", "statusLabel", "message", "token", "statusUrl");
        }
        assertThat(count("contribution")).isEqualTo(before);
    }

    @Test
    void duplicatesAreRefusedAndEmailsAreLimitedWithRetryAfter() throws Exception {
        String email = email();
        String body = IntakeClient.contribution(filledToken(), email, "Same text", Map.of());
        assertThat(c.post("/contributions", body).statusCode()).isEqualTo(202);
        HttpResponse<String> dup = c.post("/contributions", body.replace("Same text", "SAME  text"));
        assertThat(dup.statusCode()).isEqualTo(409);
        assertThat(IntakeClient.json(dup).get("type").asText()).endsWith("/duplicate");
        assertThat(c.post("/contributions", IntakeClient.contribution(filledToken(), email, "Second", Map.of())).statusCode()).isEqualTo(202);
        // the limit is 3 per email per day: the duplicate counted
        HttpResponse<String> limited = c.post("/contributions", IntakeClient.contribution(filledToken(), email.toUpperCase(), "Fourth", Map.of()));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isPositive();
    }

    @Test
    void bodiesAreCappedAndReadWithinConstraints() throws Exception {
        assertThat(c.post("/contributions", "{\"title\":\"" + "x".repeat(70_000) + "\"}").statusCode()).isEqualTo(413);
        assertThat(c.post("/contributions", "[".repeat(500) + "]".repeat(500)).statusCode()).isEqualTo(400);
        assertThat(c.post("/contributions", "{\"a\":1,\"a\":2}").statusCode()).isEqualTo(400);
        assertThat(c.post("/contributions", "{\"a\":1} trailing").statusCode()).isEqualTo(400);
        assertThat(c.post("/contributions", "[1]").statusCode()).isEqualTo(400);
        HttpResponse<String> form = c.postBytes("/contributions", "application/x-www-form-urlencoded",
                ("lang=cy&x=" + "y".repeat(200_000)).getBytes());
        assertThat(form.statusCode()).isEqualTo(413); // HTML forms are taken (IntakeFormPostTest), within the same cap
        // a form-encoded body is never parsed for parameters: its lang=cy does not count
        assertThat(form.headers().firstValue("Content-Language")).contains("en");
        assertThat(form.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    }

    @Test
    void attachmentsAreSniffedCappedAndTravelWithTheContribution() throws Exception {
        byte[] pdf = "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".getBytes();
        HttpResponse<String> up = c.postBytes("/contributions/attachments", "application/pdf", pdf);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        String attachment = IntakeClient.json(up).get("attachment").asText();
        // an executable declared as a PDF, an unknown type, too many bytes
        assertThat(c.postBytes("/contributions/attachments", "application/pdf", new byte[] {'M', 'Z', 0, 0}).statusCode()).isEqualTo(415);
        assertThat(c.postBytes("/contributions/attachments", "application/x-msdownload", pdf).statusCode()).isEqualTo(415);
        assertThat(c.postBytes("/contributions/attachments", "text/plain", "a".repeat(70 * 1024).getBytes()).statusCode()).isEqualTo(413);
        HttpResponse<String> r = c.post("/contributions", IntakeClient.contribution(filledToken(), email(), "With a file",
                Map.of("attachment", attachment)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode export = IntakeClient.json(c.get("/submissions/" + IntakeClient.json(r).get("token").asText() + "/data"));
        assertThat(export.at("/attachment/mimeType").asText()).isEqualTo("application/pdf");
        // used once only
        HttpResponse<String> again = c.post("/contributions", IntakeClient.contribution(filledToken(), email(), "Same file",
                Map.of("attachment", attachment)));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("\"field\":\"attachment\"");
    }

    @Test
    void statusShowsTheDecisionWithItsReason() throws Exception {
        HttpResponse<String> r = c.post("/contributions", IntakeClient.contribution(filledToken(), email(), "To be declined", Map.of()));
        String token = IntakeClient.json(r).get("token").asText();
        String id = server.injector().getInstance(IntakeTokens.class).itemId(token).orElseThrow();
        ModerationService moderation = server.injector().getInstance(ModerationService.class);
        Account moderator = new Account("moderator1", java.util.Set.of(Role.MODERATOR));
        // waiting in the queue: received; once a moderator claims it: in review
        assertThat(IntakeClient.json(c.get("/submissions/" + token)).get("status").asText()).isEqualTo("received");
        session((s, svc) -> moderation.assign(s, id, "moderator1", true, moderator, server.injector().getInstance(Authenticator.class)));
        assertThat(IntakeClient.json(c.get("/submissions/" + token + "?lang=cy")).get("statusLabel").asText()).isEqualTo("Wrthi’n cael ei adolygu");
        // declined through the workflow: the reason comes from the audit trail, as the moderator wrote it
        session((s, svc) -> moderation.transition(s, id, s.getNodeByIdentifier(id).getProperty(ContentService.REVISION).getLong(),
                State.REJECTED, "Y tu allan i’r cwmpas", moderator));
        JsonNode cy = IntakeClient.json(c.get("/submissions/" + token + "?lang=cy"));
        assertThat(cy.get("status").asText()).isEqualTo("declined");
        assertThat(cy.get("statusLabel").asText()).isEqualTo("Wedi’i wrthod");
        assertThat(cy.get("reason").asText()).isEqualTo("Y tu allan i’r cwmpas");
    }

    @Test
    void erasureDeletesEverythingButTheCountsAndThePurgeDeletesOldPersonalData() throws Exception {
        IntakeStore store = server.injector().getInstance(IntakeStore.class);
        HttpResponse<String> r = c.post("/contributions", IntakeClient.contribution(filledToken(), email(), "Erase me", Map.of()));
        String token = IntakeClient.json(r).get("token").asText();
        String id = server.injector().getInstance(IntakeTokens.class).itemId(token).orElseThrow();
        Map<String, Map<String, Map<String, Long>>> before = stats(store);
        assertThat(c.delete("/submissions/" + token).statusCode()).isEqualTo(204);
        assertThat(c.get("/submissions/" + token).statusCode()).isEqualTo(404);
        assertThat(c.get("/submissions/" + token + "/data").statusCode()).isEqualTo(404);
        session((s, svc) -> {
            assertThat(store.submission(s, id)).isEmpty();
            assertThat(store.personalRecords(s)).doesNotContain(id);
            return null;
        });
        assertThat(stats(store)).isEqualTo(before);

        // retention: a submission's personal data outlives neither the retention nor the purge; counts survive
        HttpResponse<String> kept = c.post("/contributions", IntakeClient.contribution(filledToken(), email(), "Kept content", Map.of()));
        String keptToken = IntakeClient.json(kept).get("token").asText();
        String keptId = server.injector().getInstance(IntakeTokens.class).itemId(keptToken).orElseThrow();
        Map<String, Map<String, Map<String, Long>>> stats = stats(store);
        wales.exchange.intake.RetentionPurge purge = server.injector().getInstance(wales.exchange.intake.RetentionPurge.class);
        assertThat(purge.runOnce().personalDays()).isZero();
        assertThat(records(store)).contains(keptId);
        CLOCK.advance(Duration.ofDays(181));
        assertThat(purge.runOnce().personalDays()).isPositive();
        assertThat(records(store)).isEmpty();
        JsonNode export = IntakeClient.json(c.get("/submissions/" + keptToken + "/data"));
        assertThat(export.get("personalData").size()).isZero();
        assertThat(export.at("/content/title").asText()).isEqualTo("Kept content");
        assertThat(stats(store)).isEqualTo(stats);
    }

    @Test
    void demoModeLeavesPendingContributionsAndCommentsInBothLanguages() throws Exception {
        session((s, svc) -> {
            // by type only: Jackrabbit indexes of content just the properties the code queries (indexing-configuration.xml)
            assertThat(withValue(s, "exchange:contribution", "preferredLanguage", "cy")).isPositive();
            assertThat(withValue(s, "exchange:comment", "exchange:heldReason", "personalData")).isPositive();
            return null;
        });
        assertThat(count("contribution")).isGreaterThanOrEqualTo(4);
    }

    private static long withValue(javax.jcr.Session s, String nodeType, String property, String value) throws Exception {
        var q = s.getWorkspace().getQueryManager().createQuery("SELECT * FROM [" + nodeType + "]", javax.jcr.query.Query.JCR_SQL2);
        long n = 0;
        for (var it = q.execute().getNodes(); it.hasNext(); ) {
            javax.jcr.Node node = it.nextNode();
            if (node.hasProperty(property) && node.getProperty(property).getString().equals(value)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void unknownStatusTokensAreNotFoundWithoutTouchingTheRepository() throws Exception {
        for (String t : List.of("x", "s1." + UUID.randomUUID().toString().replace("-", "") + ".AAAAAAAAAAAAAAAAAAAAAA", "'or''='",
                "s1.%2e%2e", "%5B*%5D")) {
            HttpResponse<String> r = c.get("/submissions/" + t);
            assertThat(r.statusCode()).as(t).isEqualTo(404);
        }
    }

    @Test
    void writesAreAllowedOnlyWhereTheIntakeTakesThem() throws Exception {
        RawHttp.Answer put = RawHttp.send(server.port(), "PUT " + ExchangeServerExtension.API + "/contributions HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("GET, HEAD, OPTIONS, POST");
        RawHttp.Answer delete = RawHttp.send(server.port(), "DELETE " + ExchangeServerExtension.API + "/comments HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(delete.status()).isEqualTo(405);
        RawHttp.Answer post = RawHttp.send(server.port(), "POST " + ExchangeServerExtension.API + "/events HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        HttpResponse<String> list = c.get("/contributions");
        assertThat(list.statusCode()).isEqualTo(404);
        assertThat(IntakeClient.json(list).get("type").asText()).endsWith("/noRoute");
    }

    static Map<String, Map<String, Map<String, Long>>> stats(IntakeStore store) throws Exception {
        return ExchangeServerExtension.<Map<String, Map<String, Map<String, Long>>>>withSession(server, (s, svc) -> store.statistics(s));
    }

    static List<String> records(IntakeStore store) throws Exception {
        return ExchangeServerExtension.<List<String>>withSession(server, (s, svc) -> store.personalRecords(s));
    }

    static Session login() throws Exception {
        return server.injector().getInstance(EmbeddedRepository.class).login();
    }
}
