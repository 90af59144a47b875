package wales.exchange.server;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.jcr.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.intake.IntakeStore;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.lifecycle.Managed;

/**
 * Runs the intake's retention purge ({@link IntakeStore#purge}) at start and then every hour, on a daemon thread of its
 * own. Which days are old is decided by the injected clock, so a test advances the clock and calls {@link #runOnce()}.
 */
@Singleton
final class IntakePurge implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(IntakePurge.class);
    private final IntakeStore store;
    private final ServerRepository repository;
    private ScheduledExecutorService executor;

    @Inject
    IntakePurge(IntakeStore store, ServerRepository repository) {
        this.store = store;
        this.repository = repository;
    }

    @Override
    public void start() {
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
    synchronized IntakeStore.Purged runOnce() throws Exception {
        EmbeddedRepository r = repository.get();
        Session s = r.login();
        try {
            return store.purge(s);
        } finally {
            s.logout();
        }
    }

    @Override
    public void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
