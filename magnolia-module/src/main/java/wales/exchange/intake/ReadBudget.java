package wales.exchange.intake;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bound on the request bytes the intake reads and holds at once for files: multipart contributions and the upload
 * step share {@link #BYTES}. A request takes what it may hold (its declared length, at most its cap) before its body
 * is read, and gives it back when answered; when that much is not free it is refused at once (503, Retry-After) and
 * its body is never read. Plain Java: the same in the standalone server and in Magnolia.
 */
public final class ReadBudget {
    /** 48 MiB: four or five 10 MB files at once, well inside a 768 MiB heap with the copies a save makes. */
    public static final int BYTES = 48 * 1024 * 1024;
    /** The Retry-After of a request refused for want of budget: files are read in seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final int total;
    private final Semaphore free;

    ReadBudget(int total) {
        this.total = total;
        this.free = new Semaphore(total);
    }

    /** A lease of {@code bytes} (at least 1, at most the whole budget), or null when that much is not free now. */
    Lease tryTake(long bytes) {
        int n = (int) Math.max(1, Math.min(bytes, total));
        return free.tryAcquire(n) ? new Lease(n) : null;
    }

    /** The bytes free now (for monitoring and tests). */
    public int free() {
        return free.availablePermits();
    }

    /** Bytes taken from the budget; closing gives them back (once). */
    final class Lease implements AutoCloseable {
        private final int bytes;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(int bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                free.release(bytes);
            }
        }
    }
}
