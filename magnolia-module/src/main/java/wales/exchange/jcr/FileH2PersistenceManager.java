package wales.exchange.jcr;

import org.apache.jackrabbit.core.persistence.pool.H2PersistenceManager;
import org.apache.jackrabbit.core.state.ChangeLog;
import org.apache.jackrabbit.core.state.ItemStateException;

/**
 * Jackrabbit's H2 bundle persistence manager (workspace and version store of the single-node server,
 * repository-file.xml) with the change {@link ClusterPostgreSQLPersistenceManager} makes for PostgreSQL: a save whose
 * COMMIT fails (on one node: a full or failing disk) leaves nothing of itself in the bundle cache. Jackrabbit 2.22
 * changes the cached bundles in place before it writes them and clears its cache only when writing them fails, not
 * when the COMMIT after them fails; the next save under the same parent then wrote the parent again with the entry of
 * a child that was never committed (a dangling child entry: the repository check reports it, a search index rebuild
 * stops at it). Here every bundle the failed save touched is evicted, so the next read comes from the database, which
 * holds the state before the save.
 */
public class FileH2PersistenceManager extends H2PersistenceManager {
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
