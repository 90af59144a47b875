package wales.exchange.server;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.lifecycle.Managed;

/**
 * The embedded Jackrabbit repository as a {@link Managed} component: opened when the lifecycle reaches it (after the
 * listener is bound, so a port in use is reported before anything is built), closed last but the listener.
 */
@Singleton
final class ServerRepository implements Managed {
    private final Settings settings;
    private volatile EmbeddedRepository repository;

    @Inject
    ServerRepository(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void start() throws Exception {
        if (settings.cluster() != null) {
            ClusterDatabase.check(settings.cluster(), settings.data());
            repository = EmbeddedRepository.cluster(settings.data(), settings.cluster());
            return;
        }
        repository = settings.inMemory() ? EmbeddedRepository.inMemory() : EmbeddedRepository.onDisk(settings.data());
    }

    @Override
    public void stop() {
        EmbeddedRepository r = repository;
        if (r != null) {
            r.close();
        }
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
