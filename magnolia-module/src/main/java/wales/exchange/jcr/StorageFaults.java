package wales.exchange.jcr;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Whether a failed write failed because the repository's storage could not be reached (a cluster node whose PostgreSQL
 * is down or restarting): then the request is answered 503 with Retry-After, not 500, and the client tries again.
 * Almost always the save did not happen; a COMMIT whose answer was lost and that could not be settled may have
 * (ClusterPostgreSQLPersistenceManager, docs/operations.md "Commit in doubt"), which the problem's detail says. Jackrabbit reports it as a RepositoryException whose causes include the
 * JDBC driver's {@link java.sql.SQLException} (or the cluster journal's {@code JournalException} around it).
 */
public final class StorageFaults {
    /** Seconds a client is asked to wait (Retry-After) before it writes again. */
    public static final int RETRY_AFTER_SECONDS = 5;
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;
    private static final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    private StorageFaults() {
    }

    /** True when {@code e} (or a cause) says the storage could not be reached or used. */
    public static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException || t instanceof java.net.ConnectException
                    || t.getClass().getName().equals("org.apache.jackrabbit.core.journal.JournalException")) {
                return true;
            }
        }
        return false;
    }

    /** Logs one line for a write refused because storage is unavailable, at most once every 10 s (an outage is one line). */
    public static void log(Logger log, String what, Throwable e) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            log.warn("storage unavailable: {} answered 503 (Retry-After {} s): {} (further refusals in the next 10 s not logged)",
                    what, RETRY_AFTER_SECONDS, root.toString().lines().findFirst().orElse(""));
        }
    }
}
