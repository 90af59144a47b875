package wales.exchange.jcr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.query.Query;
import org.apache.jackrabbit.core.RepositoryImpl;
import org.apache.jackrabbit.core.id.NodeId;
import org.apache.jackrabbit.core.persistence.IterablePersistenceManager;
import org.apache.jackrabbit.core.persistence.PersistenceManager;
import org.apache.jackrabbit.core.persistence.check.ConsistencyChecker;
import org.apache.jackrabbit.core.persistence.check.ConsistencyReport;
import org.apache.jackrabbit.core.persistence.check.ReportItem;
import org.apache.jackrabbit.core.query.QueryHandler;
import org.apache.jackrabbit.core.query.lucene.ConsistencyCheck;
import org.apache.jackrabbit.core.query.lucene.ConsistencyCheckError;
import org.apache.jackrabbit.core.query.lucene.SearchIndex;
import org.apache.jackrabbit.core.state.ChildNodeEntry;
import org.apache.jackrabbit.core.state.ItemStateException;
import org.apache.jackrabbit.core.state.NoSuchItemStateException;
import org.apache.jackrabbit.core.state.NodeState;
import org.apache.jackrabbit.spi.Name;
import org.apache.lucene.index.IndexReader;
import wales.exchange.model.ContentType;

/**
 * The start-up check of an on-disk {@link EmbeddedRepository}: what a kill -9 mid-save, a full disk or a bad copy
 * leaves behind must be reported, not served silently (docs/operations.md, "Damaged repository").
 *
 * <ol>
 * <li>Bundles, of the ExChange workspace and of the version store: Jackrabbit's consistency checker
 * ({@link ConsistencyChecker#check}: missing children, orphans, disconnected or abandoned nodes). That checker stops at
 * the first bundle it cannot read, so when it fails every bundle is then read one by one, to name each unreadable one
 * with its path (found from its parent's child entry).</li>
 * <li>The search index: it must hold one document per node. Jackrabbit silently replaces an index segment it cannot
 * read with an empty one, so a damaged segment shows up as fewer documents than bundles. Only then (it reads every
 * node again) does Jackrabbit's index consistency check run ({@link SearchIndex#runConsistencyCheck()}: nodes missing
 * from the index, documents of deleted nodes, duplicates); what it finds is repaired (the nodes are indexed again from
 * their bundles) and checked again; what is left is damage.</li>
 * <li>{@link #withQueryCheck}, once the read model is loaded: for every delivered type, a JCR query must find as many
 * items as the read model read by traversal.</li>
 * </ol>
 * Nothing is ever repaired in the bundles: that takes a backup.
 */
public final class RepositoryCheck {
    /** A bundle (a node with its properties) that cannot be read: the node is gone from every read. */
    public static final String BUNDLE_UNREADABLE = "bundle-unreadable";
    /** Prefix of the codes of Jackrabbit's checker, e.g. {@code bundle-missing}, {@code bundle-orphaned}. */
    public static final String BUNDLE = "bundle-";
    /** The bundles could not be checked at all. */
    public static final String BUNDLE_CHECK_FAILED = "bundle-check-failed";
    /** Index errors left after the repair. */
    public static final String SEARCH_INDEX_INCONSISTENT = "search-index-inconsistent";
    /** The index could not be checked (an I/O error reading it). */
    public static final String SEARCH_INDEX_UNREADABLE = "search-index-unreadable";
    /** A JCR query finds a different number of items of a type than the read model holds. */
    public static final String SEARCH_INDEX_MISMATCH = "search-index-mismatch";
    /** Prefix of the repair notes. */
    public static final String SEARCH_INDEX_REPAIRED = "search-index-repaired";
    private static final String VERSION_STORE = "version store";

    private final EmbeddedRepository repository;
    /** Asked before each batch of bundles the check reads; null: none. */
    private final Pacing.Pacer pacer;

    public RepositoryCheck(EmbeddedRepository repository) {
        this(repository, null);
    }

