package wales.exchange.jcr;

import java.util.concurrent.Callable;

/**
 * Lets a background read of a whole store (the repository check's bundle check) give way to the requests being served:
 * the bundle persistence managers ({@link FileH2PersistenceManager}, {@link ClusterPostgreSQLPersistenceManager}) call
 * {@link #pace()} before each batch of Jackrabbit's consistency checker, outside their lock, and it runs the
 * {@link Pacer} the current thread was given by {@link #with}. Other threads and other reads are not paced.
 */
public final class Pacing {
    /** Jackrabbit's consistency checker reads this many bundles a batch (its system property; its default 8192). */
    public static final int CHECK_BATCH = 1024;
    /** The system property of Jackrabbit's {@code ConsistencyCheckerImpl} for its batch, read when that class loads. */
    static final String CHECK_BATCH_PROPERTY = "org.apache.jackrabbit.checker.nodesatonce";

    /** What a paced read calls between its batches: may wait (for example while clients are being served). */
    @FunctionalInterface
    public interface Pacer {
        void pace() throws InterruptedException;
    }

    /**
     * Thrown by a pacer to end the read at once (the server stops): the repository check then reports that it did not
     * check ({@link RepositoryCheck.Report#notChecked()}), not damage, and the stop need not wait for the rest of it.
     */
    public static final class Stopped extends RuntimeException {
        public Stopped() {
            super("stopped", null, false, false);
        }
    }

    private static final ThreadLocal<Pacer> CURRENT = new ThreadLocal<>();

    private Pacing() {
    }

    /**
     * Sets Jackrabbit's checker batch to {@link #CHECK_BATCH} unless the property is set already: smaller batches hold the
     * persistence manager's lock (which saves wait for) a shorter time each, and give the pacer a chance more often.
     */
    static void smallCheckBatches() {
        if (System.getProperty(CHECK_BATCH_PROPERTY) == null) {
            System.setProperty(CHECK_BATCH_PROPERTY, Integer.toString(CHECK_BATCH));
        }
    }

    /** Runs {@code work} on this thread with {@code pacer} (null: none) asked before each batch of a full read. */
    static <T> T with(Pacer pacer, Callable<T> work) throws Exception {
        Pacer before = CURRENT.get();
        CURRENT.set(pacer);
        try {
            return work.call();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /**
     * Called before a batch of a full read: the current thread's pacer, if any; {@link Stopped} goes through. An
     * interrupt (thrown by the pacer, or left set by it, as {@code ClientActivity.awaitQuiet} does) ends the read as a
     * stop does, the interrupt kept set: reading on with it set, the store's file was closed under the read, which the
     * check then reported as damage.
     */
    static void pace() {
        Pacer p = CURRENT.get();
        if (p != null) {
            try {
                p.pace();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new Stopped();
            }
        }
    }
}
