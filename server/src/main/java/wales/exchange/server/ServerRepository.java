package wales.exchange.server;

import wales.exchange.settings.ExchangeSettings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.lifecycle.Managed;

/**
 * The embedded Jackrabbit repository as a {@link Managed} component: opened when the lifecycle reaches it (after the
 * listener is bound, so a port in use is reported before anything is built), closed last but the listener.
 */
@Singleton
final class ServerRepository implements Managed {
    private final ExchangeSettings settings;
    private volatile EmbeddedRepository repository;
    private volatile List<StoreCompaction.Result> compactions = List.of();

    @Inject
    ServerRepository(ExchangeSettings settings) {
        this.settings = settings;
    }

    @Override
    public void start() throws Exception {
        if (settings.cluster() != null) {
            ClusterDatabase.check(settings.cluster(), settings.data());
            // While the database is down these log every failed statement, bundle read and save (several a second, some
            // with stack traces); ClusterMonitor logs the outage in one line and StorageFaults each refused write at
            // most every 10 s. Set before Jackrabbit's classes make their loggers (simplelogger reads these then).
            for (String noisy : List.of("org.apache.jackrabbit.core.persistence.pool.BundleDbPersistenceManager",
                    "org.apache.jackrabbit.core.journal.DatabaseJournal", "org.apache.jackrabbit.core.ItemSaveOperation",
                    "org.apache.jackrabbit.core.state.SharedItemStateManager")) {
                if (System.getProperty("org.slf4j.simpleLogger.log." + noisy) == null) {
                    System.setProperty("org.slf4j.simpleLogger.log." + noisy, "off");
                }
            }
            repository = EmbeddedRepository.cluster(settings.data(), settings.cluster());
            return;
        }
        if (settings.inMemory()) {
            repository = EmbeddedRepository.inMemory();
            return;
        }
        StoreCompaction.cleanUp(settings.data());
        repository = EmbeddedRepository.onDisk(settings.data());
    }

    @Override
    public void stop() {
        EmbeddedRepository r = repository;
        if (r != null) {
            r.close();
            if (settings.cluster() == null && r.onDisk()) { // the bundles in H2: give back their free space (StoreCompaction)
                compactions = StoreCompaction.compactAll(settings.data());
            }
        }
    }

    /** What the last stop did to the H2 stores (empty before a stop, in memory and in a cluster). */
    List<StoreCompaction.Result> compactions() {
        return compactions;
    }

    /** The open repository; only once this component has started. */
    EmbeddedRepository get() {
        EmbeddedRepository r = repository;
        if (r == null) {
            throw new IllegalStateException("the repository is not open yet");
        }
        return r;
    }
}
