package wales.exchange.server;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.LongSupplier;

/**
 * When clients were last served, so that the server's own background work after a start (the JIT warm-up, the
 * repository check) gives way to them: {@link EdgeHandler} marks every client request ({@link #request}); the background
 * work calls {@link #awaitQuiet} between its steps, which waits while a client request came in the last
 * {@link #QUIET_MILLIS} ms, at most as long as it is told. On two cores, a first run of requests right after a start
 * shared them with both (the repository check alone reads every bundle: about 15 s of CPU at 100k items), and ran at
 * a third to a half of the throughput it had once they were done (docs/benchmarks.md).
 */
@Singleton
final class ClientActivity {
    /** Clients count as being served for this long after a request of theirs arrives. */
    static final long QUIET_MILLIS = 100;
    /** How long {@link #awaitQuiet} sleeps between two looks. */
    static final long STEP_MILLIS = 20;

    /** Waits; {@link Thread#sleep} but for tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final LongSupplier clock;
    private final Sleeper sleeper;
    /** {@link #clock} when a client request last arrived (updated at most once a millisecond). */
    private volatile long last;
    private volatile boolean stopping;

    @Inject
    ClientActivity() {
        this(System::nanoTime, Thread::sleep);
    }

    ClientActivity(LongSupplier clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.last = clock.getAsLong() - 3_600_000_000_000L; // an hour ago: quiet
    }

    /** A client request arrived (not the server's own). Cheap: a volatile read, and a write at most once a millisecond. */
    void request() {
        long now = clock.getAsLong();
        if (now - last > 1_000_000L) {
            last = now;
        }
    }

    /** The server stops: from now on nothing waits ({@link #awaitQuiet} returns at once). */
    void stop() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    /** Whether a client request arrived in the last {@link #QUIET_MILLIS} ms. */
    boolean busy() {
        return clock.getAsLong() - last < QUIET_MILLIS * 1_000_000L;
    }

    /**
     * Waits while clients are being served ({@link #busy}), for at most {@code maxMillis} and not once the server
     * stops; returns the milliseconds waited
     * (0 when quiet at once). An interrupt ends the wait early, with the thread's interrupt flag set.
     */
    long awaitQuiet(long maxMillis) {
        long start = clock.getAsLong();
        long limit = maxMillis * 1_000_000L;
        try {
            while (!stopping && busy() && clock.getAsLong() - start < limit) {
                sleeper.sleep(STEP_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (clock.getAsLong() - start) / 1_000_000L;
    }
}
