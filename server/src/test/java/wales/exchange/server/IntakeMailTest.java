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

/** The mail a contributor gets: in the language chosen in the form, once per event. */
class IntakeMailTest {
    static final MutableClock CLOCK = new MutableClock();
    static final String EVENT = IntakeClient.EVENT;

    /** SMTP off: notices wait in the outbox (the server's default). */
    static ExchangeServerExtension noSmtp() throws Exception {
        return IntakeClient.server(CLOCK);
    }

    /**
     * Defect: the contributor's mail language is the request's Accept-Language, not the language chosen in the form.
     * Every browser sends Accept-Language, so a Welsh speaker on an English browser gets English mail.
     */
    @Test
    void mailIsInTheFormsLanguageEvenWhenTheBrowserSendsAcceptLanguage() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            IntakeClient c = new IntakeClient(server.port());
            HttpResponse<String> sent = c.post("/contributions", IntakeClient.contribution(c.formToken(), "cy@example.org",
                    "Arferion ysgol", Map.of("preferredLanguage", "cy")), "Accept-Language", "en-GB,en;q=0.9");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            List<Notifications.Stored> notices = server.withSession((s, svc) -> Notifications.list(s));
            assertThat(notices).hasSize(1);
            assertThat(notices.get(0).notice().lang().tag()).as("received mail language").isEqualTo("cy");
        }
    }

    /** Defect: a comment published at once on a post-moderated board gets two mails, "received" and "accepted". */
    @Test
    void aPostModeratedCommentGetsOneMail() throws Exception {
        try (ExchangeServerExtension server = noSmtp()) {
            IntakeClient c = new IntakeClient(server.port());
            HttpResponse<String> sent = c.post("/comments", IntakeClient.comment(c.formToken(), "once@example.org", EVENT,
                    "A good event, thank you.", Map.of()));
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            List<Notifications.Stored> notices = server.withSession((s, svc) -> Notifications.list(s));
            assertThat(notices.stream().filter(n -> n.notice().to().equals("once@example.org")).map(n -> n.notice().template()))
                    .hasSize(1);
        }
    }
}
