package wales.exchange.notify;

/** Hands an {@link Email} to a mail server (the standalone server: SMTP). Called from the sender's one thread. */
public interface Mailer {
    /**
     * Sends {@code email}; returns once the mail server has accepted it.
     *
     * @throws MailException when it was not accepted; {@link MailException#permanent()} when trying again cannot help
     *                       (the server refused the address), else it is tried again later
     */
    void send(Email email) throws MailException;

    /** Where mail goes, for log lines (e.g. {@code smtp://mail.example.org:587}). */
    String describe();

    /** A failure to hand over a message. */
    final class MailException extends Exception {
        private final boolean permanent;

        public MailException(String message, boolean permanent, Throwable cause) {
            super(message, cause);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }
}
