package wales.exchange.jcr;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.jackrabbit.core.id.NodeId;
import org.apache.jackrabbit.core.persistence.pool.PostgreSQLPersistenceManager;
import org.apache.jackrabbit.core.persistence.util.NodePropBundle;
import org.apache.jackrabbit.core.state.ChangeLog;
import org.apache.jackrabbit.core.state.ItemStateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jackrabbit's PostgreSQL bundle persistence manager (workspace and version store of a cluster node,
 * repository-cluster-postgresql.xml) with two changes for a save whose COMMIT fails (issue 15).
 *
 * <p><b>A failed save leaves nothing of itself in the bundle cache.</b> Jackrabbit 2.22 writes a save's bundles in one
 * JDBC transaction ({@code BundleDbPersistenceManager.store}: {@code startBatch}, {@code AbstractBundlePersistenceManager.store},
 * {@code endBatch(true)}). The bundles of nodes the save changes are the cached objects themselves, changed in place
 * before they are written; the cache is cleared only when writing them fails ({@code AbstractBundlePersistenceManager.store}),
 * not when the COMMIT after them fails (a connection cut by a database shutdown or restart, a network fault). The
 * transaction is then rolled back but the cache keeps the changed bundles: a parent with the entry of a child whose
 * bundle was never committed. Jackrabbit then cancels the save and reloads the parent's state through this cache, and
 * the node's next save under that parent wrote the parent again, with the dangling entry, to the database: a new
 * node's index build stopped at it ({@code NoSuchItemStateException}), and the other nodes read a parent naming a
 * child that does not exist. Here every bundle the failed save touched is evicted (as for a change another cluster
 * node made), so the next read comes from the database, which holds the state before the save.
 *
 * <p><b>A commit in doubt is settled by asking the database.</b> A COMMIT can succeed while the node hears an error:
 * the connection is cut after the database committed, before its answer arrived. Jackrabbit took that for a failed
 * commit and wrote the save again in a new transaction (its one retry), whose INSERTs of the new nodes' bundles then
 * failed on the committed rows; it cancelled the save and rolled back the journal record. The database held the save,
 * no other node ever heard of it (no journal record, and their cached parent lacked the new child), and the client was
 * told it failed (the server's 503). Here each attempt notes its transaction id ({@code txid_current()}, one query per
 * save); before the retry, and after a last failure, the node asks the database whether that transaction committed
 * ({@code txid_status}, PostgreSQL 10 or later; an attempt whose bundle write failed never sent its COMMIT and is not
 * asked about). If it did, the save stands: no retry, and Jackrabbit goes on as after
 * a successful store (the journal record is committed, the other nodes see the change, the client gets its answer).
 * If the database cannot be asked (it is down) for {@link #DOUBT_MILLIS}, the save is reported as failed and stays in
 * doubt: logged, and the client's 503 says it may not have been saved (docs/operations.md, "Cluster", <i>Commit in
 * doubt</i>).
 */
