package wales.exchange.server;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.URLDecodingHandler;
import io.undertow.servlet.api.ErrorPage;
import io.undertow.servlet.api.ServletStackTraces;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import org.xnio.Options;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
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
import wales.exchange.delivery.RateLimiter;
import wales.exchange.delivery.ResponseCache;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.index.Sessions;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.RepositoryCheck;

/**
 * The standalone ExChange server: embedded Jackrabbit 2, the module's classes wired by Guice, RESTEasy (the JAX-RS
 * implementation Magnolia runs) on Undertow, serving {@code /.rest/exchange/v1}.
 */
public final class ExchangeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeServer.class);
    /** The API's base path, as the ready line and --help show it. */
    public static final String API_PATH = "/.rest/exchange/v1/";
    static final int WORKER_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    /** Full-text searches run on a pool of their own (half the cores) with a bounded queue: see SearchPoolHandler. */
    static final int SEARCH_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    static final int SEARCH_QUEUE = 32;
    /** Searches one client may have running or queued at once. */
    static final int SEARCH_CLIENT_SHARE = 4;
    /** Damages logged one per line (and listed in health); the rest are counted in the summary. */
    static final int MAX_LISTED_DAMAGES = 50;
    private final Injector injector;
    private final Undertow undertow;
    private final DeploymentManager deployment;
    private final int port;
    private final int demoItems;
    private final SearchPoolHandler searchPool;

    private ExchangeServer(Injector injector, Undertow undertow, DeploymentManager deployment, int port, int demoItems,
                           SearchPoolHandler searchPool) {
        this.searchPool = searchPool;
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
        // the listener first: a port in use is reported before the repository is built or demo content installed;
        // until the repository is up every request is a 503 problem
        Problems early = new Problems(new Messages(), new ObjectMapper());
        RateLimiter limiter = new RateLimiter(settings.rateLimit(), 2L * settings.rateLimit());
        EdgeHandler edge = new EdgeHandler(exchange -> starting(exchange, early), early, limiter, settings.trustedProxies(), settings.maxConnections());
        Undertow undertow = listen(settings, settings.accessLog() ? AccessLog.wrap(edge) : edge);
        EmbeddedRepository repo = null;
        SearchPoolHandler searchPool = null;
        CompletableFuture<RepositoryCheck.Report> storageCheck = null;
        try {
            repo = settings.inMemory() ? EmbeddedRepository.inMemory() : EmbeddedRepository.onDisk(settings.data());
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
                if (demo == 0) {
                    LOG.info("demo content already present ({} ms since start)", (System.nanoTime() - t0) / 1_000_000);
                } else {
                    LOG.info("demo content: {} items installed ({} ms since start)", demo, (System.nanoTime() - t0) / 1_000_000);
                }
            }
            // the check reads every bundle and the search index: in its own thread, while the read model loads
            RepositoryCheck check = new RepositoryCheck(repo);
            storageCheck = repo.onDisk()
                    ? CompletableFuture.supplyAsync(check::checkStorage, r -> new Thread(r, "repository-check").start())
                    : CompletableFuture.completedFuture(RepositoryCheck.Report.notChecked());
            DeliveryIndex index = injector.getInstance(DeliveryIndex.class);
            if (repo.onDisk()) {
                index.persistTo(wales.exchange.delivery.index.FileSnapshotStore.inDataDirectory(settings.data()));
            }
            index.start();
            RepositoryCheck.Report storage = storageCheck.join();
            if (storage.bundleDamage() && "the snapshot file".equals(index.loadedFrom())) {
                index.rereadAll("the repository check found damaged bundles, which the snapshot cannot show");
            }
            RepositoryCheck.Report report = check.withQueryCheck(storage, index.counts());
            status.set(report);
            log(report);

            ResteasyDeployment rd = new ResteasyDeploymentImpl();
            Problems problems = injector.getInstance(Problems.class);
            // no RateLimitFilter here: EdgeHandler charges every request once, whatever its path (the filter is for Magnolia)
            Set<Object> singletons = Set.of(injector.getInstance(DeliveryEndpoint.class), injector.getInstance(HealthEndpoint.class),
                    new ProblemMapper(problems), new CorsFilter(settings.corsOrigins()), new wales.exchange.delivery.AcceptHeaderFilter());
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
                    // never Undertow's HTML error pages (with stack traces for local clients): problem+json instead
                    .setServletStackTraces(ServletStackTraces.NONE)
                    .addErrorPage(new ErrorPage(ProblemErrorServlet.LOCATION))
                    .addServlet(Servlets.servlet("problems", ProblemErrorServlet.class,
                            new ImmediateInstanceFactory<>(new ProblemErrorServlet(problems))).addMapping(ProblemErrorServlet.LOCATION))
                    .addServletContextAttribute(ResteasyDeployment.class.getName(), rd)
                    .addServlet(Servlets.servlet("resteasy", HttpServletDispatcher.class)
                            .addMapping("/.rest/*")
                            .addInitParam("resteasy.servlet.mapping.prefix", "/.rest")
                            .setLoadOnStartup(1));
            DeploymentManager manager = Servlets.defaultContainer().addDeployment(di);
            manager.deploy();
            searchPool = new SearchPoolHandler(manager.start(), SEARCH_THREADS, SEARCH_QUEUE, SEARCH_CLIENT_SHARE,
                    problems);
            // DECODE_URL is off so that EdgeHandler sees the raw target; everything after it gets it decoded as before
            edge.setNext(new URLDecodingHandler(new FastPathHandler(searchPool, injector.getInstance(ResponseCache.class),
                    injector.getInstance(DeliveryConfig.class)), "UTF-8"));
            int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
            return new ExchangeServer(injector, undertow, manager, port, demo, searchPool);
        } catch (Exception | Error e) {
            undertow.stop();
            if (searchPool != null) {
                searchPool.close();
            }
            if (storageCheck != null) {
                storageCheck.handle((report, failure) -> report).join(); // it reads the repository closed next
            }
            if (repo != null) {
                repo.close();
            }
            throw e;
        }
    }

    /**
     * Starts Undertow on the configured address and port with the transport limits (see docs/operations.md). A port
     * in use or an address not on this machine is a {@link StartupException} naming them.
     */
    private static Undertow listen(Settings settings, HttpHandler root) {
        int idleMillis = (int) settings.idleTimeout().toMillis();
        Undertow undertow = Undertow.builder()
                .addHttpListener(settings.port(), settings.bind())
                // few workers: requests are short and CPU-bound; more threads than cores only add switching
                .setWorkerThreads(WORKER_THREADS)
                .setServerOption(UndertowOptions.DECODE_URL, false)
                // characters HTTP does not allow in a target reach EdgeHandler, which answers 400 problem+json
                .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                // hard limits, above the ones EdgeHandler answers with problem+json (beyond these Undertow closes with an empty 400)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, EdgeHandler.HARD_HEAD_LIMIT)
                .setServerOption(UndertowOptions.MAX_HEADERS, EdgeHandler.HARD_HEAD_LIMIT / 4)
                .setServerOption(UndertowOptions.MAX_PARAMETERS, EdgeHandler.HARD_HEAD_LIMIT)
                // slow and idle clients
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) settings.requestTimeout().toMillis())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, idleMillis)
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, idleMillis)
                .setSocketOption(Options.READ_TIMEOUT, idleMillis)
                // accepts pause past this many open sockets (XNIO, which splits it between its I/O threads), counted
                // before any request: idle sockets that never send one cannot exhaust file descriptors; below it,
                // EdgeHandler answers one connection too many with a 503 problem
                .setSocketOption(Options.CONNECTION_HIGH_WATER, 2 * settings.maxConnections() + 64)
                .setSocketOption(Options.CONNECTION_LOW_WATER, 2 * settings.maxConnections())
                .setSocketOption(Options.WRITE_TIMEOUT, idleMillis)
                .setHandler(root)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException) {
                    throw new StartupException("cannot listen on " + settings.bind() + " port " + settings.port() + ": "
                            + (t.getMessage() != null && t.getMessage().contains("in use") ? "the port is in use" : t.getMessage()));
                }
            }
            throw e;
        }
        return undertow;
    }

    /** Every request while the repository and read model start: 503 problem+json, try again in a few seconds. */
    private static void starting(HttpServerExchange exchange, Problems p) {
        EdgeHandler.send(exchange, jakarta.ws.rs.core.Response.fromResponse(p.response(503, "unavailable",
                Lang.fromAcceptLanguage(exchange.getRequestHeaders().getFirst(io.undertow.util.Headers.ACCEPT_LANGUAGE)),
                exchange.getRequestPath(), null, null, null)).header("Retry-After", "5").build());
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
        searchPool.close();
        try {
            deployment.stop();
        } catch (Exception e) {
            LOG.warn("stopping the servlet deployment failed", e);
        }
        injector.getInstance(DeliveryIndex.class).stop();
        injector.getInstance(com.google.inject.Key.get(Session.class, com.google.inject.name.Names.named(DeliveryModule.READ_MODEL_SESSION))).logout();
        injector.getInstance(EmbeddedRepository.class).close();
        LOG.info("ExChange stopped");
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

        /** New sessions for reading full items (the index pools a few). */
        @Provides @Singleton
        Sessions sessions() {
            return repo::login;
        }

        /** The index writer's own long-lived session. */
        @Provides @Singleton @Named(DeliveryModule.READ_MODEL_SESSION)
        Session readModelSession() throws RepositoryException {
            return repo.login();
        }

        @Provides @Singleton
        DeliveryConfig deliveryConfig() {
            return DeliveryConfig.defaults().withCorsOrigins(settings.corsOrigins()).withPageUrlPattern(settings.pageUrl())
                    .withPublicUrl(settings.publicUrl()).withAllowedHosts(settings.allowedHosts());
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
