package wales.exchange.jcr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import javax.jcr.Repository;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.SimpleCredentials;
import org.apache.jackrabbit.core.RepositoryImpl;
import org.apache.jackrabbit.core.config.RepositoryConfig;
import org.apache.jackrabbit.core.config.WorkspaceConfig;
import org.apache.jackrabbit.core.persistence.PersistenceManager;
import org.apache.jackrabbit.core.persistence.pool.H2PersistenceManager;
import org.apache.jackrabbit.core.query.QueryHandler;
import org.xml.sax.InputSource;

/**
 * An embedded Jackrabbit 2 repository with Magnolia's and ExChange's node types registered, for the standalone server
 * and the tests. Inside Magnolia this class is never used: Magnolia owns its repository.
 */
public final class EmbeddedRepository implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmbeddedRepository.class);
    public static final String WORKSPACE = "exchange";
    private final Jackrabbit repository;
    private final Path tempHome;
    private final List<String> repairs = new java.util.concurrent.CopyOnWriteArrayList<>();

    private EmbeddedRepository(Jackrabbit repository, Path tempHome) {
        this.repository = repository;
        this.tempHome = tempHome;
    }

    /** A repository held in memory (its workspace descriptors live in a temporary folder removed on close). */
    public static EmbeddedRepository inMemory() throws RepositoryException {
        try {
            Path home = Files.createTempDirectory("exchange-jcr-");
            return start("repository-memory.xml", home, home, new Properties());
        } catch (IOException e) {
            throw new RepositoryException("cannot create a temporary repository home", e);
        }
    }

    /**
     * One node of a Jackrabbit cluster on PostgreSQL: bundles, binaries and the cluster journal in the shared database,
     * this node's search index and journal revision under {@code dataDir} (repository-cluster-postgresql.xml).
     * Changes saved by other nodes arrive through the journal (every {@link Cluster#syncDelayMillis}) as external
     * observation events.
     */
    public static EmbeddedRepository cluster(Path dataDir, Cluster cluster) throws RepositoryException {
        try {
            Files.createDirectories(dataDir.resolve("cluster")); // the journal revision this node has read
        } catch (IOException e) {
            throw new RepositoryException("cannot create data directory " + dataDir, e);
        }
        return onDisk(dataDir, CLUSTER_CONFIG, cluster.variables());
    }

    /** The repository configuration of a cluster node (a classpath resource next to this class). */
    public static final String CLUSTER_CONFIG = "repository-cluster-postgresql.xml";

    /**
     * A cluster node's settings: the shared PostgreSQL database (JDBC URL, user, password), this node's unique id, how
     * often it reads the journal and how often the journal's janitor trims it. {@link #toString()} never shows the
     * password.
     *
     * <p>The janitor is Jackrabbit's ({@code DatabaseJournal}'s {@code janitorEnabled}, {@code janitorSleep} in
     * seconds, {@code janitorFirstRunHourOfDay}): a thread on every node that wakes first at
     * the next {@value #JANITOR_FIRST_RUN_HOUR}:00 (the JVM's time zone), then every {@link #janitorHours} hours, and deletes
     * the journal records below the lowest revision in the journal's {@code LOCAL_REVISIONS} table, where every node
     * that ever started keeps the revision it has read, running or not. 0 hours: no janitor, the journal keeps every
     * record.
     */
    public record Cluster(String url, String user, String password, String nodeId, long syncDelayMillis, int janitorHours) {
        public static final long DEFAULT_SYNC_DELAY_MILLIS = 500;
        /** Once a day, as Jackrabbit's own default ({@code janitorSleep} 86400 s). */
        public static final int DEFAULT_JANITOR_HOURS = 24;
        /** A year; {@code janitorSleep} is an int of seconds. */
        public static final int MAX_JANITOR_HOURS = 8760;
        /** The hour of the janitor's first run (Jackrabbit's default: a quiet hour). */
        public static final int JANITOR_FIRST_RUN_HOUR = 3;

        public Cluster {
            if (janitorHours < 0 || janitorHours > MAX_JANITOR_HOURS) {
                throw new IllegalArgumentException("janitor hours must be 0 to " + MAX_JANITOR_HOURS + ", got " + janitorHours);
            }
        }

        Properties variables() {
            Properties p = new Properties();
            p.setProperty("cluster.url", url);
            p.setProperty("cluster.user", user);
            p.setProperty("cluster.password", password == null ? "" : password);
            p.setProperty("cluster.id", nodeId);
            p.setProperty("cluster.syncDelay", Long.toString(syncDelayMillis));
            p.setProperty("cluster.janitorEnabled", Boolean.toString(janitorHours > 0));
            // never 0 s: Jackrabbit's thread would then run back to back (it is not started when disabled anyway)
            p.setProperty("cluster.janitorSleep", Integer.toString(Math.max(1, janitorHours) * 3600));
            p.setProperty("cluster.janitorFirstRunHour", Integer.toString(JANITOR_FIRST_RUN_HOUR));
            return p;
        }

        @Override
        public String toString() {
            return "cluster node " + nodeId + " on " + url + " as " + user + " (journal read every " + syncDelayMillis + " ms, "
                    + (janitorHours == 0 ? "never trimmed" : "trimmed every " + janitorHours + " h from "
                    + String.format(java.util.Locale.ROOT, "%02d:00", JANITOR_FIRST_RUN_HOUR)) + ")";
        }
    }

    /** A repository stored under {@code dataDir} (created when missing). */
    public static EmbeddedRepository onDisk(Path dataDir) throws RepositoryException {
        return onDisk(dataDir, "repository-file.xml", new Properties());
    }

    private static EmbeddedRepository onDisk(Path dataDir, String config, Properties extra) throws RepositoryException {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new RepositoryException("cannot create data directory " + dataDir, e);
        }
        Path home = dataDir.toAbsolutePath();
        for (String change : WorkspaceConfigs.sync(home, config)) {
            LOG.info("{}", change);
        }
        EmbeddedRepository opened = open(config, home, extra);
        try {
            WorkspaceConfigs.indexed(home, config);
        } catch (RepositoryException e) {
            opened.close();
            throw e;
        }
        return opened;
    }

    /** Opens as a version without {@link WorkspaceConfigs} did (workspace.xml as it is): for tests of the upgrade. */
    static EmbeddedRepository openAsIs(Path dataDir) throws RepositoryException {
        return open("repository-file.xml", dataDir.toAbsolutePath(), new Properties());
    }

    private static EmbeddedRepository open(String config, Path home, Properties extra) throws RepositoryException {
        try {
            return start(config, home, null, extra);
        } catch (RepositoryException e) {
            // A search index Jackrabbit cannot open (a segment cut short by a failing disk or a bad copy) stops the whole
            // repository. The index is derived from the bundles: set it aside and let Jackrabbit build it again from them.
            if (!String.valueOf(e.getMessage()).contains("Unable to initialize query handler")) {
                throw e;
            }
            List<String> moved = setIndexesAside(home);
            if (moved.isEmpty()) {
                throw e;
            }
            EmbeddedRepository r = start(config, home, null, extra);
            r.repairs.add("search-index-repaired: the search index could not be opened (" + rootCause(e)
                    + "); set aside as " + String.join(", ", moved) + " and rebuilt from the bundles");
            return r;
        }
    }

    /** What opening the repository repaired (read by {@link RepositoryCheck}). */
    List<String> repairs() {
        return List.copyOf(repairs);
    }

    private static List<String> setIndexesAside(Path home) throws RepositoryException {
        List<String> moved = new java.util.ArrayList<>();
        String suffix = ".unreadable-" + System.currentTimeMillis();
        try (Stream<Path> dirs = Files.list(home.resolve("workspaces"))) {
            for (Path ws : dirs.toList()) {
                Path index = ws.resolve("index");
                if (Files.isDirectory(index)) {
                    Path aside = ws.resolve("index" + suffix);
                    Files.move(index, aside);
                    moved.add(home.relativize(aside).toString());
                }
            }
        } catch (IOException io) {
            throw new RepositoryException("cannot set the search index aside under " + home, io);
        }
        return moved;
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    private static EmbeddedRepository start(String config, Path home, Path tempHome, Properties extra) throws RepositoryException {
        Properties vars = new Properties();
        vars.putAll(extra);
        vars.setProperty(org.apache.jackrabbit.core.config.RepositoryConfigurationParser.REPOSITORY_HOME_VARIABLE, home.toString());
        try (InputStream in = EmbeddedRepository.class.getResourceAsStream(config)) {
            RepositoryConfig rc = RepositoryConfig.create(new InputSource(in), vars);
            Jackrabbit repo = new Jackrabbit(rc);
            EmbeddedRepository r = new EmbeddedRepository(repo, tempHome);
            Session s = r.login();
            try {
                NodeTypeRegistrar.register(s, NodeTypeRegistrar.MAGNOLIA_STANDIN_CND);
                NodeTypeRegistrar.register(s, NodeTypeRegistrar.EXCHANGE_CND);
            } finally {
                s.logout();
            }
            boundH2Results(r.workspacePersistenceManager());
            boundH2Results(r.versionPersistenceManager());
            return r;
        } catch (IOException e) {
            throw new RepositoryException("cannot read " + config, e);
        }
    }

    /** H2's setting (of each connection, so in its URL) that streams a query's rows instead of collecting them first; older workspace.xml copies get it from {@link WorkspaceConfigs}. */
    static final String H2_LAZY = "LAZY_QUERY_EXECUTION=TRUE";


    /** Rows of a query result H2 keeps in memory; a larger result is kept in a temporary file next to the database. */
    static final int H2_MEMORY_ROWS = 256;

    /**
     * Bounds the memory of H2's query results in the database of an H2 persistence manager, for as long as it is open.
     * Jackrabbit's consistency checker ({@link RepositoryCheck}) reads all bundles in results of 8192 rows; H2 held each
     * in memory (about 60 MB at 100k items) and, by default, kept the last result of each statement (it reuses it when
     * the same query runs again on unchanged data): during the check the heap held about 130 MB more, and the
     * collector's full collections grew it for good (docs/benchmarks.md, "Memory at 100k"). Set on the open database,
     * not in the URL, so that it also applies to workspaces whose {@code workspace.xml} was written by an older version.
     */
    private static void boundH2Results(PersistenceManager pm) throws RepositoryException {
        if (!(pm instanceof H2PersistenceManager h2) || h2.getUrl() == null) {
            return;
        }
        String url = h2.getUrl();
        int settings = url.indexOf(';');
        // the open database is shared within the JVM: its path alone finds it (its settings are those it was opened with)
        try (Connection c = DriverManager.getConnection(settings < 0 ? url : url.substring(0, settings),
                h2.getUser() == null ? "" : h2.getUser(), h2.getPassword() == null ? "" : h2.getPassword());
             Statement st = c.createStatement()) {
            st.execute("SET MAX_MEMORY_ROWS " + H2_MEMORY_ROWS);
            st.execute("SET OPTIMIZE_REUSE_RESULTS 0");
        } catch (SQLException e) {
            throw new RepositoryException("cannot set the result limits of " + url, e);
        }
    }

    public Repository repository() {
        return repository;
    }

    /** Whether the repository is kept on disk (in memory: nothing to check after a stop). */
    public boolean onDisk() {
        return tempHome == null;
    }

    /** The persistence manager of the ExChange workspace (for {@link RepositoryCheck}). */
    PersistenceManager workspacePersistenceManager() throws RepositoryException {
        return repository.workspace(WORKSPACE).getPersistenceManager();
    }

    /**
     * Passes the identifier of every node of the ExChange workspace, as stored (read from the bundle store, not
     * through a session), to {@code each}; for a bulk import's {@code KnownIds}. Returns how many there were, or -1 as soon as there are more
     * than {@code max} (some passed). Pages of
     * {@value #H2_MEMORY_ROWS} identifiers: a larger result H2 would keep in a temporary file ({@link #boundH2Results}).
     */
    public long forEachNodeId(java.util.function.Consumer<String> each, long max) throws RepositoryException {
        PersistenceManager pm = workspacePersistenceManager();
        if (!(pm instanceof org.apache.jackrabbit.core.persistence.IterablePersistenceManager iterable)) {
            throw new RepositoryException("the workspace's persistence manager cannot list its nodes");
        }
        long n = 0;
        org.apache.jackrabbit.core.id.NodeId after = null;
        try {
            while (true) {
                List<org.apache.jackrabbit.core.id.NodeId> page = iterable.getAllNodeIds(after, H2_MEMORY_ROWS);
                for (org.apache.jackrabbit.core.id.NodeId id : page) {
                    each.accept(id.toString());
                }
                n += page.size();
                if (n > max) {
                    return -1;
                }
                if (page.size() < H2_MEMORY_ROWS) {
                    return n;
                }
                after = page.get(page.size() - 1);
            }
        } catch (org.apache.jackrabbit.core.state.ItemStateException e) {
            throw new RepositoryException("cannot list the nodes of the workspace: " + e.getMessage(), e);
        }
    }

    /** The persistence manager of the version store (for {@link RepositoryCheck}). */
    PersistenceManager versionPersistenceManager() {
        return repository.versionPersistenceManager();
    }

    /**
     * This node's cluster journal (Jackrabbit's {@code DatabaseJournal}: its janitor settings, and the janitor's clean-up
     * for a test that cannot wait for 03:00), or null on a single node.
     */
    public org.apache.jackrabbit.core.journal.DatabaseJournal clusterJournal() {
        return repository.clusterJournal();
    }

    /** The search index (query handler) of the ExChange workspace (for {@link RepositoryCheck}). */
    QueryHandler searchIndex() throws RepositoryException {
        return ((Jackrabbit.Workspace) repository.workspace(WORKSPACE)).queryHandler();
    }

    /**
     * Caps the memory of Jackrabbit's item state caches (its {@code CacheManager}: the workspace's and the version
     * store's shared caches and each session's, 16 MiB together by default) at {@code bytes}, at most a quarter of it
     * per cache. For a bulk import, which writes each item once and reads back almost nothing: caches that keep filling
     * and evicting are what every young collection copied, not what the import needed (docs/import-export.md). The
     * bundle caches of the persistence managers are not affected.
     */
    public void itemStateCacheMemory(long bytes) {
        org.apache.jackrabbit.core.cache.CacheManager caches = repository.getCacheManager();
        long perCache = Math.max(bytes / 4, 16 * 1024);
        caches.setMinMemoryPerCache(Math.min(caches.getMinMemoryPerCache(), perCache));
        caches.setMaxMemoryPerCache(perCache);
        caches.setMaxMemory(bytes);
    }

    /** The memory Jackrabbit's item state caches may use together ({@link #itemStateCacheMemory(long)}). */
    public long itemStateCacheMemory() {
        return repository.getCacheManager().getMaxMemory();
    }

    /** A new session on the ExChange workspace; the caller logs it out. */
    public Session login() throws RepositoryException {
        return repository.login(new SimpleCredentials("admin", "admin".toCharArray()), WORKSPACE);
    }

    /**
     * Jackrabbit's repository, opened up just enough for {@link RepositoryCheck} to reach the workspace's persistence
     * manager and search index and the version store's persistence manager (protected in {@link RepositoryImpl}).
     */
    private static final class Jackrabbit extends RepositoryImpl {
        Jackrabbit(RepositoryConfig config) throws RepositoryException {
            super(config);
        }

        WorkspaceInfo workspace(String name) throws RepositoryException {
            return getWorkspaceInfo(name);
        }

        PersistenceManager versionPersistenceManager() {
            return context.getInternalVersionManager().getPersistenceManager();
        }

        org.apache.jackrabbit.core.journal.DatabaseJournal clusterJournal() {
            org.apache.jackrabbit.core.cluster.ClusterNode node = context.getClusterNode();
            return node != null && node.getJournal() instanceof org.apache.jackrabbit.core.journal.DatabaseJournal j ? j : null;
        }

        @Override
        protected WorkspaceInfo createWorkspaceInfo(WorkspaceConfig config) {
            return new Workspace(config);
        }

        final class Workspace extends WorkspaceInfo {
            Workspace(WorkspaceConfig config) {
                super(config);
            }

            QueryHandler queryHandler() throws RepositoryException {
                return getSearchManager().getQueryHandler();
            }
        }
    }

    private volatile boolean closed;

    /** Whether {@link #close} was called: what fails from then on failed because of the stop, not of damage. */
    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        repository.shutdown();
        if (tempHome != null) {
            try (Stream<Path> files = Files.walk(tempHome)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a temp folder
            }
        }
    }
}
