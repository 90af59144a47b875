package wales.exchange.server;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/** Waiting on the wall clock for tests whose subject has one-second precision (HTTP dates, token refill). */
final class Waits {
    private Waits() {
    }

    /** Returns once the clock has reached {@code instant}: parks until then, re-checking, never a guessed sleep. */
    static void until(Instant instant) {
        while (Instant.now().isBefore(instant)) {
            LockSupport.parkUntil(instant.toEpochMilli());
        }
    }

    /** Returns once a new second has begun after {@code after} (HTTP dates differ from then on). */
    static void nextSecondAfter(Instant after) {
        until(Instant.ofEpochSecond(after.getEpochSecond() + 1));
    }
}
