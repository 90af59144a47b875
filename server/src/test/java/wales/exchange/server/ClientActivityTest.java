package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Background work gives way to clients: busy for {@link ClientActivity#QUIET_MILLIS} after a request, waits bounded. */
class ClientActivityTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(5_000 * MS);
    private final List<Long> sleeps = new ArrayList<>();
    /** Each sleep advances the clock by what was asked; {@link #clientUntil} keeps a client asking until then. */
    private long clientUntil = Long.MIN_VALUE;
    private ClientActivity activity;

    private ClientActivity activity() {
        activity = new ClientActivity(now::get, millis -> {
            sleeps.add(millis);
            now.addAndGet(millis * MS);
            if (now.get() < clientUntil) {
                activity.request();
            }
        });
        return activity;
    }

    @Test
    void quietUntilAClientAsksThenBusyForTheQuietTime() {
        ClientActivity a = activity();
        assertThat(a.busy()).isFalse();
        assertThat(a.awaitQuiet(2_000)).as("quiet: no wait").isZero();
        assertThat(sleeps).isEmpty();
        a.request();
        assertThat(a.busy()).isTrue();
        now.addAndGet((ClientActivity.QUIET_MILLIS - 1) * MS);
        assertThat(a.busy()).isTrue();
        now.addAndGet(2 * MS);
        assertThat(a.busy()).isFalse();
    }

    @Test
    void waitsWhileClientsAreServedThenGoesOn() {
        ClientActivity a = activity();
        a.request();
        clientUntil = now.get() + 500 * MS; // a client asks for half a second more
        long waited = a.awaitQuiet(2_000);
        assertThat(waited).as("the client's half second and the quiet time after it")
                .isBetween(500 + ClientActivity.QUIET_MILLIS - ClientActivity.STEP_MILLIS, 500 + ClientActivity.QUIET_MILLIS + ClientActivity.STEP_MILLIS);
        assertThat(a.busy()).isFalse();
        assertThat(sleeps).allMatch(s -> s == ClientActivity.STEP_MILLIS);
    }

    @Test
    void aSteadyLoadIsWaitedForAtMostTheLimit() {
        ClientActivity a = activity();
        a.request();
        clientUntil = Long.MAX_VALUE; // clients never stop
        long waited = a.awaitQuiet(2_000);
        assertThat(waited).isBetween(2_000L, 2_000L + ClientActivity.STEP_MILLIS);
        assertThat(a.busy()).as("still busy: the caller goes on anyway").isTrue();
    }

    @Test
    void nothingWaitsOnceTheServerStops() {
        ClientActivity a = activity();
        a.request();
        clientUntil = Long.MAX_VALUE;
        a.stop();
        assertThat(a.stopping()).isTrue();
        assertThat(a.awaitQuiet(2_000)).isZero();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        ClientActivity a = new ClientActivity(now::get, millis -> {
            throw new InterruptedException();
        });
        a.request();
        try {
            assertThat(a.awaitQuiet(2_000)).isZero();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
