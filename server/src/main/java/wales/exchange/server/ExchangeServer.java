package wales.exchange.server;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import jakarta.ws.rs.core.Application;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.apache.jackrabbit.core.observation.SynchronousEventListener;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServletDispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.content.DemoContent;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.DeliveryEndpoint;
import wales.exchange.delivery.DeliveryModule;
import com.google.inject.name.Named;
import wales.exchange.delivery.PreviewTokens;
import wales.exchange.delivery.Problems;
import wales.exchange.delivery.RateLimitFilter;
import wales.exchange.delivery.RateLimiter;
import wales.exchange.delivery.ResponseCache;
import wales.exchange.delivery.ReadModel;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.RepositoryCheck;

/**
 * The standalone ExChange server: embedded Jackrabbit 2, the module's classes wired by Guice, RESTEasy (the JAX-RS
 * implementation Magnolia runs) on Undertow, serving {@code /.rest/exchange/v1}.
 */
public final class ExchangeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeServer.class);
    static final int WORKER_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    /** Damages logged one per line (and listed in health); the rest are counted in the summary. */
    static final int MAX_LISTED_DAMAGES = 50;
    private final Injector injector;
    private final Undertow undertow;
    private final DeploymentManager deployment;
    private final int port;
    private final int demoItems;

    private ExchangeServer(Injector injector, Undertow undertow, DeploymentManager deployment, int port, int demoItems) {
        this.injector = injector;
        this.undertow = undertow;
        this.deployment = deployment;
        this.port = port;
        this.demoItems = demoItems;
    }

    public static ExchangeServer start(Settings settings) throws Exception {
        return start(settings, Clock.systemUTC());
    }

    public static ExchangeServer start(Settings settings, Clock clock) throws Exception {
        long t0 = System.nanoTime();
        EmbeddedRepository repo = settings.inMemory() ? EmbeddedRepository.inMemory() : EmbeddedRepository.onDisk(settings.data());
        CompletableFuture<RepositoryCheck.Report> storageCheck = null;
        try {
            LOG.info("repository up in {} ms", (System.nanoTime() - t0) / 1_000_000);
            RepositoryStatus status = new RepositoryStatus();
            Injector injector = Guice.createInjector(new ServerModule(settings, repo, clock, status));
            int demo = 0;
            if (settings.demo()) {
                Session s = repo.login();
                try {
                    demo = injector.getInstance(DemoContent.class).installIfEmpty(s);
                } finally {
                    s.logout();
                }
            }
            LOG.info("demo content: {} items installed ({} ms since start)", demo, (System.nanoTime() - t0) / 1_000_000);
            // the check reads every bundle and the search index: in its own thread, while the read model loads
            RepositoryCheck check = new RepositoryCheck(repo);
            storageCheck = repo.onDisk()
                    ? CompletableFuture.supplyAsync(check::checkStorage, r -> new Thread(r, "repository-check").start())
                    : CompletableFuture.completedFuture(RepositoryCheck.Report.notChecked());
            ReadModel readModel = injector.getInstance(ReadModel.class);
            readModel.start(l -> new SyncListener(l));
            RepositoryCheck.Report report = check.withQueryCheck(storageCheck.join(), readModel.counts());
            status.set(report);
            log(report);

            ResteasyDeployment rd = new ResteasyDeploymentImpl();
            Problems problems = injector.getInstance(Problems.class);
            RateLimiter limiter = new RateLimiter(settings.rateLimit(), 2L * settings.rateLimit());
            Set<Object> singletons = Set.of(injector.getInstance(DeliveryEndpoint.class), injector.getInstance(HealthEndpoint.class),
                    new ProblemMapper(problems), new CorsFilter(settings.corsOrigins()),
                    new RateLimitFilter(limiter, problems));
            rd.setApplication(new Application() {
                @Override
                public Set<Object> getSingletons() {
                    return singletons;
                }
            });
            DeploymentInfo di = Servlets.deployment()
                    .setClassLoader(ExchangeServer.class.getClassLoader())
                    .setContextPath("/")
                    .setDeploymentName("exchange")
                    .setDefaultEncoding("UTF-8")
                    .addServletContextAttribute(ResteasyDeployment.class.getName(), rd)
                    .addServlet(Servlets.servlet("resteasy", HttpServletDispatcher.class)
                            .addMapping("/.rest/*")
                            .addInitParam("resteasy.servlet.mapping.prefix", "/.rest")
                            .setLoadOnStartup(1));
            DeploymentManager manager = Servlets.defaultContainer().addDeployment(di);
            manager.deploy();
            Undertow undertow = Undertow.builder()
                    .addHttpListener(settings.port(), "0.0.0.0")
                    // few workers: requests are short and CPU-bound; more threads than cores only add switching
                    .setWorkerThreads(WORKER_THREADS)
                    .setHandler(new FastPathHandler(manager.start(), injector.getInstance(ResponseCache.class), limiter))
                    .build();
            undertow.start();
            int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
            return new ExchangeServer(injector, undertow, manager, port, demo);
        } catch (Exception | Error e) {
            if (storageCheck != null) {
                storageCheck.handle((report, failure) -> report).join(); // it reads the repository closed next
            }
            repo.close();
            throw e;
        }
    }

    /** One ERROR line per damage, one WARN summary; repairs as WARN; a healthy repository as one INFO line. */
    private static void log(RepositoryCheck.Report report) {
        if (!report.checked()) {
            return;
        }
        for (String repair : report.repairs()) {
            LOG.warn("repository check: {}", repair);
        }
        if (report.ok()) {
            LOG.info("repository check: {} nodes, no damage ({})", report.nodes(), report.timings());
            return;
        }
        report.damages().stream().limit(MAX_LISTED_DAMAGES).forEach(d -> LOG.error("repository damage: {} {} (id {}): {}",
                d.code(), d.path() == null ? "(path unknown)" : d.path(), d.id() == null ? "-" : d.id(), d.detail()));
        LOG.warn("repository check: {} damage(s) found in {} nodes ({}){}; health answers 503 degraded until the data is"
                + " restored (docs/operations.md, Damaged repository)", report.damages().size(), report.nodes(), report.timings(),
                report.damages().size() > MAX_LISTED_DAMAGES ? ", the first " + MAX_LISTED_DAMAGES + " listed" : "");
    }

    public int port() {
        return port;
    }

    public int demoItemsInstalled() {
        return demoItems;
    }

    public Injector injector() {
        return injector;
    }

    @Override
    public void close() {
        undertow.stop();
        try {
            deployment.stop();
        } catch (Exception e) {
            LOG.warn("stopping the servlet deployment failed", e);
        }
        injector.getInstance(ReadModel.class).stop();
        injector.getInstance(com.google.inject.Key.get(Session.class, com.google.inject.name.Names.named(DeliveryModule.READ_MODEL_SESSION))).logout();
        injector.getInstance(EmbeddedRepository.class).close();
    }

    /** Jackrabbit delivers this listener's events in the saving thread, before save() returns. */
    private record SyncListener(javax.jcr.observation.EventListener delegate) implements SynchronousEventListener {
        @Override
        public void onEvent(javax.jcr.observation.EventIterator events) {
            delegate.onEvent(events);
        }
    }

    /** Guice wiring: the module's {@link DeliveryModule} (as in Magnolia) plus the standalone repository and settings. */
    static final class ServerModule extends AbstractModule {
        private final Settings settings;
        private final EmbeddedRepository repo;
        private final Clock clock;
        private final RepositoryStatus status;

        ServerModule(Settings settings, EmbeddedRepository repo, Clock clock, RepositoryStatus status) {
            this.settings = settings;
            this.repo = repo;
            this.clock = clock;
            this.status = status;
        }

        @Override
        protected void configure() {
            install(new DeliveryModule());
            bind(EmbeddedRepository.class).toInstance(repo);
            bind(Clock.class).toInstance(clock);
            bind(RepositoryStatus.class).toInstance(status);
        }

        /** The read model's own long-lived session. */
        @Provides @Singleton @Named(DeliveryModule.READ_MODEL_SESSION)
        Session readModelSession() throws RepositoryException {
            return repo.login();
        }

        @Provides @Singleton
        DeliveryConfig deliveryConfig() {
            return DeliveryConfig.defaults().withCorsOrigins(settings.corsOrigins()).withPageUrlPattern(settings.pageUrl());
        }

        @Provides @Singleton
        PreviewTokens previewTokens() {
            byte[] secret;
            if (settings.previewSecret() != null) {
                secret = settings.previewSecret().getBytes(StandardCharsets.UTF_8);
            } else {
                secret = new byte[32];
                new SecureRandom().nextBytes(secret);
            }
            return new PreviewTokens(secret, clock);
        }
    }
}
