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

/** Contributors' personal data: the hold on comments, and what erasure and the retention purge leave behind. */
class IntakePrivacyTest {
    static final MutableClock CLOCK = new MutableClock();
    static final String EVENT = IntakeClient.EVENT;

    /** SMTP off: notices wait in the outbox (the server's default). */
    static ExchangeServerExtension noSmtp() throws Exception {
        return IntakeClient.server(CLOCK);
    }

    /**
     * Defect: the personal-data hold is checked on the raw text, so an HTML entity or an empty tag hides a phone
     * number, a postcode or an address, which the sanitizer then decodes and publishes on a post-moderated board.
     */
    @Test
    void personalDataHiddenByEntitiesOrEmptyTagsIsHeldOnAPostModeratedBoard() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            IntakeClient c = new IntakeClient(server.port());
            Map<String, String> hidden = new LinkedHashMap<>();
            hidden.put("Ring me on 0791&#49;123456", "07911123456");
            hidden.put("Come to CF10&nbsp;3AT", "3AT");
            hidden.put("Write to alex&#64;example.org", "alex@example.org");
            hidden.put("Write to alex@example<b></b>.org", "alex@example.org");
            hidden.put("Ring 07911<em></em>123456", "07911123456");
            for (Map.Entry<String, String> e : hidden.entrySet()) {
                HttpResponse<String> sent = c.post("/comments", IntakeClient.comment(c.formToken(), "p@example.org", EVENT,
                        e.getKey(), Map.of()));
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
                assertThat(IntakeClient.json(sent).get("status").asText()).as(e.getKey()).isEqualTo("received");
                JsonNode list = IntakeClient.json(c.get("/events/" + EVENT + "/comments"));
                assertThat(list.toString()).as(e.getKey()).doesNotContain(e.getValue());
            }
        }
    }

    static List<Notifications.Stored> outbox(ExchangeServerExtension server) throws Exception {
        return server.withSession((s, svc) -> Notifications.list(s));
    }

    static int rows(ExchangeServerExtension server, String sql2) throws Exception {
        return server.withSession((s, svc) -> {
            int n = 0;
            for (var it = s.getWorkspace().getQueryManager().createQuery(sql2, javax.jcr.query.Query.JCR_SQL2).execute().getNodes();
                    it.hasNext(); it.nextNode()) {
                n++;
            }
            return n;
        });
    }

    /**
     * Personal records and pending outbox notices have no property in Jackrabbit's search index (the indexing
     * configuration, chosen for the intake's speed: nothing queries them by a value); the contribution itself is indexed
     * by the properties the code queries.
     */
    @Test
    void personalRecordsAndPendingNoticesKeepTheirValuesOutOfTheSearchIndex() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            IntakeClient c = new IntakeClient(server.port());
            HttpResponse<String> sent = c.post("/contributions", IntakeClient.contribution(c.formToken(), "not.indexed@example.org",
                    "Indexed title", Map.of()));
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            String reference = IntakeClient.json(sent).get("reference").asText();
            // the contribution is indexed, by the properties the code queries (the indexing configuration names them)
            assertThat(rows(server, "SELECT * FROM [exchange:contribution] WHERE [moderationState] IS NOT NULL")).isPositive();
            assertThat(rows(server, "SELECT * FROM [exchange:personalRecord] WHERE [reference] = '" + reference + "'")).isZero();
            assertThat(rows(server, "SELECT * FROM [exchange:personalRecord] WHERE [contributorEmail] = 'not.indexed@example.org'")).isZero();
            assertThat(rows(server, "SELECT * FROM [nt:unstructured] WHERE [to] = 'not.indexed@example.org'")).isZero();
            assertThat(rows(server, "SELECT * FROM [nt:base] AS n WHERE CONTAINS(n.*, 'not.indexed@example.org')")).isZero();
            // still one document per node: found by type and path
            assertThat(rows(server, "SELECT * FROM [exchange:personalRecord]")).isPositive();
            assertThat(outbox(server)).anyMatch(n -> n.notice().to().equals("not.indexed@example.org"));
            assertThat(rows(server, "SELECT * FROM [nt:unstructured] WHERE ISDESCENDANTNODE([" + Notifications.ROOT + "])")).isPositive();
        }
    }

    /** Defect: erasure and the retention purge left the contributor's address and name in the outbox. */
    @Test
    void erasureAndPurgeRemoveTheContributorsAddressFromTheOutbox() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            IntakeClient c = new IntakeClient(server.port());
            HttpResponse<String> sent = c.post("/contributions", IntakeClient.contribution(c.formToken(), "erase.me@example.org",
                    "To be erased", Map.of()));
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            HttpResponse<String> kept = c.post("/contributions", IntakeClient.contribution(c.formToken(), "purge.me@example.org",
                    "To be purged", Map.of()));
            assertThat(kept.statusCode()).as(kept.body()).isEqualTo(202);
            assertThat(outbox(server))
                    .anyMatch(n -> n.notice().to().equals("erase.me@example.org"))
                    .anyMatch(n -> n.notice().to().equals("purge.me@example.org"));
            String token = IntakeClient.json(sent).get("token").asText();
            assertThat(c.delete("/submissions/" + token).statusCode()).isEqualTo(204);
            assertThat(outbox(server)).as("outbox after erasure")
                    .noneMatch(n -> n.notice().to().equals("erase.me@example.org"))
                    .anyMatch(n -> n.notice().to().equals("purge.me@example.org"));
            CLOCK.advance(Duration.ofDays(400));
            server.injector().getInstance(RetentionPurge.class).runOnce();
            assertThat(outbox(server)).as("outbox after the retention purge")
                    .noneMatch(n -> n.notice().to().equals("purge.me@example.org"));
        }
    }

    /** Defect: the access log wrote the status token (the contributor's only key) in full in the request line. */
    @Test
    void theAccessLogNeverShowsAStatusToken() throws Exception {
        String[] token = new String[1];
        String log = TransportHardeningTest.logOf(() -> {
            try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000",
                    "--intake-min-fill-seconds", "0", "--access-log").withClock(CLOCK).start()) {
                IntakeClient c = new IntakeClient(server.port());
                HttpResponse<String> sent = c.post("/contributions", IntakeClient.contribution(c.formToken(), "logged@example.org",
                        "Logged", Map.of()));
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
                token[0] = IntakeClient.json(sent).get("token").asText();
                assertThat(c.get("/submissions/" + token[0]).statusCode()).isEqualTo(200);
                assertThat(c.get("/submissions/" + token[0] + "/data").statusCode()).isEqualTo(200);
            }
        });
        assertThat(log).containsPattern("\"GET /\\.rest/exchange/v1/submissions/\\S{1,3} HTTP/1\\.1\" 200")
                .containsPattern("\"GET /\\.rest/exchange/v1/submissions/\\S{1,3}/data HTTP/1\\.1\" 200")
                .doesNotContain(token[0]).doesNotContain(token[0].substring(token[0].lastIndexOf('.')));
    }
}
