package wales.exchange.server;

import wales.exchange.settings.ExchangeSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.i18n.Lang;
import wales.exchange.notify.Notice;
import wales.exchange.notify.Notifications;
import wales.exchange.notify.Template;

/** The server's notifications: SMTP settings, off by default (notices kept), sent after a restart with SMTP, once. */
class NotificationsServerTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static String[] smtpFlags() {
        return new String[] {"--smtp-host", "127.0.0.1", "--smtp-port", Integer.toString(MAIL.getSmtp().getPort()),
                "--smtp-from", "exchange@exchange.test", "--smtp-starttls=false"};
    }

    private static Notice decision(int i) {
        return Notice.of("carer" + i + "@example.org", i % 2 == 0 ? Lang.CY : Lang.EN, Template.DECISION_DECLINED, "name", "Carer " + i,
                "reference", "EX-" + i, "title", "Adroddiad " + i, "reason", "Mae'n ddyblygiad o eitem sydd eisoes wedi'i chyhoeddi.",
                "statusUrl", "https://exchange.test/status/" + i);
    }

    @Test
    void noticesKeptWhileSmtpIsOffAreSentOnceAfterARestartWithSmtp(@TempDir Path dir) throws Exception {
        String[] base = {"--data", dir.resolve("data").toString(), "--no-demo"};
        List<String> ids = new ArrayList<>();
        try (ExchangeServerExtension off = new ExchangeServerExtension(base).start()) {
            assertThat(off.injector().getInstance(ExchangeSettings.class).smtp().enabled()).isFalse();
            off.withSession((s, content) -> {
                for (int i = 0; i < 3; i++) {
                    ids.add(Notifications.enqueue(s, decision(i)));
                }
                s.save();
                return null;
            });
        }
        assertThat(MAIL.getReceivedMessages()).as("SMTP off: nothing sent").isEmpty();

        List<String> all = new ArrayList<>(base.length + 7);
        all.addAll(List.of(base));
        all.addAll(List.of(smtpFlags()));
        try (ExchangeServerExtension on = new ExchangeServerExtension(all.toArray(String[]::new)).start()) {
            assertThat(MAIL.waitForIncomingEmail(TIMEOUT.toMillis(), 3)).isTrue();
            // and one written while it runs: observation wakes the sender
            on.withSession((s, content) -> {
                ids.add(Notifications.enqueue(s, decision(3)));
                s.save();
                return null;
            });
            assertThat(MAIL.waitForIncomingEmail(TIMEOUT.toMillis(), 4)).isTrue();
            Conditions.await("the outbox to empty", TIMEOUT, () -> on.withSession((s, c) -> Notifications.list(s).isEmpty()));
        }
        MimeMessage[] got = MAIL.getReceivedMessages();
        assertThat(got).extracting(MimeMessage::getMessageID)
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "<" + id + ".notice@exchange.test>").toList());
        MimeMessage welsh = java.util.Arrays.stream(got).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals("carer0@example.org");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).findFirst().orElseThrow();
        assertThat(welsh.getSubject()).isEqualTo("Nid yw eich cyfraniad EX-0 wedi'i dderbyn");
        assertThat(((String) welsh.getContent())).contains("Mae'n ddyblygiad o eitem sydd eisoes wedi'i chyhoeddi.");
    }

    @Test
    void smtpSettingsAreCheckedTogether() {
        ExchangeSettings.Smtp smtp = Settings.parse(new String[0], Map.of("EXCHANGE_SMTP_HOST", "mail.example.org", "EXCHANGE_SMTP_FROM",
                "exchange@example.org", "EXCHANGE_SMTP_USER", "exchange", "EXCHANGE_SMTP_PASSWORD", "s3cret")).smtp();
        assertThat(smtp).isEqualTo(new ExchangeSettings.Smtp("mail.example.org", 587, "exchange@example.org", "exchange", "s3cret", true));
        assertThat(smtp.toString()).doesNotContain("s3cret");
        assertThat(Settings.parse(new String[0], Map.of()).smtp().enabled()).as("off by default").isFalse();
        assertThatThrownBy(() -> Settings.parse(new String[] {"--smtp-host", "mail.example.org"}, Map.of()))
                .hasMessage("--smtp-host needs --smtp-from (EXCHANGE_SMTP_FROM), the sender address");
        assertThatThrownBy(() -> Settings.parse(new String[] {"--smtp-host", "mail.example.org", "--smtp-from", "not-an-address"}, Map.of()))
                .hasMessage("--smtp-from must be an email address such as exchange@example.org, got 'not-an-address'");
        assertThatThrownBy(() -> Settings.parse(new String[] {"--smtp-host", "m.example.org", "--smtp-from", "a@example.org",
                "--smtp-user", "u"}, Map.of())).hasMessage("--smtp-user and --smtp-password (EXCHANGE_SMTP_PASSWORD) go together");
        assertThatThrownBy(() -> Settings.parse(new String[] {"--smtp-host", "m.example.org", "--smtp-from", "a@example.org",
                "--smtp-user", "u", "--smtp-starttls=false"}, Map.of("EXCHANGE_SMTP_PASSWORD", "p")))
                .hasMessage("--smtp-starttls=false with --smtp-user would send the password in clear to m.example.org");
        assertThatThrownBy(() -> Settings.parse(new String[0], Map.of("EXCHANGE_SMTP_PORT", "0")))
                .hasMessage("EXCHANGE_SMTP_PORT must be a whole number from 1 to 65535, got '0'");
        assertThatThrownBy(() -> Settings.parse(new String[] {"--smtp-host", "mail example"}, Map.of()))
                .hasMessage("--smtp-host must be a host name or address, got 'mail example'");
    }
}
