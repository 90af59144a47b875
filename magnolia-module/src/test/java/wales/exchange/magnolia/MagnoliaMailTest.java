package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.Properties;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.i18n.Lang;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.notify.MailDelivery;
import wales.exchange.notify.Notice;
import wales.exchange.notify.Notifications;
import wales.exchange.notify.SmtpMailerAccess;
import wales.exchange.notify.Template;
import wales.exchange.settings.ExchangeSettings;

/**
 * Issue 13, item 3: inside Magnolia notification mail is sent with the SMTP settings read from the module
 * configuration ({@code /modules/exchange/config/smtp*}), the same settings and sender as the server's, and every SMTP
 * setting read is used. The module's own configurer and injector, a real Jackrabbit repository and GreenMail, a real
 * SMTP server in this JVM on a random port; waits on GreenMail's count, never a sleep.
 */
@ExtendWith(JcrExtension.class)
class MagnoliaMailTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static Injector injector(Map<String, String> moduleConfig, EmbeddedRepository repo) {
        return Guice.createInjector(Stage.PRODUCTION, Modules.override(new ExchangeComponentConfigurer()).with(binder -> {
            binder.bind(SessionSource.class).toInstance(workspace -> repo.login());
            binder.bind(ModuleConfig.class).toInstance(() -> moduleConfig);
            binder.bind(info.magnolia.resourceloader.ResourceOrigin.class)
                    .toInstance(Origins.of(java.nio.file.Path.of("../light-modules")).origin);
        }));
    }

    @Test
    void theModuleConfigurationsSmtpSettingsSendTheMail(EmbeddedRepository repo, Session s) throws Exception {
        Injector injector = injector(Map.of("smtpHost", "127.0.0.1", "smtpPort", Integer.toString(MAIL.getSmtp().getPort()),
                "smtpFrom", "exchange@example.cymru", "smtpStarttls", "false"), repo);
        MailDelivery mail = injector.getInstance(MailDelivery.class);
        assertThat(mail.sending()).isTrue();
        mail.start();
        try {
            Notifications.install(s);
            Notifications.enqueue(s, Notice.of("gwen@example.cymru", Lang.CY, Template.SUBMISSION_RECEIVED, "name", "Gwen",
                    "reference", "EX-2026-0042", "title", "Llyfryddiaeth", "statusUrl", "https://exchange.test/status/EX-2026-0042"));
            s.save();
            assertThat(MAIL.waitForIncomingEmail(30_000, 1)).as("the notice reached the configured SMTP server").isTrue();
            MimeMessage m = MAIL.getReceivedMessages()[0];
            assertThat(m.getFrom()[0].toString()).as("smtpFrom").isEqualTo("exchange@example.cymru");
            assertThat(m.getAllRecipients()[0].toString()).isEqualTo("gwen@example.cymru");
        } finally {
            mail.stop();
        }
    }

    @Test
    void withoutAnSmtpHostNothingIsSentAndNoticesWait(EmbeddedRepository repo) throws Exception {
        MailDelivery mail = injector(Map.of(), repo).getInstance(MailDelivery.class);
        assertThat(mail.sending()).isFalse();
        mail.start();
        mail.stop();
    }

    /** Every SMTP setting of the module configuration ends up in the mailer: none is read and ignored. */
    @Test
    void everySmtpSettingReadIsUsedByTheMailer(EmbeddedRepository repo) {
        ExchangeSettings settings = injector(Map.of("smtpHost", "mail.example.cymru", "smtpPort", "2525", "smtpFrom",
                "exchange@example.cymru", "smtpUser", "exchange", "smtpPassword", "a-password", "smtpStarttls", "true"), repo)
                .getInstance(ExchangeSettings.class);
        Properties p = SmtpMailerAccess.properties(settings.smtp());
        assertThat(p.getProperty("mail.smtp.host")).isEqualTo("mail.example.cymru");
        assertThat(p.getProperty("mail.smtp.port")).isEqualTo("2525");
        assertThat(p.getProperty("mail.smtp.from")).isEqualTo("exchange@example.cymru");
        assertThat(p.getProperty("mail.smtp.auth")).as("smtpUser and smtpPassword: authenticated").isEqualTo("true");
        assertThat(p.getProperty("mail.smtp.starttls.required")).isEqualTo("true");
        assertThat(SmtpMailerAccess.credentials(settings.smtp())).containsExactly("exchange", "a-password");
        Properties plain = SmtpMailerAccess.properties(injector(Map.of("smtpHost", "relay.internal", "smtpFrom",
                "exchange@example.cymru", "smtpStarttls", "false"), repo).getInstance(ExchangeSettings.class).smtp());
        assertThat(plain.getProperty("mail.smtp.starttls.enable")).as("smtpStarttls=false").isNull();
        assertThat(plain.getProperty("mail.smtp.auth")).isNull();
        assertThat(plain.getProperty("mail.smtp.port")).as("default port").isEqualTo(Integer.toString(ExchangeSettings.DEFAULT_SMTP_PORT));
    }
}
