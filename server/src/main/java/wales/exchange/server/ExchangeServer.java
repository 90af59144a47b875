package wales.exchange.server;

import wales.exchange.settings.ExchangeSettings;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.name.Names;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.URLDecodingHandler;
import org.xnio.Options;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.content.DemoContent;
import wales.exchange.intake.IntakeConfig;
import wales.exchange.intake.IntakeDemo;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.DeliveryModule;
import wales.exchange.delivery.Exchange;
import com.google.inject.name.Named;
import wales.exchange.delivery.http.PreviewTokens;
import wales.exchange.delivery.http.Problems;
import wales.exchange.delivery.http.RateLimiter;
import wales.exchange.delivery.http.DeliveryEndpoint;
import wales.exchange.delivery.http.ResponseCache;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.index.Sessions;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.RepositoryCheck;
import wales.exchange.lifecycle.Lifecycle;
import wales.exchange.lifecycle.Managed;
import wales.exchange.moderation.ModerationService;
import wales.exchange.moderation.Role;
import wales.exchange.moderation.UserStore;
import wales.exchange.notify.NotificationSender;
import wales.exchange.notify.Notifications;
import wales.exchange.notify.Templates;

/**
 * The standalone ExChange server: embedded Jackrabbit 2, the module's classes wired by Guice, RESTEasy (the JAX-RS
 * implementation Magnolia runs) on Undertow, serving {@code /.rest/exchange/v1}.
 */
