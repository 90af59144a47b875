package wales.exchange.content;

/** A write based on a stale revision: someone else saved first. Nothing was written. */
public class ConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long currentRevision;

    public ConflictException(String id, long expected, long current) {
        super("item " + id + " is at revision " + current + ", not " + expected);
        this.currentRevision = current;
    }

    public long currentRevision() {
        return currentRevision;
    }
}
