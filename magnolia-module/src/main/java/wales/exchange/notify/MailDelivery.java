package wales.exchange.notify;

import java.time.Clock;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.lifecycle.Managed;
import wales.exchange.settings.ExchangeSettings;

/**
 * Notification mail in either host: with an SMTP host set ({@link ExchangeSettings#smtp}: the server's
 * {@code --smtp-*} flags, Magnolia's {@code /modules/exchange/config/smtp*}, or {@code EXCHANGE_SMTP_*}), starts a
 * {@link NotificationSender} over an {@link SmtpMailer} made from exactly those settings; without one, makes the
 * outbox folders and logs how many notices wait in it (kept, and sent by a later start with SMTP settings).
 */
public final class MailDelivery implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);
    private final ExchangeSettings.Smtp smtp;
    private final NotificationSender.Login login;
    private final Templates templates;
    private final Clock clock;
    private NotificationSender sender;

    public MailDelivery(ExchangeSettings.Smtp smtp, NotificationSender.Login login, Templates templates, Clock clock) {
        this.smtp = smtp;
        this.login = login;
        this.templates = templates;
        this.clock = clock;
    }

    /** Whether this delivery sends (an SMTP host is set). */
    public boolean sending() {
        return smtp.enabled();
    }

    @Override
    public synchronized void start() throws RepositoryException {
        if (!smtp.enabled()) {
            Session s = login.login();
            try {
                Notifications.install(s);
                LOG.info("notifications: SMTP off (no SMTP host set): {} notice(s) waiting in the outbox, kept until SMTP is set",
                        Notifications.pending(s).size());
            } finally {
                s.logout();
            }
            return;
        }
        sender = new NotificationSender(login, new SmtpMailer(smtp), templates,
                NotificationSender.Config.defaults(SmtpMailer.domainOf(smtp.from())), clock);
        sender.start();
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (sender != null) {
            sender.stop();
            sender = null;
        }
    }
}
