package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.intake.IntakeTokens;

/**
 * The workflow's mail end to end, on the real server with a real SMTP server (GreenMail): a contribution sent through
 * the public intake gets "received" in the contributor's language; a moderator's assignment reaches the other
 * moderator in theirs; the decision (declined, with the reason) reaches the contributor, and the status page shows the
 * reason from the audit trail. Waits on mail arriving, never sleeps.
 */
class WorkflowMailTest {
    static final long TIMEOUT = Duration.ofSeconds(30).toMillis();
    static final MutableClock CLOCK = new MutableClock();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static ExchangeServerExtension start() throws Exception {
        return new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000", "--public-url", "https://api.exchange.test",
                "--intake-secret", IntakeClient.SECRET,
                "--smtp-host", "127.0.0.1", "--smtp-port", Integer.toString(MAIL.getSmtp().getPort()),
                "--smtp-from", "exchange@exchange.test", "--smtp-starttls=false").withClock(CLOCK).start();
    }

    static HttpResponse<String> moderate(ExchangeServerExtension server, String user, String method, String path, String body) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + server.server().demoUsers().get(user))
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/moderation" + path))).header("Authorization", auth)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return server.send(b.build());
    }

    static MimeMessage to(String address) {
        return Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no mail to " + address));
    }

    @Test
    void receivedAssignedAndDeclinedMailGoOutInEachRecipientsLanguage() throws Exception {
        try (ExchangeServerExtension server = start()) {
            IntakeClient c = new IntakeClient(server.port());
            String token = c.formToken();
            CLOCK.advance(Duration.ofSeconds(4));
            HttpResponse<String> sent = c.post("/contributions", IntakeClient.contribution(token, "carer@example.org",
                    "Arferion ysgol a weithiodd", Map.of("preferredLanguage", "cy")));
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            JsonNode receipt = IntakeClient.json(sent);
            String reference = receipt.get("reference").asText();
            String statusToken = receipt.get("token").asText();
            String id = server.injector().getInstance(IntakeTokens.class).itemId(statusToken).orElseThrow();

            // 1. received, in Welsh (the contributor's language), with an absolute status link on --public-url
            assertThat(MAIL.waitForIncomingEmail(TIMEOUT, 1)).isTrue();
            MimeMessage received = to("carer@example.org");
            assertThat(received.getContentLanguage()).containsExactly("cy");
            assertThat(received.getSubject()).contains(reference);
            assertThat(GreenMailUtil.getBody(received)).contains("https://api.exchange.test/.rest/exchange/v1/submissions/");

            // 2. moderator1 assigns it to moderator2, whose language is Welsh
            HttpResponse<String> assigned = moderate(server, "moderator1", "PUT", "/items/" + id + "/assignee", "{\"assignee\":\"moderator2\"}");
            assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
            assertThat(MAIL.waitForIncomingEmail(TIMEOUT, 2)).isTrue();
            MimeMessage assignment = to("moderator2@example.org");
            assertThat(assignment.getContentLanguage()).containsExactly("cy");
            assertThat(GreenMailUtil.getBody(assignment)).contains("https://api.exchange.test/.rest/exchange/v1/moderation/items/" + id);

            // 3. moderator2 declines it with a reason: the contributor is told, in Welsh, with the reason
            long revision = server.json(moderate(server, "moderator2", "GET", "/items/" + id, null)).get("revision").asLong();
            String reason = "Mae hwn eisoes yn y llyfrgell.";
            HttpResponse<String> declined = moderate(server, "moderator2", "POST", "/items/" + id + "/transitions",
                    "{\"to\":\"rejected\",\"revision\":" + revision + ",\"reason\":\"" + reason + "\"}");
            assertThat(declined.statusCode()).as(declined.body()).isEqualTo(200);
            assertThat(MAIL.waitForIncomingEmail(TIMEOUT, 3)).isTrue();
            MimeMessage decision = to("carer@example.org");
            assertThat(decision.getContentLanguage()).containsExactly("cy");
            assertThat(GreenMailUtil.getBody(decision)).contains(reason);
            assertThat(List.of(MAIL.getReceivedMessages())).hasSize(3);

            // the status page shows the decision and the reason from the audit trail
            JsonNode status = IntakeClient.json(c.get("/submissions/" + statusToken));
            assertThat(status.get("status").asText()).isEqualTo("declined");
            assertThat(status.get("reason").asText()).isEqualTo(reason);
        }
    }
}
