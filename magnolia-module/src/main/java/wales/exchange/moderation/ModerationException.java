package wales.exchange.moderation;

/**
 * A moderation request refused for a reason other than the workflow: {@code code} is {@code notFound},
 * {@code alreadyClaimed}, {@code noSuchUser}, {@code notConvertible}, {@code badSchedule}.
 */
public class ModerationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public ModerationException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