    /**
     * A check whose bundle reads ask {@code pacer} before each batch of {@link Pacing#CHECK_BATCH} bundles (the server's
     * waits while clients are being served: the check is background work that a start leaves running).
     */
    public RepositoryCheck(EmbeddedRepository repository, Pacing.Pacer pacer) {
        this.repository = repository;
        this.pacer = pacer;
        Pacing.smallCheckBatches();
    }

    /**
     * One damage: a short code, the node's identifier and path where known (else null), and what is wrong.
     */
    public record Damage(String code, String id, String path, String detail) {
    }

    /**
     * What the check found.
     *
     * @param checked whether the check ran (not for a repository in memory)
     * @param nodes   bundles checked
     * @param damages what cannot be trusted (none: healthy)
     * @param repairs what was found and repaired (the search index), for the log
     * @param millis  time taken by each part ({@code bundles}, {@code index}, {@code queries})
     */
    public record Report(boolean checked, int nodes, List<Damage> damages, List<String> repairs, Map<String, Long> millis) {
        public Report {
            damages = List.copyOf(damages);
            repairs = List.copyOf(repairs);
            millis = Collections.unmodifiableMap(new LinkedHashMap<>(millis));
        }

        public static Report notChecked() {
            return new Report(false, 0, List.of(), List.of(), Map.of());
        }

        /** e.g. {@code bundles 3100 ms, index 1400 ms, queries 80 ms}. */
        public String timings() {
            return String.join(", ", millis.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + " ms").toList());
        }

        public boolean ok() {
            return damages.isEmpty();
        }