public final class ExchangeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeServer.class);
    /** The API's base path, as the ready line and --help show it. */
    public static final String API_PATH = "/.rest/exchange/v1/";
    /** How long a stop waits for the requests in hand to end before it closes their connections. */
    static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(10);
    /**
     * The repository check waits at most this long before each batch of bundles while clients are being served
     * ({@link ClientActivity}): under a steady load it still reads a batch every 2 s, so it ends.
     */
    static final long CHECK_PAUSE_MILLIS = 2_000;
    static final int WORKER_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    /** Full-text searches run on a pool of their own (half the cores) with a bounded queue: see SearchPoolHandler. */
    static final int SEARCH_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    static final int SEARCH_QUEUE = 32;
    /** Public submissions handled at once (IntakePoolHandler): the intake writer's largest batch. */
    static final int INTAKE_THREADS = wales.exchange.intake.IntakeWriter.MAX_BATCH;
    /** Damages logged one per line (and listed in health); the rest are counted in the summary. */
    static final int MAX_LISTED_DAMAGES = 50;
    private final Injector injector;
    private final Lifecycle lifecycle;
    private final int port;
    private final int demoItems;
    private final java.util.Map<String, String> demoUsers;
    /** How often the moderation scheduler looks for scheduled publishing and unpublishing that is due. */
    static final long SCHEDULER_SECONDS = 30;
    /** Demo users (demo mode only): name and role. Their passwords are new at each start and printed. */
    static final java.util.Map<String, Role> DEMO_USERS = new java.util.LinkedHashMap<>(java.util.Map.of());

    static {
        DEMO_USERS.put("moderator1", Role.MODERATOR);
        DEMO_USERS.put("moderator2", Role.MODERATOR);
        DEMO_USERS.put("editor", Role.EDITOR);
    }

    private final WarmUp warmUp;

    private ExchangeServer(Injector injector, Lifecycle lifecycle, int port, int demoItems, java.util.Map<String, String> demoUsers,
                           WarmUp warmUp) {
        this.warmUp = warmUp;
        this.injector = injector;
        this.lifecycle = lifecycle;
        this.port = port;
        this.demoItems = demoItems;
        this.demoUsers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(demoUsers));
    }

    public static ExchangeServer start(ExchangeSettings settings) throws Exception {
        return start(settings, Clock.systemUTC());
    }

    /**
     * Builds the injector (nothing is built yet: it is in Guice's development stage) and starts, in this order: the
     * listener (a port in use is reported before the repository is built; until the server is ready every request is a
     * 503 problem), the repository, the demo content, the repository check (in its own thread, while the index loads),
     * the index writer's session, the delivery index, the check's report, the notification sender (with SMTP settings),
     * the servlet deployment, the search pool, and then requests are served. {@link #close()} stops them in reverse:
     * Undertow, the search pool, the deployment, the sender, the index, the session, the repository.
     */
    public static ExchangeServer start(ExchangeSettings settings, Clock clock) throws Exception {
        long t0 = System.nanoTime();
        Injector injector = Guice.createInjector(new ServerModule(settings, clock));
        EdgeHandler edge = injector.getInstance(EdgeHandler.class);
        Undertow undertow = build(settings, settings.accessLog() ? AccessLog.wrap(edge) : edge);
        ServerRepository repository = injector.getInstance(ServerRepository.class);
        Key<Session> indexSession = Key.get(Session.class, Names.named(DeliveryModule.READ_MODEL_SESSION));
        ApiDeployment api = injector.getInstance(ApiDeployment.class);
        // the delivery index's snapshot file, on disk only (an in-memory repository starts empty)
        wales.exchange.delivery.index.FileSnapshotStore snapshots = settings.inMemory() ? null
                : wales.exchange.delivery.index.FileSnapshotStore.inDataDirectory(settings.data());
        int[] demo = {0};
        java.util.Map<String, String> demoUsers = new java.util.LinkedHashMap<>();
        java.util.concurrent.ScheduledExecutorService[] scheduler = {null};
        CompletableFuture<RepositoryCheck.Report>[] storageCheck = newChecks();
        Runnable[] deferredCheck = {null};
        CompletableFuture<?>[] queryCheck = {CompletableFuture.completedFuture(null)};
        @SuppressWarnings("unchecked")
        CompletableFuture<java.util.Map<String, String>>[] users = new CompletableFuture[] {CompletableFuture.completedFuture(java.util.Map.of())};
        SearchPoolHandler[] searchPool = {null};
        WarmUp[] warmUp = {null};
        IntakePoolHandler[] intakePool = {null};
        boolean[] listening = {false};
        Managed.Step stopListening = () -> {
            if (listening[0]) {
                listening[0] = false;
                undertow.stop();
            }
        };
        Lifecycle lifecycle = new Lifecycle()
                .add("listener", Managed.of(() -> {
                    listen(undertow, settings);
                    listening[0] = true;
                }, stopListening))
                .add("repository", Managed.of(() -> {
                    if (snapshots != null) { // read while the repository opens (DeliveryIndex checks it against it)
                        snapshots.readAhead(wales.exchange.delivery.DeliveryModule.deliveredTypes(
                                injector.getInstance(wales.exchange.model.ContentModel.class),
                                injector.getInstance(DeliveryConfig.class)));
                    }
                    repository.start();
                    LOG.info("repository up in {} ms", (System.nanoTime() - t0) / 1_000_000);
                }, repository::stop))
                .add("cluster monitor", settings.cluster() == null ? Managed.onStart(() -> { })
                        : new ClusterMonitor(settings.cluster()))
                // the outbox folders, so that writers of notices only ever add a node (docs/notifications.md)
                .add("outbox", Managed.onStart(() -> installOutbox(repository)))
                .add("demo content", Managed.onStart(() -> demo[0] = installDemo(settings, injector, t0)))
                // the users' password hashes (PBKDF2: about 0.3 s for admin's, far less for a demo user's) are made in
                // their own thread while the index loads; the API is deployed only once they are saved ("moderation
                // users ready" below)
                .add("moderation users", Managed.of(() -> users[0] = CompletableFuture.supplyAsync(() -> {
                    try {
                        return installUsers(settings, injector);
                    } catch (RepositoryException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }, r -> new Thread(r, "moderation-users").start()),
                        // it writes to the repository, closed later: wait for it on a failed start
                        () -> users[0].handle((u, failure) -> u).join()))
                .add("demo submissions", Managed.onStart(() -> installDemoSubmissions(settings, injector)))
                // The check reads every bundle and the search index, in its own thread. Reading every bundle allocates
                // heavily, and with a small heap the collector then stops every other thread for seconds: after a clean
                // stop (a snapshot to serve) it starts once the server is ready ("repository check, deferred" below);
                // otherwise at once, beside the full read of the index.
                .add("repository check", Managed.of(() -> {
                    storageCheck[0] = new CompletableFuture<>();
                    if (!repository.get().onDisk()) {
                        storageCheck[0].complete(RepositoryCheck.Report.notChecked());
                        return;
                    }
                    CompletableFuture<RepositoryCheck.Report> result = storageCheck[0];
                    CompletableFuture<java.util.Map<String, String>> usersSaved = users[0];
                    deferredCheck[0] = () -> {
                        try {
                            CompletableFuture.supplyAsync(() -> {
                                // the users' nodes are saved first: a write during the check makes its counts differ
                                usersSaved.handle((u, failure) -> u).join();
                                // between its batches of bundles it waits while clients are being served (at most CHECK_PAUSE each)
                                ClientActivity activity = injector.getInstance(ClientActivity.class);
                                // and a stop ends it (nothing reported: the next start checks again) instead of waiting for it
                                RepositoryCheck.Report r = new RepositoryCheck(repository.get(), () -> {
                                    activity.awaitQuiet(CHECK_PAUSE_MILLIS);
                                    if (activity.stopping()) {
                                        throw new wales.exchange.jcr.Pacing.Stopped();
                                    }
                                }).checkStorage();
                                if (!r.checked()) { // a stop, or an interrupt of this thread: said, not silent
                                    LOG.info("repository check: {}; the next start checks again",
                                            activity.stopping() ? "cut short by the stop" : "ended before it finished (interrupted)");
                                }
                                return r;
                            }, r -> new Thread(r, "repository-check").start()).whenComplete((report, failure) -> {
                                if (failure != null) {
                                    result.completeExceptionally(failure);
                                } else {
                                    result.complete(report);
                                }
                            });
                        } catch (Throwable e) { // e.g. no thread could be made: never leave a stop waiting for it
                            result.completeExceptionally(e);
                        }
                    };
                    if (snapshots == null || !snapshots.cleanStop()) {
                        startCheck(deferredCheck);
                    }
                }, () -> {
                    // it reads the repository, closed next: told to end at its next batch, then waited for
                    endCheck(deferredCheck, storageCheck[0], injector.getInstance(ClientActivity.class), storageCheck[0]);
                }))
                .add("index session", Managed.of(() -> injector.getInstance(indexSession),
                        () -> injector.getInstance(indexSession).logout()))
                .add("delivery index", Managed.of(() -> {
                    DeliveryIndex index = injector.getInstance(DeliveryIndex.class);
                    if (snapshots != null) { // a restart after a clean stop reads the index from this file
                        index.persistTo(snapshots);
                    }
                    // a snapshot refused after a clean stop: the check runs beside the full read, not after it
                    index.beforeFullRead(() -> startCheck(deferredCheck));
                    // a catch-up finds removed items in one pass over the bundle store's identifiers
                    index.existingIdsFrom(each -> injector.getInstance(EmbeddedRepository.class).forEachNodeId(each, Long.MAX_VALUE));
                    index.start();
                }, () -> injector.getInstance(DeliveryIndex.class).stop()))
                .add("repository status", Managed.of(() -> {
                    DeliveryIndex index = injector.getInstance(DeliveryIndex.class);
                    RepositoryStatus status = injector.getInstance(RepositoryStatus.class);
                    if (!"the snapshot file".equals(index.loadedFrom()) || storageCheck[0].isDone()) {
                        startCheck(deferredCheck); // the snapshot was refused: the check is waited for now
                        status.set(checked(storageCheck[0].join(), index, repository));
                        return;
                    }
                    // A snapshot written at a clean stop and matching the repository's stamps (DeliveryIndex) is served at
                    // once; the bundle and index check goes on in its thread and turns health to degraded if it finds
                    // damage (docs/operations.md, "Start-up and health").
                    LOG.info("repository check: still running; serving the delivery index from its snapshot meanwhile");
                    CompletableFuture<RepositoryCheck.Report> afterStorage = storageCheck[0].thenApply(storage -> {
                        RepositoryCheck.Report report = checked(storage, index, repository);
                        status.set(report);
                        return report;
                    });
                    queryCheck[0] = afterStorage;
                    status.running(afterStorage);
                }, () -> {
                    // the query check that follows the storage check reads the index and the repository, both stopped
                    // next: it ends first (else a repository closed under it read as an unreadable search index)
                    // a storage check still running is told to end at its next batch first (this step stops before
                    // "repository check"): else this waited for all of it, and for its query check
                    endCheck(deferredCheck, storageCheck[0], injector.getInstance(ClientActivity.class), queryCheck[0]);
                }))
                .add("notifications", notifications(settings, injector, repository, clock))
                .add("intake purge", injector.getInstance(wales.exchange.intake.RetentionPurge.class))
                // what readers typed into a form that came back is swept out of memory once expired (15 minutes)
                .add("form drafts", injector.getInstance(wales.exchange.intake.FormDrafts.class))
                // stopped after the servlet deployment: the submissions in hand are saved and answered first
                .add("intake writer", Managed.of(() -> { }, () -> injector.getInstance(wales.exchange.intake.IntakeWriter.class).close()))
                .add("moderation users ready", Managed.onStart(() -> {
                    try {
                        demoUsers.putAll(users[0].join());
                    } catch (java.util.concurrent.CompletionException e) {
                        throw e.getCause() instanceof Exception cause ? cause : e;
                    }
                }))
                .add("servlet deployment", api)
                .add("moderation scheduler", Managed.of(() -> {
                    scheduler[0] = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "exchange-moderation-scheduler");
                        t.setDaemon(true);
                        return t;
                    });
                    scheduler[0].scheduleWithFixedDelay(() -> runScheduled(injector), SCHEDULER_SECONDS, SCHEDULER_SECONDS,
                            java.util.concurrent.TimeUnit.SECONDS);
                }, () -> {
                    scheduler[0].shutdownNow();
                    scheduler[0].awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
                }))
                .add("search pool", Managed.of(() -> searchPool[0] = new SearchPoolHandler(api.handler(), SEARCH_THREADS,
                        SEARCH_QUEUE, settings.searchClientShare(), injector.getInstance(Problems.class)), () -> searchPool[0].close()))
                // DECODE_URL is off so that EdgeHandler sees the raw target; everything after it gets it decoded as before
                .add("web pages", Managed.onStart(() -> edge.setPages(injector.getInstance(PageHandler.class))))
                .add("intake pool", Managed.of(() -> intakePool[0] = new IntakePoolHandler(searchPool[0], INTAKE_THREADS),
                        () -> intakePool[0].close()))
                .add("requests", Managed.of(() -> edge.setNext(new URLDecodingHandler(new FastPathHandler(intakePool[0],
                        injector.getInstance(ResponseCache.class), injector.getInstance(DeliveryConfig.class),
                        injector.getInstance(DeliveryEndpoint.class)), "UTF-8")),
                        // stops taking requests first: those in hand end (a write is answered), new ones are 503s
                        () -> {
                            edge.drain(STOP_GRACE);
                            stopListening.run();
                        }))
                .add("repository check, deferred", Managed.onStart(() -> startCheck(deferredCheck)))
                // compiles the list routes' code before the first clients ask (docs/operations.md, "Warm-up")
                .add("warm-up", Managed.of(() -> warmUp[0] = WarmUp.start(settings.warmUp(), injector.getInstance(ClientActivity.class), settings.bind(),
                        ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort(),
                        wales.exchange.delivery.DeliveryModule.deliveredTypes(injector.getInstance(wales.exchange.model.ContentModel.class),
                                injector.getInstance(DeliveryConfig.class)), injector.getInstance(DeliveryConfig.class)), () -> {
                    if (warmUp[0] != null) {
                        warmUp[0].close();
                    }
                }));
        lifecycle.start();
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return new ExchangeServer(injector, lifecycle, port, demo[0], demoUsers, warmUp[0]);
    }

    /**
     * The moderation API's users: in demo mode the demo moderators and editor with new random passwords, printed;
     * otherwise demo users left from a demo run are removed. {@code --admin-password} sets user admin's password.
     */
    private static java.util.Map<String, String> installUsers(ExchangeSettings settings, Injector injector) throws RepositoryException {
        UserStore users = injector.getInstance(UserStore.class);
        java.util.Map<String, String> demo = new java.util.LinkedHashMap<>();
        Session s = injector.getInstance(EmbeddedRepository.class).login();
        try {
            if (settings.demo()) {
                for (java.util.Map.Entry<String, Role> u : DEMO_USERS.entrySet()) {
                    String password = users.putDemo(s, u.getKey(), java.util.Set.of(u.getValue()));
                    // an address at example.org (reserved, never delivered) so that assignment mail can be tried
                    users.contact(s, u.getKey(), u.getKey() + "@example.org",
                            u.getKey().endsWith("2") ? wales.exchange.i18n.Lang.CY : wales.exchange.i18n.Lang.EN);
                    s.save();
                    demo.put(u.getKey(), password);
                    LOG.info("demo user {} ({}), password {} (new at each start; demo mode only)", u.getKey(), u.getValue().tag(), password);
                }
            } else {
                java.util.List<String> removed = users.removeDemoUsers(s);
                if (!removed.isEmpty()) {
                    LOG.info("demo users removed (not in demo mode): {}", removed);
                }
            }
            if (settings.adminPassword() != null) {
                users.put(s, "admin", settings.adminPassword().toCharArray(), java.util.Set.of(Role.ADMINISTRATOR));
                LOG.info("moderation user admin (administrator): password set from --admin-password / EXCHANGE_ADMIN_PASSWORD");
            }
        } finally {
            s.logout();
        }
        return demo;
    }

    /** One run of the moderation scheduler; a failure is logged in one line and the next run tries again. */
    static int runScheduled(Injector injector) {
        try {
            Session s = injector.getInstance(EmbeddedRepository.class).login();
            try {
                return injector.getInstance(ModerationService.class).runDue(s);
            } finally {
                s.logout();
            }
        } catch (RepositoryException | RuntimeException e) {
            LOG.warn("moderation scheduler: {}", e.toString());
            return 0;
        }
    }

    /**
     * The notification sender (docs/notifications.md) when an SMTP host is set; without one, only the outbox folders are
     * made and the notices waiting in it are counted: they are kept, and sent by a later start with SMTP settings.
     */
    private static Managed notifications(ExchangeSettings settings, Injector injector, ServerRepository repository, Clock clock) {
        return new wales.exchange.notify.MailDelivery(settings.smtp(), () -> repository.get().login(),
                injector.getInstance(Templates.class), clock);
    }

    private static void installOutbox(ServerRepository repository) throws RepositoryException {
        Session s = repository.get().login();
        try {
            Notifications.install(s);
        } finally {
            s.logout();
        }
    }

    /** Starts the repository check if it has not started yet. */
    private static void startCheck(Runnable[] deferred) {
        Runnable start = deferred[0];
        deferred[0] = null;
        if (start != null) {
            start.run();
        }
    }

    @SuppressWarnings("unchecked")
    /**
     * At a stop: a deferred check never started is settled as not checked; one running is told to end at its next batch
     * ({@link ClientActivity#stop}); then {@code waitFor} (the check, or the query check after it) is waited for.
     */
    private static void endCheck(Runnable[] deferredCheck, CompletableFuture<RepositoryCheck.Report> storageCheck,
                                 ClientActivity activity, CompletableFuture<?> waitFor) {
        if (deferredCheck[0] != null) { // never started: nothing reads the repository
            deferredCheck[0] = null;
            storageCheck.complete(RepositoryCheck.Report.notChecked());
        }
        activity.stop();
        waitFor.handle((report, failure) -> report).join();
    }

    private static CompletableFuture<RepositoryCheck.Report>[] newChecks() {
        return new CompletableFuture[1];
    }

    private static int installDemo(ExchangeSettings settings, Injector injector, long t0) throws RepositoryException {
        if (!settings.demo()) {
            return 0;
        }
        Session s = injector.getInstance(EmbeddedRepository.class).login();
        int demo;
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
        return demo;
    }

    /** Demo mode: pending contributions and comments for the moderation queue, once. */
    private static void installDemoSubmissions(ExchangeSettings settings, Injector injector) throws RepositoryException {
        if (!settings.demo()) {
            return;
        }
        Session s = injector.getInstance(EmbeddedRepository.class).login();
        try {
            int n = injector.getInstance(IntakeDemo.class).installIfEmpty(s);
            if (n > 0) {
                LOG.info("demo content: {} pending contributions and comments installed", n);
            }
        } finally {
            s.logout();
        }
    }

    /**
     * Undertow on the configured address and port with the transport limits (see docs/operations.md), not listening yet
     * ({@link #listen}: a port in use or an address not on this machine is a {@link StartupException} naming them).
     */
    private static Undertow build(ExchangeSettings settings, HttpHandler root) {
        int idleMillis = (int) settings.idleTimeout().toMillis();
        return Undertow.builder()
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
    }

    private static void listen(Undertow undertow, ExchangeSettings settings) {
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
    }

    /** One ERROR line per damage, one WARN summary; repairs as WARN; a healthy repository as one INFO line. */
    /** The storage check's report with the query check added, after re-reading a snapshot's entries if bundles are damaged. */
    private static RepositoryCheck.Report checked(RepositoryCheck.Report storage, DeliveryIndex index, ServerRepository repository) {
        if (storage.bundleDamage() && "the snapshot file".equals(index.loadedFrom())) {
            index.rereadAll("the repository check found damaged bundles, which the snapshot cannot show");
        }
        RepositoryCheck.Report report = new RepositoryCheck(repository.get()).withQueryCheck(storage, index.counts());
        // the check runs while requests are served: a save between the index's count and the query's is not damage;
        // a real mismatch stays (the index's count is taken again, after every change reported so far)
        for (int attempt = 1; attempt < 3 && report.damages().stream()
                .anyMatch(d -> RepositoryCheck.SEARCH_INDEX_MISMATCH.equals(d.code())); attempt++) {
            report = new RepositoryCheck(repository.get()).withQueryCheck(storage, index.counts());
        }
        log(report);
        return report;
    }

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

    /** The JIT warm-up started with the server, null when {@code --warm-up} is 0. */
    WarmUp warmUp() {
        return warmUp;
    }

    public int port() {
        return port;
    }

    public int demoItemsInstalled() {
        return demoItems;
    }

    /** The demo users' names and passwords of this start (empty unless in demo mode). */
    public java.util.Map<String, String> demoUsers() {
        return demoUsers;
    }

    public Injector injector() {
        return injector;
    }

    /** Stops what {@link #start} started, in reverse: Undertow, the search pool, the deployment, the index, the session, the repository. */
    @Override
    public void close() {
        lifecycle.stop();
        LOG.info("ExChange stopped");
    }

    /**
     * Guice wiring: the module's {@link DeliveryModule} (as in Magnolia) plus the standalone repository and the
     * {@link ExchangeSettings}, bound once; everything else the server needs has an {@code @Inject} constructor.
     */
    static final class ServerModule extends AbstractModule {
        private final ExchangeSettings settings;
        private final Clock clock;

        ServerModule(ExchangeSettings settings, Clock clock) {
            this.settings = settings;
            this.clock = clock;
        }

        @Override
        protected void configure() {
            install(new DeliveryModule());
            bind(wales.exchange.model.DefinitionFiles.class)
                    .toInstance(wales.exchange.model.DefinitionFiles.classpath(ExchangeServer.class.getClassLoader()));
            install(new wales.exchange.moderation.WorkflowModule());
            install(new wales.exchange.notify.NotifyModule());
            bind(ExchangeSettings.class).toInstance(settings);
            install(new wales.exchange.settings.SettingsModule());
            if (settings.intake().secret() == null && settings.demo()) {
                LOG.info("no --intake-secret: status links of contributions and comments are valid until the server stops");
            }
            bind(Clock.class).annotatedWith(Exchange.class).toInstance(clock);
        }


        /** Health: the repository answers a login, and the damage the start-up check found. */
        @Provides
        wales.exchange.delivery.http.HealthEndpoint.Probe healthProbe(ServerRepository repository, RepositoryStatus status) {
            return new wales.exchange.delivery.http.HealthEndpoint.Probe() {
                @Override
                public void ping() throws Exception {
                    Session s = repository.get().login();
                    try {
                        s.getRootNode();
                    } finally {
                        s.logout();
                    }
                }

                @Override
                public java.util.List<wales.exchange.jcr.RepositoryCheck.Damage> damages() {
                    return status.report().damages();
                }
            };
        }

        /** The open repository (the {@link ServerRepository} component must have started). */
        @Provides
        EmbeddedRepository repository(ServerRepository repository) {
            return repository.get();
        }

        /** New sessions for reading full items (the index pools a few). */
        @Provides @Singleton
        Sessions sessions(ServerRepository repository) {
            return () -> repository.get().login();
        }

        /** The index writer's own long-lived session. */
        @Provides @Singleton @Named(DeliveryModule.READ_MODEL_SESSION)
        Session readModelSession(EmbeddedRepository repository) throws RepositoryException {
            return repository.login();
        }
    }
}
