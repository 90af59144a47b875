package wales.exchange.intake;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.jcr.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.delivery.index.Sessions;
import wales.exchange.lifecycle.Managed;

/**
 * Runs the intake's retention purge ({@link IntakeStore#purge}) at start and then every hour, on a daemon thread of its
 * own, in the standalone server and in Magnolia alike. Which days are old is decided by the injected clock, so a test
 * advances the clock and calls {@link #runOnce()}.
 */
@Singleton
public final class RetentionPurge implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);
    private final IntakeStore store;
    private final Sessions sessions;
    private ScheduledExecutorService executor;

    @Inject
    public RetentionPurge(IntakeStore store, Sessions sessions) {
        this.store = store;
        this.sessions = sessions;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "intake-purge");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::runSafely, 0, 1, TimeUnit.HOURS);
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (Exception e) {
            LOG.error("intake purge failed: {}", e.toString());
        }
    }

    /** One purge, now. */
    public synchronized IntakeStore.Purged runOnce() throws Exception {
        Session s = sessions.open();
        try {
            return store.purge(s);
        } finally {
            s.logout();
        }
    }

    @Override
    public void stop() throws InterruptedException {
        ScheduledExecutorService e;
        synchronized (this) {
            e = executor;
            executor = null;
        }
        if (e != null) {
            e.shutdownNow();
            e.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