        public boolean bundleDamage() {
            return damages.stream().anyMatch(d -> d.code().startsWith(BUNDLE));
        }
    }

    /** Checks the bundles of the workspace and the version store, then checks (and repairs) the search index. */
    public Report checkStorage() {
        long t0 = System.nanoTime();
        List<Damage> damages = new ArrayList<>();
        List<String> repairs = new ArrayList<>(repository.repairs());
        Map<String, Long> millis = new LinkedHashMap<>();
        int nodes = 0;
        int indexed = -1; // workspace nodes the search index must hold, -1: not known
        try {
            Session session = repository.login();
            try {
                PersistenceManager pm = repository.workspacePersistenceManager();
                int workspace = checkBundles("workspace " + EmbeddedRepository.WORKSPACE, pm, session, damages, pacer);
                if (workspace >= 0) {
                    // every node but the placeholder of /jcr:system (indexed with the version store) has one document
                    indexed = workspace - (pm.exists(RepositoryImpl.SYSTEM_ROOT_NODE_ID) ? 1 : 0);
                }
                nodes += Math.max(0, workspace) + Math.max(0, checkBundles(VERSION_STORE, repository.versionPersistenceManager(),
                        session, damages, pacer));
            } finally {
                session.logout();
            }
        } catch (Pacing.Stopped e) { // the server stops: nothing is known, nothing is damaged
            return Report.notChecked();
        } catch (RepositoryException | ItemStateException | RuntimeException e) {
            damages.add(new Damage(BUNDLE_CHECK_FAILED, null, null, String.valueOf(e)));
        }
        long t1 = System.nanoTime();
        millis.put("bundles", (t1 - t0) / 1_000_000);
        checkIndex(indexed, damages, repairs);
        millis.put("index", (System.nanoTime() - t1) / 1_000_000);
        return new Report(true, nodes, damages, repairs, millis);
    }

    /**
     * Adds the query check to {@code report}: for each delivered type, the items a JCR query finds against
     * {@code expected} (those the read model read by traversal). Skipped when bundles are damaged (the traversal then
     * misses items the index still has) or when the storage was not checked.
     */
    public Report withQueryCheck(Report report, Map<ContentType, Integer> expected) {
        if (!report.checked() || report.bundleDamage()) {
            return report;
        }
        long t0 = System.nanoTime();
        List<Damage> damages = new ArrayList<>(report.damages());
        try {
            Session session = repository.login();
            try {
                for (Map.Entry<ContentType, Integer> e : expected.entrySet()) {
                    ContentType t = e.getKey();
                    long found = count(session, t);
                    if (found != e.getValue()) {
                        damages.add(new Damage(SEARCH_INDEX_MISMATCH, null, t.rootPath(),
                                "a query finds " + found + " " + t.name() + " items, the repository holds " + e.getValue()));
                    }
                }
            } finally {
                session.logout();
            }
        } catch (RepositoryException | RuntimeException e) {
            if (repository.closed()) { // the server stopped under the check: nothing is known of the index
                return new Report(report.checked(), report.nodes(), report.damages(), report.repairs(), report.millis());
            }
            damages.add(new Damage(SEARCH_INDEX_UNREADABLE, null, null, "query failed: " + e));
        }
        Map<String, Long> millis = new LinkedHashMap<>(report.millis());
        millis.put("queries", (System.nanoTime() - t0) / 1_000_000);
        return new Report(true, report.nodes(), damages, report.repairs(), millis);
    }

    /**
     * Items of the type, by a query on its node type only (a type's items are only under its root; a path costs a node
     * read per hit). Also what the delivery index's snapshot check counts (RepositoryStamps).
     */
    private static long count(Session session, ContentType t) throws RepositoryException {
        return count(session.getWorkspace().getQueryManager(), t);
    }

    /** As {@link #count(Session, ContentType)}: the query's size, or its nodes walked when Jackrabbit does not know it. */
    public static long count(javax.jcr.query.QueryManager qm, ContentType t) throws RepositoryException {
        @SuppressWarnings("deprecation")
        Query q = qm.createQuery("//element(*, " + t.nodeType() + ")", Query.XPATH);
        NodeIterator it = q.execute().getNodes();
        long size = it.getSize();
        if (size < 0) {
            for (size = 0; it.hasNext(); size++) {
                it.nextNode();
            }
        }
        return size;
    }

    // ------------------------------------------------------------------------------------------------------- bundles

    /** The number of bundles checked, -1 when this persistence manager has no checker. */
    private static int checkBundles(String store, PersistenceManager pm, Session session, List<Damage> out, Pacing.Pacer pacer)
            throws RepositoryException {
        if (!(pm instanceof ConsistencyChecker checker)) {
            return -1;
        }
        ConsistencyReport report;
        try {
            report = Pacing.with(pacer, () -> checker.check(null, false, false, null, null));
        } catch (RepositoryException e) {
            if (pm instanceof IterablePersistenceManager iterable) {
                return readEach(store, iterable, session, out);
            }
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // nothing else is thrown by the checker
            throw new RepositoryException("bundle check of the " + store + " failed", e);
        }
        for (ReportItem i : report.getItems()) {
            String code = BUNDLE + i.getType().name().toLowerCase(Locale.ROOT);
            out.add(new Damage(code, i.getNodeId(), pathOf(session, i.getNodeId()), store + ": " + i.getMessage()));
        }
        return report.getNodeCount();
    }

    /** Reads every bundle; each one that cannot be read is a damage, named by the path of its parent's entry. */
    private static int readEach(String store, IterablePersistenceManager pm, Session session, List<Damage> out)
            throws RepositoryException {
        List<NodeId> ids;
        try {
            ids = pm.getAllNodeIds(null, 0);
        } catch (ItemStateException e) {
            throw new RepositoryException("cannot list the bundles of the " + store, e);
        }
        Map<NodeId, ChildNodeEntry> entries = new HashMap<>();
        Map<NodeId, NodeId> parents = new HashMap<>();
        Map<NodeId, String> unreadable = new TreeMap<>();
        for (NodeId id : ids) {
            try {
                NodeState state = pm.load(id);
                for (ChildNodeEntry e : state.getChildNodeEntries()) {
                    entries.put(e.getId(), e);
                    parents.put(e.getId(), id);
                }
            } catch (NoSuchItemStateException e) {
                // removed since it was listed
            } catch (ItemStateException e) {
                unreadable.put(id, String.valueOf(e.getCause() != null ? e.getCause() : e));
            }
        }
        for (Map.Entry<NodeId, String> u : unreadable.entrySet()) {
            out.add(new Damage(BUNDLE_UNREADABLE, u.getKey().toString(), pathOf(u.getKey(), entries, parents, session),
                    store + ": bundle cannot be read (" + u.getValue() + ")"));
        }
        return ids.size();
    }

    private static String pathOf(NodeId id, Map<NodeId, ChildNodeEntry> entries, Map<NodeId, NodeId> parents, Session session) {
        if (RepositoryImpl.ROOT_NODE_ID.equals(id)) {
            return "/";
        }
        ChildNodeEntry entry = entries.get(id);
        if (entry == null) {
            return pathOf(session, id.toString());
        }
        String parent = pathOf(parents.get(id), entries, parents, session);
        if (parent == null) {
            return null;
        }
        try {
            return (parent.equals("/") ? "" : parent) + "/" + jcrName(entry.getName(), session)
                    + (entry.getIndex() > 1 ? "[" + entry.getIndex() + "]" : "");
        } catch (RepositoryException e) {
            return null;
        }
    }

    private static String jcrName(Name name, Session session) throws RepositoryException {
        String uri = name.getNamespaceURI();
        String prefix = uri.isEmpty() ? "" : session.getNamespacePrefix(uri);
        return prefix.isEmpty() ? name.getLocalName() : prefix + ":" + name.getLocalName();
    }

    private static String pathOf(Session session, String id) {
        try {
            return session.getNodeByIdentifier(id).getPath();
        } catch (RepositoryException | RuntimeException e) {
            return null;
        }
    }

    // -------------------------------------------------------------------------------------------------- search index

    /**
     * The index must hold one document per node: when it does ({@code expected} known and equal to the index's number
     * of documents), nothing more is done; else Jackrabbit's full index check (which reads every node) runs and repairs.
     */
    private void checkIndex(int expected, List<Damage> damages, List<String> repairs) {
        try {
            QueryHandler handler = repository.searchIndex();
            if (!(handler instanceof SearchIndex index)) {
                return;
            }
            if (expected >= 0 && documents(index) == expected) {
                return;
            }
            ConsistencyCheck check = index.runConsistencyCheck();
            check.doubleCheckErrors();
            List<ConsistencyCheckError> found = check.getErrors();
            if (found.isEmpty()) {
                return;
            }
            check.repair(true);
            List<ConsistencyCheckError> left = index.runConsistencyCheck().getErrors();
            if (left.size() < found.size()) {
                repairs.add(SEARCH_INDEX_REPAIRED + ": " + (found.size() - left.size()) + " of " + found.size()
                        + " index errors repaired (" + kinds(found) + ")");
            }
            if (!left.isEmpty()) {
                damages.add(new Damage(SEARCH_INDEX_INCONSISTENT, null, null, left.size() + " index errors left after repair ("
                        + kinds(left) + "), e.g. " + left.get(0)));
            }
        } catch (IOException | RepositoryException | RuntimeException e) {
            damages.add(new Damage(SEARCH_INDEX_UNREADABLE, null, null, String.valueOf(e)));
        }
    }

    private static int documents(SearchIndex index) throws IOException {
        IndexReader reader = index.getIndexReader();
        try {
            return reader.numDocs();
        } finally {
            reader.close();
        }
    }

    /** e.g. {@code NodeAdded: 33}: Jackrabbit's error classes (NodeAdded = a node missing from the index). */
    private static String kinds(List<ConsistencyCheckError> errors) {
        Map<String, Integer> kinds = new TreeMap<>();
        errors.forEach(e -> kinds.merge(e.getClass().getSimpleName(), 1, Integer::sum));
        return kinds.toString().replace("{", "").replace("}", "").replace("=", ": ");
    }
}
