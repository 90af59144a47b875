package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wales.exchange.intake.IntakeStore;
import wales.exchange.intake.IntakeTokens;

/**
 * Comment boards on the running server: pre-moderated by default, post-moderated where configured (events here),
 * probable personal data held with that reason, reports, and published comments under their item in the delivery API.
 */
class CommentBoardTest {
    static final MutableClock CLOCK = new MutableClock();
    static ExchangeServer server;
    static IntakeClient c;
    static int n;

    @BeforeAll
    static void start() throws Exception {
        server = ExchangeServer.start(Settings.parse(new String[] {"--port=0", "--in-memory", "--post-moderated-boards", "events,home",
                "--intake-address-limit", "100000"}, Map.of()), CLOCK);
        c = new IntakeClient(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> comment(String target, String body) throws Exception {
        String token = c.formToken();
        CLOCK.advance(Duration.ofSeconds(5));
        return c.post("/comments", IntakeClient.comment(token, "reader" + (++n) + "@example.org", target, body, Map.of()));
    }

    static String first(String segment) throws Exception {
        return IntakeClient.json(c.get("/" + segment)).at("/items/0/id").asText();
    }

    static String comments(String segment, String id) throws Exception {
        HttpResponse<String> r = c.get("/" + segment + "/" + id + "/comments");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void preModeratedBoardsShowNothingUntilAModeratorPublishes() throws Exception {
        String resource = first("resources");
        HttpResponse<String> r = comment(resource, "Useful, thank you <img src=x onerror=alert(1)>");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(IntakeClient.json(r).get("status").asText()).isEqualTo("received");
        assertThat(comments("resources", resource)).doesNotContain("Useful");
        // a moderator publishes it (the lead binds CommentPublisher to the workflow; here the state is set directly)
        String id = server.injector().getInstance(IntakeTokens.class).itemId(IntakeClient.json(r).get("token").asText()).orElseThrow();
        ExchangeServerExtension.withSession(server, (s, svc) -> {
            s.getNodeByIdentifier(id).setProperty("moderationState", "published");
            s.save();
            return null;
        });
        String shown = comments("resources", resource);
        assertThat(shown).contains("Useful, thank you").doesNotContain("onerror").doesNotContain("@example.org");
    }

    @Test
    void postModeratedBoardsPublishAtOnceButHoldProbablePersonalData() throws Exception {
        String event = first("events");
        HttpResponse<String> ok = comment(event, "See you there");
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(IntakeClient.json(ok).get("status").asText()).isEqualTo("accepted");
        JsonNode list = IntakeClient.json(c.get("/events/" + event + "/comments"));
        assertThat(list.get("comments").toString()).contains("See you there");
        assertThat(list.get("comments").get(0).has("email")).isFalse();

        for (String body : new String[] {"Ring me on 07700 900123", "Email me: sam.jones@example.org", "I live at CF10 3AT"}) {
            HttpResponse<String> held = comment(event, body);
            assertThat(held.statusCode()).isEqualTo(202);
            assertThat(IntakeClient.json(held).get("status").asText()).as(body).isEqualTo("received");
            assertThat(IntakeClient.json(held).get("held").asText()).contains("personal");
            assertThat(comments("events", event)).doesNotContain(body.substring(0, 8));
            String id = server.injector().getInstance(IntakeTokens.class).itemId(IntakeClient.json(held).get("token").asText()).orElseThrow();
            assertThat(ExchangeServerExtension.<String>withSession(server, (s, svc) ->
                    s.getNodeByIdentifier(id).getProperty(IntakeStore.HELD_REASON).getString())).isEqualTo("personalData");
        }
        // a section board: home is post-moderated too, and shows nothing on any item
        assertThat(IntakeClient.json(comment("home", "Hello all")).get("status").asText()).isEqualTo("accepted");
    }

    @Test
    void readersCanReportAPublishedComment() throws Exception {
        String event = first("events");
        comment(event, "Report me");
        String id = IntakeClient.json(c.get("/events/" + event + "/comments")).get("comments").findValuesAsText("id").stream()
                .reduce((a, b) -> b).orElseThrow();
        HttpResponse<String> r = c.post("/comments/" + id + "/reports", "{\"reason\":\"off topic\"}", "Accept-Language", "cy");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(IntakeClient.json(r).get("message").asText()).startsWith("Diolch");
        assertThat(c.post("/comments/" + id + "/reports", "").statusCode()).isEqualTo(202);
        assertThat(ExchangeServerExtension.<Long>withSession(server, (s, svc) ->
                s.getNodeByIdentifier(id).getProperty(IntakeStore.REPORTS).getLong())).isEqualTo(2L);
        assertThat(c.post("/comments/00000000-0000-4000-8000-000000000000/reports", "").statusCode()).isEqualTo(404);
        assertThat(c.post("/comments/' or 1=1/reports".replace(" ", "%20").replace("'", "%27"), "").statusCode()).isEqualTo(404);
        assertThat(c.post("/comments/" + id + "/reports", "{\"reason\":\"" + "x".repeat(600) + "\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void commentsOfUnknownOrUnpublishedItemsAreNotFound() throws Exception {
        assertThat(c.get("/events/00000000-0000-4000-8000-000000000000/comments").statusCode()).isEqualTo(404);
        assertThat(c.get("/contributions/00000000-0000-4000-8000-000000000000/comments").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = comment("00000000-0000-4000-8000-000000000000", "Nowhere");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"target\"");
    }
}
