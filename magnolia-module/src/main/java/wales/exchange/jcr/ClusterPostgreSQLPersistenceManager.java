package wales.exchange.jcr;

import org.apache.jackrabbit.core.persistence.pool.PostgreSQLPersistenceManager;
import org.apache.jackrabbit.core.state.ChangeLog;
import org.apache.jackrabbit.core.state.ItemStateException;

/**
 * Jackrabbit's PostgreSQL bundle persistence manager (workspace and version store of a cluster node,
 * repository-cluster-postgresql.xml) with one change: a save that fails leaves nothing of itself in the bundle cache
 * (issue 15).
 *
 * <p>Jackrabbit 2.22 writes a save's bundles in one JDBC transaction ({@code BundleDbPersistenceManager.store}:
 * {@code startBatch}, {@code AbstractBundlePersistenceManager.store}, {@code endBatch(true)}). The bundles of nodes
 * the save changes are the cached objects themselves, changed in place before they are written; the cache is cleared
 * only when writing them fails ({@code AbstractBundlePersistenceManager.store}), not when the COMMIT after them fails
 * (a connection cut by a database shutdown or restart, a network fault). The transaction is then rolled back but the
 * cache keeps the changed bundles: a parent with the entry of a child whose bundle was never committed. Jackrabbit
 * then cancels the save and reloads the parent's state through this cache, and the node's next save under that
 * parent wrote the parent again, with the dangling entry, to the database: a new node's index build stopped at it
 * ({@code NoSuchItemStateException}), and the other nodes read a parent naming a child that does not exist.
 * Here every bundle the failed save touched is evicted (as for a change another cluster node made), so the next read
 * comes from the database, which holds the state before the save.
 */
public class ClusterPostgreSQLPersistenceManager extends PostgreSQLPersistenceManager {
    @Override
    public synchronized void store(ChangeLog changeLog) throws ItemStateException {
        boolean stored = false;
        try {
            super.store(changeLog);
            stored = true;
        } finally {
            if (!stored) {
                onExternalUpdate(changeLog);
            }
        }
    }
}
