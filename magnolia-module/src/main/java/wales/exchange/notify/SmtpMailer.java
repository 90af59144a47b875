package wales.exchange.notify;

import wales.exchange.settings.ExchangeSettings;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;

/**
 * Sends notices by SMTP (Jakarta Mail, Eclipse Angus Mail): plain-text UTF-8 mail with the notice's own Message-ID,
 * {@code Content-Language} and {@code Auto-Submitted: auto-generated} (RFC 3834: no auto-replies to it). STARTTLS is
 * required unless turned off; every network step has a timeout, so a hung server cannot hold the sender. Used by both
 * hosts, with the SMTP settings of {@link ExchangeSettings#smtp} (the server's flags; Magnolia's module configuration).
 */
public final class SmtpMailer implements Mailer {
    static final int TIMEOUT_MILLIS = 30_000;
    private final ExchangeSettings.Smtp smtp;
    private final jakarta.mail.Session mail;
    private final Properties properties;

    public SmtpMailer(ExchangeSettings.Smtp smtp) {
        this.smtp = smtp;
        Properties p = new Properties();
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.smtp.host", smtp.host());
        p.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
        p.setProperty("mail.smtp.from", smtp.from()); // the envelope sender (bounces)
        p.setProperty("mail.smtp.connectiontimeout", Integer.toString(TIMEOUT_MILLIS));
        p.setProperty("mail.smtp.timeout", Integer.toString(TIMEOUT_MILLIS));
        p.setProperty("mail.smtp.writetimeout", Integer.toString(TIMEOUT_MILLIS));
        if (smtp.startTls()) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
            p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        }
        if (smtp.user() != null) {
            p.setProperty("mail.smtp.auth", "true");
        }
        this.properties = p;
        this.mail = jakarta.mail.Session.getInstance(p);
    }

    /** The user name and password {@link #send} logs in with ({@code smtpUser}, {@code smtpPassword}); none: empty. */
    List<String> credentials() {
        return smtp.user() == null ? List.of() : List.of(smtp.user(), smtp.password());
    }

    /** The Jakarta Mail properties made from the settings (a copy; for tests: every SMTP setting read is used). */
    Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** The right-hand side of Message-IDs: the sender address's domain. */
    public static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    @Override
    public void send(Email email) throws MailException {
        try {
            MimeMessage m = new MimeMessage(mail) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", email.messageId()); // the same on every attempt
                }
            };
            m.setFrom(new InternetAddress(smtp.from(), true));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(email.to(), true));
            m.setSubject(email.subject(), "UTF-8");
            m.setText(email.body(), "UTF-8");
            m.setHeader("Content-Language", email.lang().tag());
            m.setHeader("Auto-Submitted", "auto-generated");
            m.setSentDate(new Date());
            List<String> login = credentials();
            if (login.isEmpty()) {
                Transport.send(m);
            } else {
                Transport.send(m, login.get(0), login.get(1));
            }
        } catch (AddressException e) {
            throw new MailException(oneLine(e), true, e);
        } catch (MessagingException e) {
            throw new MailException(oneLine(e), refusedAddress(e), e);
        }
    }

    /** True when the server refused the recipient for good (5xx on RCPT TO): trying again cannot help. */
    private static boolean refusedAddress(Throwable e) {
        for (Throwable t = e; t != null; t = t instanceof MessagingException me && me.getNextException() != null
                ? me.getNextException() : t.getCause()) {
            if (t instanceof SMTPAddressFailedException f && f.getReturnCode() >= 500) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The failure in one line: its kind and message, and the cause's when there is one (e.g. connection refused). */
    private static String oneLine(Exception e) {
        Throwable cause = e instanceof MessagingException me && me.getNextException() != null ? me.getNextException() : e.getCause();
        String s = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (cause != null && cause != e) {
            s += " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return s.replaceAll("[\\r\\n]+", " ").strip();
    }

    @Override
    public String describe() {
        return "smtp://" + smtp.host() + ":" + smtp.port() + (smtp.startTls() ? " (STARTTLS)" : "");
    }
}
