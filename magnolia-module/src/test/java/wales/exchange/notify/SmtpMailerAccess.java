package wales.exchange.notify;

import java.util.List;
import java.util.Properties;
import wales.exchange.settings.ExchangeSettings;

/** Test access to what an {@link SmtpMailer} makes of its settings. */
public final class SmtpMailerAccess {
    private SmtpMailerAccess() {
    }

    public static Properties properties(ExchangeSettings.Smtp smtp) {
        return new SmtpMailer(smtp).properties();
    }

    /** The user name and password the mailer logs in with (none: empty). */
    public static List<String> credentials(ExchangeSettings.Smtp smtp) {
        SmtpMailer m = new SmtpMailer(smtp);
        return m.credentials();
    }
}
