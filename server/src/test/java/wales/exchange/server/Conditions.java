package wales.exchange.server;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waiting for a condition that nothing signals (a state in the repository): checked every few milliseconds, bounded. */
final class Conditions {
    private Conditions() {
    }

    @FunctionalInterface
    interface Check {
        boolean met() throws Exception;
    }

    /** Returns once {@code check} is met; fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, Check check) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!check.met()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
