package wales.exchange.server;

/** A start-up failure the operator can fix (a port in use, a bad setting): reported as its one-line message. */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }
}
