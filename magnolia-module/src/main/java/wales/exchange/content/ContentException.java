package wales.exchange.content;

/** The repository failed underneath (I/O, broken node types): not the caller's fault. */
public class ContentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
