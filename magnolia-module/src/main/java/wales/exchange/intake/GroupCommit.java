package wales.exchange.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit (JCR-free): callers hand in jobs and wait; one writer thread takes what is queued (at most
 * {@code maxBatch}, without waiting for more: while one save runs the next batch fills up), stages every job into one
 * unit of work and commits it once. A caller is answered only after the commit holding its job returned, so what it
 * acknowledges is as durable as a commit of its own would have made it.
 *
 * <p>A job the unit refuses without having changed anything ({@link Unit#alone}: a duplicate, a missing upload, an
 * invalid input) fails alone and the batch goes on; its caller is answered after the batch's commit (a refusal may
 * rest on a job staged before it, a duplicate of one in the batch, so it is only final once that job is saved). Any other failure, in staging or in the commit, discards the whole
 * unit and the batch's jobs are done again one by one (each staged and committed alone, retried when
 * {@link Unit#retriable}), so one bad job never fails the others.
 *
 * @param <T> a job
 * @param <R> what a committed job answers
 */
public final class GroupCommit<T, R> {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** Attempts of a job saved alone when its failure is {@link Unit#retriable}. */
    static final int ATTEMPTS = 3;

    /** The unit of work, used by the writer thread only. */
    public interface Unit<T, R> {
        /** Adds the job's changes to the unit (not committed). */
        R stage(T job) throws Exception;

        /** Commits everything staged since the last commit or discard. */
        void commit() throws Exception;

        /** Drops everything staged since the last commit. */
        void discard();

        /** Whether {@code e}, thrown by {@link #stage}, left the unit unchanged: the job fails alone. */
        default boolean alone(Exception e) {
            return false;
        }

        /** Whether a job that failed with {@code e} alone may be tried again. */
        default boolean retriable(Exception e) {
            return false;
        }

        /** After the commit that held {@code job}, before its caller is answered. */
        default void committed(T job, R result) {
        }
    }

    private static final class Pending<T, R> {
        final T job;
        final CompletableFuture<R> done = new CompletableFuture<>();
        R staged;

        Pending(T job) {
            this.job = job;
        }
    }

    private final Unit<T, R> unit;
    private final int maxBatch;
    private final String name;
    private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    private Thread writer;
    private volatile boolean closed;
    /** A close gave up waiting for the writer: it reopens when it stops. */
    private boolean abandoned;
    /** The writer thread until it leaves its loop (guarded by this). */
    private Thread running;
    /** How long a close waits for the batch in hand. */
    long closeMillis = 10_000;
    /** Batches and jobs committed so far (for tests and the log). */
    private volatile long batches;
    private volatile long jobs;
    /** CPU time the writer thread spent on batches (staging, commits, answers). */
    private volatile long cpuNanos;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    public GroupCommit(Unit<T, R> unit, int maxBatch, String name) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch < 1");
        }
        this.unit = unit;
        this.maxBatch = maxBatch;
        this.name = name;
    }

    /**
     * Queues {@code job} and waits until the commit holding it returned: its result, or the exception that failed it
     * (as thrown by the unit).
     */
    public R submit(T job) throws Exception {
        Pending<T, R> p = new Pending<>(java.util.Objects.requireNonNull(job, "job"));
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(name + " is closed");
            }
            if (writer == null) {
                writer = new Thread(this::loop, name);
                writer.setDaemon(true);
                running = writer;
                writer.start();
            }
            queue.add(p);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return p.done.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the job is queued: its caller must learn what became of it
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception x) {
                        throw x;
                    }
                    throw (Error) e.getCause();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops the writer after the batch in hand (never by an interrupt: a save must not be cut short); jobs submitted
     * meanwhile fail with {@link IllegalStateException}. A later {@link #submit} starts a new writer (Magnolia may stop
     * and start a module again). When the batch in hand outlasts the wait, the writer stops after it, submissions are
     * refused until then, and this answers false: the unit is still in use.
     */
    public boolean close() throws InterruptedException {
        Thread w;
        boolean stopped = true;
        synchronized (this) {
            if (abandoned) {
                return false; // an earlier close gave up waiting for the writer's last batch
            }
            closed = true;
            w = writer;
            queue.add(new Pending<>(null)); // the writer stops when it takes this
        }
        try {
            if (w != null) {
                w.join(closeMillis);
            }
        } finally {
            synchronized (this) {
                if (w != null && running == w) { // not out of its loop yet (it clears this under the lock)
                    // a save still running: the writer stops on the marker after it and reopens (see loop); meanwhile
                    // submissions are refused, so that no second writer ever shares the unit with it
                    abandoned = true;
                    stopped = false;
                    LOG.warn("{}: a save is still running after {} ms; the writer stops after it", name, closeMillis);
                } else {
                    reopen();
                }
            }
        }
        return stopped;
    }

    /** Fails what is queued and lets a later {@link #submit} start a new writer (holding the lock). */
    private void reopen() {
        for (Pending<T, R> p; (p = queue.poll()) != null; ) {
            if (p.job != null) {
                p.done.completeExceptionally(new IllegalStateException(name + " is closed"));
            }
        }
        writer = null;
        closed = false;
        abandoned = false;
    }

    /** Jobs waiting for the writer (not yet in a batch). */
    int queued() {
        return queue.size();
    }

    public long batches() {
        return batches;
    }

    public long jobs() {
        return jobs;
    }

    /** CPU time of the writer thread so far, in nanoseconds. */
    public long cpuNanos() {
        return cpuNanos;
    }

    private void loop() {
        List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() stops the writer
            }
            queue.drainTo(batch, maxBatch - 1);
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).job == null) { // close(): nothing is queued after it
                    batch.subList(i, batch.size()).clear();
                    stop = true;
                }
            }
            long cpu = THREADS.getCurrentThreadCpuTime();
            try {
                if (!batch.isEmpty()) {
                    run(batch);
                }
            } catch (Throwable t) { // never leave a caller waiting
                LOG.error("{}: batch of {} failed: {}", name, batch.size(), t.toString());
                for (Pending<T, R> p : batch) {
                    p.done.completeExceptionally(t);
                }
            }
            batch.clear();
            cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
        }
        synchronized (this) {
            running = null;
            if (abandoned) {
                reopen();
            }
        }
    }

    /** One batch: staged together and committed once, else one by one. */
    void run(List<Pending<T, R>> batch) {
        if (batch.size() == 1) {
            alone(batch.get(0));
            return;
        }
        List<Pending<T, R>> staged = new ArrayList<>(batch.size());
        // refused alone, answered only once the batch is committed: the refusal may rest on a job staged before it
        // (a duplicate of one in this batch), and if the batch is discarded that job may never be saved
        Map<Pending<T, R>, Exception> refused = new LinkedHashMap<>();
        try {
            for (Pending<T, R> p : batch) {
                try {
                    p.staged = unit.stage(p.job);
                    staged.add(p);
                } catch (Exception e) {
                    if (!unit.alone(e)) {
                        throw e;
                    }
                    refused.put(p, e);
                }
            }
            if (!staged.isEmpty()) {
                unit.commit();
            }
        } catch (Exception e) {
            unit.discard();
            LOG.warn("{}: a batch of {} failed ({}); saving them one by one", name, batch.size(), e.toString());
            for (Pending<T, R> p : batch) { // in order: a job refused as another's duplicate comes after it
                if (!p.done.isDone()) {
                    alone(p);
                }
            }
            return;
        }
        refused.forEach((p, e) -> p.done.completeExceptionally(e));
        batches++;
        jobs += staged.size();
        for (Pending<T, R> p : staged) {
            finish(p);
        }
    }

    /** A job staged and committed on its own. */
    private void alone(Pending<T, R> p) {
        for (int attempt = 1; ; attempt++) {
            try {
                p.staged = unit.stage(p.job);
                unit.commit();
            } catch (Exception e) {
                unit.discard();
                if (!unit.alone(e) && unit.retriable(e) && attempt < ATTEMPTS) {
                    LOG.warn("{}: a save collided with another ({}), retrying", name, e.toString());
                    continue;
                }
                p.done.completeExceptionally(e);
                return;
            }
            batches++;
            jobs++;
            finish(p);
            return;
        }
    }

    private void finish(Pending<T, R> p) {
        try {
            unit.committed(p.job, p.staged);
        } catch (RuntimeException e) {
            LOG.warn("{}: after the commit: {}", name, e.toString());
        }
        p.done.complete(p.staged);
    }
}
