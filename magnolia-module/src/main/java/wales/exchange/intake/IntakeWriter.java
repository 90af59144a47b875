package wales.exchange.intake;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.Set;
import javax.jcr.InvalidItemStateException;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.content.ValidationException;
import wales.exchange.delivery.index.Sessions;

/**
 * Saves public submissions by group commit ({@link GroupCommit}): one writer thread with a session of its own stages
 * the submissions queued meanwhile (at most {@value #MAX_BATCH}) and saves them in one {@code session.save()}; each
 * request is answered only once the save holding it returned, so every 202 is as durable as before (docs/contributions.md).
 * A save costs Jackrabbit about the same for one submission as for several (the persistence manager's commit, the
 * parents' bundles, observation, the search index's update), so under load this is most of the intake's cost saved.
 * Duplicates, missing uploads and invalid input fail their own request only; any other failure saves the batch's
 * submissions one by one.
 */
@Singleton
public final class IntakeWriter {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeWriter.class);
    /** The most submissions in one save. */
    public static final int MAX_BATCH = 64;

    private final JcrUnit unit;
    private final GroupCommit<IntakeStore.Job, IntakeStore.Staged> commits;

    @Inject
    public IntakeWriter(IntakeStore store, Sessions sessions) {
        this.unit = new JcrUnit(store, sessions);
        // the thread's name fits the 15 characters the kernel keeps (/proc/PID/task/*/comm, top -H): bench/intake.sh
        // tells its CPU time from the intake pool's (exchange-intake-N)
        this.commits = new GroupCommit<>(unit, MAX_BATCH, "intake-writer");
    }

    /**
     * Stores a validated submission and returns once it is saved. Throws {@link IntakeStore.DuplicateException},
     * {@link IntakeStore.NoSuchUploadException}, {@link ValidationException} as {@link IntakeStore#submit} does.
     */
    public IntakeStore.Stored submit(IntakeStore.Job job) throws RepositoryException {
        try {
            return commits.submit(job).stored();
        } catch (RepositoryException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RepositoryException(e);
        }
    }

    /** Stops the writer thread (after the save in hand) and logs its sessions out. */
    public void close() throws InterruptedException {
        if (!commits.close()) {
            return; // a save still running uses the sessions: the writer stops after it and keeps them for a restart
        }
        unit.logout();
        if (commits.jobs() > 0) {
            LOG.info("intake writer: {} submission(s) saved in {} save(s), {} ms of the writer's CPU", commits.jobs(), commits.batches(),
                    commits.cpuNanos() / 1_000_000);
        }
    }

    /** Saves and submissions so far: how well submissions were grouped. */
    public long saves() {
        return commits.batches();
    }

    public long saved() {
        return commits.jobs();
    }

    /** The writer thread's unit of work: a session for the submissions, another for new folders (saved at once). */
    static final class JcrUnit implements GroupCommit.Unit<IntakeStore.Job, IntakeStore.Staged> {
        private final IntakeStore store;
        private final Sessions sessions;
        private final Set<String> pending = new HashSet<>();
        /** Folders known to exist (forgotten after a failure). */
        private final Set<String> ensured = new HashSet<>();
        /**
         * The bucket of the next {@value #MAX_BATCH} submissions: a batch's items share one folder and their personal
         * records another, so a save rewrites few parents' bundles (and a new day's folders are made once per bucket).
         */
        private String bucket;
        private int inBucket;
        private Session session;
        private Session folders;

        JcrUnit(IntakeStore store, Sessions sessions) {
            this.store = store;
            this.sessions = sessions;
        }

        @Override
        public IntakeStore.Staged stage(IntakeStore.Job job) throws Exception {
            if (session == null || !session.isLive()) {
                session = sessions.open();
            }
            if (folders == null || !folders.isLive()) {
                folders = sessions.open();
            }
            IntakeStore.NewSubmission s = job.submission();
            if (bucket == null || inBucket >= MAX_BATCH) {
                bucket = IntakeStore.bucket();
                inBucket = 0;
            }
            inBucket++;
            IntakeStore.Place place = store.place(s.type(), bucket);
            String[] needed = java.util.Arrays.stream(place.folders()).filter(f -> !ensured.contains(f)).toArray(String[]::new);
            if (needed.length > 0) {
                // in a session of their own: a save here must not save the submissions staged before this one
                IntakeStore.ensure(folders, needed);
                if (ensured.size() > 4096) {
                    ensured.clear(); // earlier days' folders
                }
                ensured.addAll(java.util.Arrays.asList(needed));
            }
            store.loadDigests(session);
            IntakeStore.Staged staged = store.stage(session, s, place, job.describe(), job.listener(), pending);
            pending.add(s.digest());
            return staged;
        }

        @Override
        public void commit() throws RepositoryException {
            try {
                session.save();
            } finally {
                pending.clear();
            }
        }

        @Override
        public void discard() {
            pending.clear();
            ensured.clear(); // a folder may be gone (a purge, another process): look again
            session = refreshed(session);
            // a failed save of new folders leaves them pending there: they would then "exist" for that session, never
            // be saved, and every later submission into them fail
            folders = refreshed(folders);
        }

        /** {@code s} without its pending changes, or null (a new one is opened) when they cannot be dropped. */
        private static Session refreshed(Session s) {
            if (s == null) {
                return null;
            }
            try {
                s.refresh(false);
                return s;
            } catch (RepositoryException | RuntimeException e) {
                LOG.warn("intake writer: cannot discard a session's changes ({}); opening a new one", e.toString());
                s.logout();
                return null;
            }
        }

        void logout() {
            for (Session s : new Session[] {session, folders}) {
                if (s != null && s.isLive()) {
                    s.logout();
                }
            }
            session = null;
            folders = null;
        }

        @Override
        public boolean alone(Exception e) {
            return e instanceof IntakeStore.DuplicateException || e instanceof IntakeStore.NoSuchUploadException
                    || e instanceof ValidationException;
        }

        @Override
        public boolean retriable(Exception e) {
            // another session's save changed a parent in a way Jackrabbit could not merge: nothing of this was saved
            return e instanceof InvalidItemStateException;
        }

        @Override
        public void committed(IntakeStore.Job job, IntakeStore.Staged staged) {
            store.remember(staged);
        }
    }
}
