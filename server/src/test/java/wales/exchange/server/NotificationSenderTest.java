package wales.exchange.server;

import wales.exchange.settings.ExchangeSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import wales.exchange.notify.SmtpMailer;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.jcr.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.i18n.Lang;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.notify.Email;
import wales.exchange.notify.Mailer;
import wales.exchange.notify.Notice;
import wales.exchange.notify.NotificationSender;
import wales.exchange.notify.Notifications;
import wales.exchange.notify.Template;
import wales.exchange.notify.Templates;

/**
 * The outbox and its sender on a real Jackrabbit repository, sending by SMTP ({@link SmtpMailer}) to GreenMail, a real
 * SMTP server in this JVM on a random port. Every wait is on a condition (GreenMail's count, the outbox's content).
 */
class NotificationSenderTest {
    static final String FROM = "exchange@exchange.test";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private EmbeddedRepository repository;
    private final List<NotificationSender> senders = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        repository = EmbeddedRepository.inMemory();
    }

    @AfterEach
    void close() throws Exception {
        for (NotificationSender s : senders) {
            s.stop();
        }
        repository.close();
    }

    static ExchangeSettings.Smtp smtp(int port) {
        return new ExchangeSettings.Smtp("127.0.0.1", port, FROM, null, null, false);
    }

    /** Fast retries for tests: 50 ms, doubling, at most 200 ms apart. */
    static NotificationSender.Config fast(int maxAttempts) {
        return new NotificationSender.Config(maxAttempts, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5), "exchange.test");
    }

    private NotificationSender sender(Mailer mailer, NotificationSender.Config config) throws Exception {
        NotificationSender s = new NotificationSender(repository::login, mailer, new Templates(), config, Clock.systemUTC());
        s.start();
        senders.add(s);
        return s;
    }

    static Notice received(String to, Lang lang, String reference) {
        return Notice.of(to, lang, Template.SUBMISSION_RECEIVED, "name", "Gwen", "reference", reference, "title",
                "Llyfryddiaeth addysg plant mewn gofal", "statusUrl", "https://exchange.test/status/" + reference);
    }

    /** Enqueues the notices in one session and saves them together. */
    private List<String> enqueueAndSave(Notice... notices) throws Exception {
        Session s = repository.login();
        try {
            List<String> ids = new ArrayList<>();
            for (Notice n : notices) {
                ids.add(Notifications.enqueue(s, n));
            }
            s.save();
            return ids;
        } finally {
            s.logout();
        }
    }

    private int outboxSize() throws Exception {
        Session s = repository.login();
        try {
            return Notifications.list(s).size();
        } finally {
            s.logout();
        }
    }

    /** Waits until the outbox is empty: every notice sent (and so never sent again: a sent notice is removed). */
    private void awaitEmptyOutbox() throws Exception {
        Conditions.await("the outbox to empty", TIMEOUT, () -> outboxSize() == 0);
    }

    @Test
    void aSavedNoticeArrivesOnceInItsLanguage() throws Exception {
        sender(new SmtpMailer(smtp(MAIL.getSmtp().getPort())), fast(3));
        String id = enqueueAndSave(received("gwen@example.cymru", Lang.CY, "EX-2026-0001")).get(0);

        assertThat(MAIL.waitForIncomingEmail(TIMEOUT.toMillis(), 1)).isTrue();
        awaitEmptyOutbox();
        MimeMessage[] got = MAIL.getReceivedMessages();
        assertThat(got).hasSize(1);
        MimeMessage m = got[0];
        assertThat(m.getSubject()).isEqualTo("Rydym wedi derbyn eich cyfraniad EX-2026-0001");
        assertThat(m.getHeader("Content-Language")).containsExactly("cy");
        assertThat(m.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        assertThat(m.getMessageID()).isEqualTo("<" + id + ".notice@exchange.test>");
        assertThat(m.getAllRecipients()[0].toString()).isEqualTo("gwen@example.cymru");
        assertThat(m.getFrom()[0].toString()).isEqualTo(FROM);
        String body = ((String) m.getContent()).replace("\r\n", "\n");
        assertThat(body).startsWith("Annwyl Gwen,").contains("Eich cyfeirnod yw EX-2026-0001.",
                "https://exchange.test/status/EX-2026-0001", "\"Llyfryddiaeth addysg plant mewn gofal\"");
    }

    @Test
    void aNoticeInASessionThatIsNotSavedIsNeverSent() throws Exception {
        sender(new SmtpMailer(smtp(MAIL.getSmtp().getPort())), fast(3));
        Session s = repository.login();
        try {
            Notifications.enqueue(s, received("lost@example.org", Lang.EN, "EX-UNSAVED"));
            s.refresh(false); // the change that would have caused it failed: nothing saved
            Notifications.enqueue(s, received("kept@example.org", Lang.EN, "EX-SAVED"));
            s.save();
        } finally {
            s.logout();
        }
        assertThat(MAIL.waitForIncomingEmail(TIMEOUT.toMillis(), 1)).isTrue();
        awaitEmptyOutbox();
        assertThat(MAIL.getReceivedMessages()).extracting(MimeMessage::getSubject)
                .containsExactly("We have received your contribution EX-SAVED");
    }

    @Test
    void smtpDownIsRetriedAndTheNoticeDeliveredOnceWhenItComesBack() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free now; nothing listens on it until GreenMail starts below
        }
        sender(new SmtpMailer(smtp(port)), fast(1000));
        String id = enqueueAndSave(received("ffion@example.org", Lang.EN, "EX-RETRY")).get(0);
        // at least two failed attempts, each with its error kept on the notice
        Conditions.await("two failed attempts", TIMEOUT, () -> attempts(id) >= 2);
        Session s = repository.login();
        try {
            assertThat(Notifications.pending(s)).singleElement().satisfies(n ->
                    assertThat(n.lastError()).contains("Couldn't connect").contains(Integer.toString(port)));
        } finally {
            s.logout();
        }
        GreenMail back = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        back.start();
        try {
            assertThat(back.waitForIncomingEmail(TIMEOUT.toMillis(), 1)).isTrue();
            awaitEmptyOutbox();
            assertThat(back.getReceivedMessages()).extracting(MimeMessage::getMessageID)
                    .containsExactly("<" + id + ".notice@exchange.test>");
        } finally {
            back.stop();
        }
    }

    private long attempts(String id) throws Exception {
        Session s = repository.login();
        try {
            return Notifications.list(s).stream().filter(n -> n.id().equals(id)).mapToLong(Notifications.Stored::attempts)
                    .findFirst().orElse(-1);
        } finally {
            s.logout();
        }
    }

    @Test
    void attemptsUsedUpLeaveTheNoticeFailedWithItsError() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        sender(new SmtpMailer(smtp(port)), fast(3));
        String id = enqueueAndSave(received("ffion@example.org", Lang.EN, "EX-FAIL")).get(0);
        Conditions.await("the notice to fail", TIMEOUT, () -> {
            Session s = repository.login();
            try {
                return !Notifications.failed(s).isEmpty();
            } finally {
                s.logout();
            }
        });
        Session s = repository.login();
        try {
            Notifications.Stored failed = Notifications.failed(s).get(0);
            assertThat(failed.id()).isEqualTo(id);
            assertThat(failed.attempts()).isEqualTo(3);
            assertThat(failed.lastError()).contains("Couldn't connect");
            assertThat(Notifications.pending(s)).isEmpty();
        } finally {
            s.logout();
        }
    }

    /**
     * Defect: a recipient the SMTP server refuses comes back in its reply ("550 5.1.1 <address>: ... rejected"), which
     * went in full into the notice's lastError and the log line.
     */
    @Test
    void aRefusedRecipientsAddressIsMaskedInLastErrorAndTheLog() throws Exception {
        try (ServerSocket smtp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> refuseEveryRecipient(smtp), "refusing-smtp");
            server.setDaemon(true);
            server.start();
            String log = TransportHardeningTest.logOf(logSoFar -> {
                sender(new SmtpMailer(smtp(smtp.getLocalPort())), fast(3));
                enqueueAndSave(received("rhys.secret@example.org", Lang.CY, "EX-REFUSED"));
                Conditions.await("the notice to fail", TIMEOUT, () -> {
                    Session s = repository.login();
                    try {
                        return !Notifications.failed(s).isEmpty();
                    } finally {
                        s.logout();
                    }
                });
                // the sender logs the failure after saving the failed notice: wait for the line too
                Conditions.await("the failure to be logged", TIMEOUT, () -> logSoFar.get().contains("failed for good"));
            });
            Session s = repository.login();
            try {
                Notifications.Stored failed = Notifications.failed(s).get(0);
                assertThat(failed.attempts()).as("refused for good: not tried again").isEqualTo(1);
                assertThat(failed.lastError()).contains("550").contains("r***@example.org").doesNotContain("rhys.secret");
                assertThat(failed.notice().to()).isEqualTo("rhys.secret@example.org"); // still there to retry by hand
            } finally {
                s.logout();
            }
            assertThat(log).contains("failed for good").doesNotContain("rhys.secret");
        }
    }

    /** A minimal SMTP server that answers every RCPT TO with a 550 naming the address, as real ones do. */
    private static void refuseEveryRecipient(ServerSocket smtp) {
        while (!smtp.isClosed()) {
            try (java.net.Socket c = smtp.accept()) {
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(c.getInputStream(),
                        java.nio.charset.StandardCharsets.US_ASCII));
                java.io.Writer out = new java.io.OutputStreamWriter(c.getOutputStream(), java.nio.charset.StandardCharsets.US_ASCII);
                out.write("220 refusing.test ESMTP\r\n");
                out.flush();
                for (String line; (line = in.readLine()) != null; ) {
                    String u = line.toUpperCase(java.util.Locale.ROOT);
                    if (u.startsWith("EHLO") || u.startsWith("HELO")) {
                        out.write("250 refusing.test\r\n");
                    } else if (u.startsWith("MAIL") || u.startsWith("RSET") || u.startsWith("NOOP")) {
                        out.write("250 2.1.0 Ok\r\n");
                    } else if (u.startsWith("RCPT")) {
                        out.write("550 5.1.1 " + line.substring(line.indexOf('<')) + ": Recipient address rejected: User unknown\r\n");
                    } else if (u.startsWith("QUIT")) {
                        out.write("221 2.0.0 Bye\r\n");
                        out.flush();
                        break;
                    } else {
                        out.write("503 5.5.1 Error: need RCPT command\r\n");
                    }
                    out.flush();
                }
            } catch (java.io.IOException e) {
                // closed at the end of the test, or the client went away: next connection
            }
        }
    }

    @Test
    void aClaimEndsWithTheSessionThatHeldIt() throws Exception {
        String id = enqueueAndSave(received("osian@example.org", Lang.EN, "EX-CLAIMED")).get(0);
        Session crashed = repository.login();
        String path = Notifications.list(crashed).get(0).path();
        // a sender that claimed the notice and then went away without sending it
        crashed.getWorkspace().getLockManager().lock(path, false, true, Long.MAX_VALUE, "a sender that died");
        sender(new SmtpMailer(smtp(MAIL.getSmtp().getPort())), fast(3));
        assertThat(attempts(id)).as("held by the other session: not attempted").isZero();
        crashed.logout();
        assertThat(MAIL.waitForIncomingEmail(TIMEOUT.toMillis(), 1)).isTrue();
        awaitEmptyOutbox();
        assertThat(MAIL.getReceivedMessages()).extracting(MimeMessage::getMessageID).containsExactly("<" + id + ".notice@exchange.test>");
    }

    @Test
    void concurrentSendersSendEachNoticeExactlyOnce() throws Exception {
        int port = MAIL.getSmtp().getPort();
        AtomicInteger[] sentBy = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        for (AtomicInteger counter : sentBy) {
            SmtpMailer smtp = new SmtpMailer(smtp(port));
            sender(new Mailer() {
                @Override
                public void send(Email email) throws MailException {
                    smtp.send(email);
                    counter.incrementAndGet();
                }

                @Override
                public String describe() {
                    return smtp.describe();
                }
            }, fast(3));
        }
        int n = 60;
        Set<String> ids = new HashSet<>();
        for (int batch = 0; batch < 3; batch++) { // three saves, each waking all three senders at once
            Notice[] notices = new Notice[n / 3];
            for (int i = 0; i < notices.length; i++) {
                notices[i] = received("reader" + batch + "-" + i + "@example.org", i % 2 == 0 ? Lang.EN : Lang.CY, "EX-" + batch + "-" + i);
            }
            ids.addAll(enqueueAndSave(notices));
        }
        assertThat(MAIL.waitForIncomingEmail(TIMEOUT.toMillis(), n)).isTrue();
        awaitEmptyOutbox();
        MimeMessage[] got = MAIL.getReceivedMessages();
        List<String> messageIds = new ArrayList<>();
        for (MimeMessage m : got) {
            messageIds.add(m.getMessageID());
        }
        assertThat(messageIds).hasSize(n).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "<" + id + ".notice@exchange.test>").toList());
        assertThat(Arrays.stream(sentBy).mapToInt(AtomicInteger::get).sum()).isEqualTo(n);
    }
}