public class ClusterPostgreSQLPersistenceManager extends PostgreSQLPersistenceManager {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterPostgreSQLPersistenceManager.class);
    /** How long a node keeps asking whether a failed save's transaction committed, when it cannot get an answer. */
    static final long DOUBT_MILLIS = 5_000;
    static final long DOUBT_POLL_MILLIS = 250;

    /**
     * The first bundle the current change log's attempt wrote, and whether it deleted it: the same write seen again,
     * Jackrabbit is trying the save again. Not the same bundle alone: one attempt can delete a bundle and write it
     * again (a node replaced by one with the same id: an import replacing existing nodes), never make the same write twice.
     */
    private NodeId attemptFirst;
    private boolean attemptFirstDestroyed;
    /** The transaction id of the current attempt, once it wrote a bundle. */
    private Long txid;
    /** The transaction ids of the current change log's attempts, but those whose write failed (they never committed). */
    private final List<Long> attempts = new ArrayList<>();

    @Override
    public synchronized void store(ChangeLog changeLog) throws ItemStateException {
        attemptFirst = null;
        txid = null;
        attempts.clear();
        boolean stored = false;
        try {
            super.store(changeLog);
            stored = true;
        } catch (ItemStateException e) {
            Long committed = e instanceof AlreadyCommitted a ? Long.valueOf(a.txid) : committedAfterAll();
            if (committed == null) {
                throw e;
            }
            LOG.warn("a save's COMMIT was reported as failed but the database committed it (transaction {}, {}): the save stands",
                    committed, e instanceof AlreadyCommitted ? "found before Jackrabbit's retry" : rootMessage(e));
            onExternalUpdate(changeLog);   // whatever the attempts left in the cache: read again from the database
            stored = true;
        } finally {
            attemptFirst = null;
            txid = null;
            attempts.clear();
            if (!stored) {
                onExternalUpdate(changeLog);
            }
        }
    }

    @Override
    protected synchronized void storeBundle(NodePropBundle bundle) throws ItemStateException {
        noteAttempt(bundle.getId(), false);
        write(() -> super.storeBundle(bundle));
    }

    @Override
    protected synchronized void destroyBundle(NodePropBundle bundle) throws ItemStateException {
        noteAttempt(bundle.getId(), true);
        write(() -> super.destroyBundle(bundle));
    }

    /** Called in the transaction of a save's attempt, before each bundle it writes. */
    private void noteAttempt(NodeId id, boolean destroy) throws ItemStateException {
        if (attemptFirst == null) {
            attemptFirst = id;
            attemptFirstDestroyed = destroy;
        } else if (attemptFirst.equals(id) && attemptFirstDestroyed == destroy) {
            // a new attempt of the same save: Jackrabbit's retry after the last attempt failed, perhaps at its COMMIT
            Long earlier = txid;
            txid = null;
            if (earlier != null && settle(earlier) == Outcome.COMMITTED) {
                throw new AlreadyCommitted(earlier);
            }
        }
        if (txid == null) {
            try (ResultSet rs = conHelper.query("select txid_current()")) {
                txid = rs.next() ? rs.getLong(1) : null;
                if (txid != null) {
                    attempts.add(txid);
                }
            } catch (SQLException e) {
                throw new ItemStateException("cannot read the transaction id: " + e.getMessage(), e);
            }
        }
    }

    private interface Write {
        void run() throws ItemStateException;
    }

    /**
     * One of the attempt's writes. When it fails, the attempt ends without a COMMIT (Jackrabbit rolls it back; a cut
     * connection's transaction is aborted by the database): it cannot have committed, so it is not in doubt and never
     * asked about (else, the database out of reach, the save waited {@link #DOUBT_MILLIS} and was logged as unknown).
     */
    private void write(Write write) throws ItemStateException {
        try {
            write.run();
        } catch (ItemStateException | RuntimeException e) {
            attempts.remove(txid);
            txid = null;
            throw e;
        }
    }

    /** After the last attempt failed: the id of an attempt's transaction the database committed all the same, or null. */
    private Long committedAfterAll() {
        for (Long id : attempts) {
            if (settle(id) == Outcome.COMMITTED) {
                return id;
            }
        }
        return null;
    }

    private enum Outcome { COMMITTED, ABORTED, UNKNOWN }

    /**
     * Whether the database committed transaction {@code id}. While it cannot be asked, or the transaction is still in
     * progress (the connection was cut before the server ended it), it is asked again for up to {@link #DOUBT_MILLIS};
     * then the outcome is unknown, and logged.
     */
    private Outcome settle(long id) {
        long end = System.nanoTime() + DOUBT_MILLIS * 1_000_000L;
        String why;
        while (true) {
            try {
                String status = status(id);
                if ("committed".equals(status)) {
                    return Outcome.COMMITTED;
                }
                if (!"in progress".equals(status)) {
                    return Outcome.ABORTED;   // aborted (or too old to tell, which a transaction of a moment ago is not)
                }
                why = "still in progress";
            } catch (ItemStateException e) {
                why = rootMessage(e);
            }
            if (System.nanoTime() - end > 0) {
                LOG.warn("a save failed and whether the database committed it is unknown (transaction {}: {}); "
                        + "if it did, no other node hears of it until restarted (docs/operations.md, Commit in doubt)", id, why);
                return Outcome.UNKNOWN;
            }
            try {
                Thread.sleep(DOUBT_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.UNKNOWN;
            }
        }
    }

    /** {@code txid_status}: committed, aborted, in progress, or null (too old to tell). */
    private String status(long id) throws ItemStateException {
        try (ResultSet rs = conHelper.query("select txid_status(?)", id)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new ItemStateException("cannot ask the database whether transaction " + id + " committed: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** The earlier attempt of this save committed: end the retry, the save stands. */
    private static final class AlreadyCommitted extends ItemStateException {
        private static final long serialVersionUID = 1L;
        final long txid;

        AlreadyCommitted(long txid) {
            super("the earlier attempt committed (transaction " + txid + ")");
            this.txid = txid;
        }
    }

    /**
     * A batch of Jackrabbit's consistency checker, after the checking thread's {@link Pacing} pacer (if any) has been
     * asked, outside this manager's lock: the repository check gives way to requests between batches.
     */
    @Override
    public java.util.Map<org.apache.jackrabbit.core.id.NodeId, org.apache.jackrabbit.core.persistence.util.NodeInfo> getAllNodeInfos(
            org.apache.jackrabbit.core.id.NodeId bigger, int maxCount) throws ItemStateException {
        Pacing.pace();
        return super.getAllNodeInfos(bigger, maxCount);
    }
}
