package wales.exchange.delivery.index;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.observation.Event;
import javax.jcr.observation.EventIterator;
import javax.jcr.observation.EventListener;
import org.apache.jackrabbit.core.observation.SynchronousEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.content.ContentException;
import wales.exchange.content.ContentService;
import wales.exchange.content.Item;
import wales.exchange.model.ContentType;

/**
 * The delivery API's index: every item of the delivered types in one immutable {@link Snapshot}, published through one
 * volatile reference. Why in memory: Jackrabbit 2 sorts JCR-SQL2 results in memory and counts facets by walking
 * results, too slow at 100k items (docs/api.md "Query strategy").
 *
 * <p><b>One writer.</b> The observation listener only queues the changed paths and bumps the requested sequence. One
 * writer thread, with its own session, reads those paths, builds the next snapshot and publishes it with the sequence
 * it includes. Readers never lock and never read the repository to answer a list.
 *
 * <p><b>Read-your-write.</b> The listener is registered as Jackrabbit-synchronous: it runs in the saving thread before
 * {@code save()} returns, so a save has bumped the requested sequence before its caller goes on. A reader that finds
 * the published snapshot behind the requested sequence waits (at most {@link #MAX_WAIT_MILLIS}) for the writer.
 *
 * <p><b>Failures.</b> A path that cannot be read is logged once (path and cause), keeps its last good entries and is
 * retried with back-off (100 ms doubling to 30 s); other changes and requests go on.
 */
public final class DeliveryIndex {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryIndex.class);
    /** How long a reader waits for the writer to apply changes reported before it started. */
    public static final long MAX_WAIT_MILLIS = 10_000;
    static final long FIRST_RETRY_MILLIS = 100;
    static final long MAX_RETRY_MILLIS = 30_000;
    private static final int POOL_SIZE = 8;
    private final ContentService service;
    private final List<ContentType> types;
    private final Session session;
    private final Sessions sessions;
    private final Clock clock;
    private final ItemReader reader;
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong requested = new AtomicLong();
    private final Object published = new Object();
    private final AtomicBoolean stalledLogged = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Session> pool = new ConcurrentLinkedQueue<>();
    /** Paths that could not be read, with when to try again. Writer thread only (read by tests and health). */
    private final Map<String, Retry> failing = new ConcurrentHashMap<>();
    private final AtomicLong failuresLogged = new AtomicLong();
    private final AtomicLong itemsRead = new AtomicLong();
    /** Full items read from the repository to answer (no usable record in the bodies file). */
    private final AtomicLong fullReads = new AtomicLong();
    /** The item bodies file the writer appends to (writer thread; replaced on a compaction). */
    private volatile BodyStore bodies;
    /** The bodies file a runtime compaction replaced, closed at the next one (writer thread, and the stop). */
    private volatile BodyStore retiredBodies;
    /** Bytes of {@link #bodies} when its garbage was last measured (writer thread). */
    private long bodiesChecked;
    private volatile SnapshotStore store = SnapshotStore.NONE;
    private volatile String loadedFrom = "not started";
    /** The last start's snapshot read (file) and its check against the repository (stamps), for the start's log line. */
    private long readMillis, checkMillis;
    private volatile Runnable beforeFullRead;
    private volatile String snapshotRejection;
    private volatile CatchUp caughtUp;
    private volatile Snapshot snapshot;
    private volatile boolean running;
    private Thread writer;
    private final ConcurrentLinkedQueue<EventListener> listeners = new ConcurrentLinkedQueue<>();

    /** Reads an item from its node (the content service's {@code toItem}; tests may make it fail). */
    @FunctionalInterface
    public interface ItemReader {
        Item read(ContentType type, Node node) throws RepositoryException;
    }

    record Retry(long attempts, long delayMillis, long dueNanos, String cause) {
    }

    /**
     * @param session  the writer's session (a system session in Magnolia), used by the writer thread only
     * @param sessions opens sessions for {@link #full(Entry)}
     * @param types    the delivered content types
     */
    public DeliveryIndex(ContentService service, Session session, Sessions sessions, List<ContentType> types, Clock clock) {
        this(service, session, sessions, types, clock, service::toItem);
    }

    public DeliveryIndex(ContentService service, Session session, Sessions sessions, List<ContentType> types, Clock clock,
                         ItemReader reader) {
        this.service = service;
        this.session = session;
        this.sessions = sessions;
        this.types = List.copyOf(types);
        this.clock = clock;
        this.reader = reader;
        this.snapshot = Snapshot.empty(this.types);
    }

    /** A fixed index over {@code snapshot}, with no repository behind it (JCR-free tests and tools; never started). */
    public static DeliveryIndex of(Snapshot snapshot, List<ContentType> types) {
        DeliveryIndex index = new DeliveryIndex(null, null, null, types, Clock.systemUTC(), (t, n) -> {
            throw new IllegalStateException("no repository");
        });
        index.snapshot = snapshot;
        return index;
    }

    /**
     * Where to keep the entries between runs (the standalone server on disk: {@link FileSnapshotStore}); call before
     * {@link #start()}. Default: none, every start reads every item.
     */
    public void persistTo(SnapshotStore store) {
        this.store = store;
    }

    /** Runs {@code r} on the starting thread when a start is about to read every item (no usable snapshot). */
    public void beforeFullRead(Runnable r) {
        this.beforeFullRead = r;
    }

    /** Loads every item, registers the synchronous listener and starts the writer. */
    public void start() throws RepositoryException {
        start(Function.identity());
    }

    /**
     * As {@link #start()}, registering {@code wrap.apply(listener)} (tests use it to hold events back, as an
     * asynchronous listener would). The listener is registered before the load, so no save is missed; changes seen
     * during the load are read again by the writer.
     */
    public synchronized void start(Function<EventListener, EventListener> wrap) throws RepositoryException {
        long t0 = System.nanoTime();
        int mask = Event.NODE_ADDED | Event.NODE_REMOVED | Event.PROPERTY_ADDED | Event.PROPERTY_CHANGED
                | Event.PROPERTY_REMOVED | Event.NODE_MOVED;
        bodiesChecked = 0;
        queue.clear(); // a restart (Magnolia restarts a module when its configuration changes) reads everything anew
        failing.clear();
        for (Map.Entry<String, Boolean> observed : observedPaths(types).entrySet()) {
            EventListener l = wrap.apply(new Listener());
            session.getWorkspace().getObservationManager().addEventListener(l, mask, observed.getKey(), observed.getValue(),
                    null, null, false);
            listeners.add(l);
        }
        long sequence = requested.get();
        // a generation never used before: renderings cached before a stop are stale after the restart
        long generation = Math.max(1, snapshot.generation() + 1);
        long[] restored = new long[1];
        Snapshot fromFile = saved(generation, sequence, restored);
        long t1;
        if (fromFile == null) {
            bodies = newBodies();
            Snapshot.Loader loader = new Snapshot.Loader(types);
            for (ContentType t : types) {
                if (session.nodeExists(t.rootPath())) {
                    loadAll(t, loader);
                }
            }
            t1 = System.nanoTime();
            if (bodies != null) {
                bodies.flushQuietly();
            }
            snapshot = loader.build(generation, sequence);
        } else {
            t1 = System.nanoTime() - restored[0];
            snapshot = fromFile;
        }
        long built = (System.nanoTime() - t1) / 1_000_000;
        running = true;
        writer = new Thread(this::writeLoop, "exchange-index-writer");
        writer.setDaemon(true);
        writer.start();
        long postings = snapshot.indexes().values().stream().mapToLong(TypeIndex::postingsBytes).sum();
        long valueSets = snapshot.indexes().values().stream().mapToLong(TypeIndex::valueBytes).sum();
        long facetIndex = snapshot.indexes().values().stream().mapToLong(TypeIndex::queryBytes).sum();
        CatchUp c = caughtUp;
        String snapshotTimes = fromFile == null ? "" : "snapshot ready after " + readMillis + " ms, checked against the repository in "
                + checkMillis + " ms; " + (c == null ? "" : "caught up in " + c.millis() + " ms; ");
        LOG.info("delivery index: {} items loaded from {} in {} ms ({}indexes built in {} ms; search postings {} KiB, filter values {} KiB, facet index {} KiB)",
                snapshot.size(), loadedFrom, (System.nanoTime() - t0) / 1_000_000, snapshotTimes, built, postings >> 10, valueSets >> 10,
                facetIndex >> 10);
    }

    /**
     * The saved snapshot if the store has one from a clean stop that matches the repository (per type: as many items,
     * the same newest lastModified), or that a {@linkplain #catchUp catch-up} brings to match it; else null, the reason
     * logged in one line. {@code restoredNanos[0]}: the time spent building the snapshot's indexes.
     */
    private Snapshot saved(long generation, long sequence, long[] restoredNanos) {
        long t0 = System.nanoTime();
        SnapshotStore.Saved saved = store.open(types);
        long t1 = System.nanoTime();
        readMillis = 0;
        checkMillis = 0;
        caughtUp = null;
        String why = saved.reason();
        if (saved.usable()) {
            Map<String, SnapshotStore.Stamp> now = null;
            try {
                now = RepositoryStamps.of(session, types, saved.stamps());
                readMillis = (t1 - t0) / 1_000_000;
                checkMillis = (System.nanoTime() - t1) / 1_000_000;
                long t2 = System.nanoTime();
                Snapshot restored = Snapshot.restore(types, saved.indexes(), generation, sequence);
                restoredNanos[0] = System.nanoTime() - t2;
                // the saved bodies file goes with the saved entries; a catch-up's reads append to it
                closeBodies();
                bodies = saved.bodies() != null ? saved.bodies() : newBodies();
                if (now.equals(saved.stamps())) {
                    loadedFrom = "the snapshot file";
                    snapshotRejection = null;
                    return restored;
                }
                Snapshot caught = catchUp(restored, saved.stamps(), now, sequence);
                loadedFrom = "the snapshot file";
                snapshotRejection = null;
                return caught;
            } catch (CatchUpRefused e) {
                why = "the repository changed since the snapshot was saved (saved " + saved.stamps() + ", now " + now
                        + ") and cannot catch up: " + e.getMessage();
            } catch (RepositoryException | RuntimeException e) {
                why = now == null ? "cannot check the snapshot against the repository: " + e
                        : "the repository changed since the snapshot was saved (saved " + saved.stamps() + ", now " + now
                        + ") and cannot catch up: " + e;
            }
        }
        if (saved.bodies() != null) {
            saved.bodies().close();
        }
        Runnable before = beforeFullRead;
        if (before != null) { // e.g. the server's repository check, which then runs beside the full read
            before.run();
        }
        if (store != SnapshotStore.NONE) {
            LOG.info("delivery index: not using the snapshot: {}; reading every item", why);
        }
        loadedFrom = "the repository";
        snapshotRejection = why;
        return null;
    }

    /**
     * A start's catch-up of the saved snapshot: items read again, items removed, identifiers checked (and the time
     * that took), its time in all.
     */
    /**
     * @param checked entries whose item's existence was checked
     * @param listed  node identifiers listed from the repository's store to check them ({@link #existingIdsFrom}), 0
     *                when each was looked up by identifier
     */
    public record CatchUp(long read, long removed, long checked, long listed, long checkMillis, long millis) {
    }

    /**
     * Passes the identifier of every node the repository's persistence holds to {@code each}, in one pass and without
     * a session (the standalone server: Jackrabbit's bundle store, file or database, {@code IterablePersistenceManager}).
     */
    @FunctionalInterface
    public interface NodeIds {
        void forEach(java.util.function.Consumer<String> each) throws RepositoryException;
    }

    private volatile NodeIds nodeIds;

    /**
     * How a catch-up finds removed items: by listing every node identifier the repository stores once (seconds at
     * 100k items) instead of looking each held item up (about a millisecond each). Default (Magnolia): looked up.
     */
    public void existingIdsFrom(NodeIds ids) {
        this.nodeIds = ids;
    }

    /**
     * How far before the snapshot's newest {@code mgnl:lastModified} a catch-up reads items again: a save stamped by a
     * clock behind the one that stamped the newest (another cluster node's, a clock stepped back) must not be missed
     * while a later save makes the stamps match. Items read again unchanged cost a read each and count towards the
     * catch-up's {@linkplain #catchUpLimit limit} (after a bulk load within the hour: every item, so a full read). Clocks of
     * cluster nodes further apart than this are not supported (docs/operations.md: keep them synchronised).
     */
    static final long CATCH_UP_MARGIN_MILLIS = 60 * 60 * 1000L;

    /** Rounds of a catch-up before it gives up (a round more for each burst of saves made while it runs). */
    static final int CATCH_UP_ROUNDS = 3;

    private static final class CatchUpRefused extends Exception {
        CatchUpRefused(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Brings a saved snapshot whose stamps differ from the repository's up to date without reading every item (the
     * repository changed while this server was stopped: another cluster node's saves, an edit with the server down).
     * Per type whose stamp differs: every item whose lastModified is at or after the snapshot's newest is read and
     * applied as the writer applies an observed change (every save through the content service sets lastModified to
     * now: a creation, edit, publication or move). They are counted first: more than {@link #catchUpLimit} refuses the
     * catch-up before anything is read (the start reads every item, which is then cheaper); else they are read
     * {@link #LOAD_BATCH} at a time with sessions of their own, each closed after its batch, and applied once a round
     * (an apply builds a new type index). Then, if the snapshot holds more items of the type than the
     * repository, those whose identifier the repository no longer has are removed (found by listing the store's
     * identifiers once, {@link #existingIdsFrom}, else by looking each up). The result must have exactly
     * the repository's stamps (checked again: saves during the catch-up make another round, at most
     * {@link #CATCH_UP_ROUNDS}); anything else (an item added or changed without a newer lastModified, a search index
     * that disagrees) refuses it, and the start reads every item. Changes observed meanwhile are queued as always and
     * applied by the writer after it.
     */
    private Snapshot catchUp(Snapshot base, Map<String, SnapshotStore.Stamp> savedStamps,
                             Map<String, SnapshotStore.Stamp> repository, long sequence)
            throws RepositoryException, CatchUpRefused {
        long t0 = System.nanoTime();
        long read = 0, removed = 0, checked = 0, listed = 0, readNanos = 0, checkNanos = 0, applyNanos = 0, stampNanos = 0;
        Snapshot s = base;
        Map<String, SnapshotStore.Stamp> now = repository;
        for (int round = 1; ; round++) {
            Map<String, SnapshotStore.Stamp> mine = FileSnapshotStore.stamps(types, s.entries());
            if (mine.equals(now)) {
                if (bodies != null) {
                    bodies.flushQuietly(); // the records of the items read again, before the entries are published
                }
                CatchUp c = new CatchUp(read, removed, checked, listed, checkNanos / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
                caughtUp = c;
                LOG.info("delivery index: caught up with the repository: {} items read again, {} removed ({} identifiers "
                        + "checked against {} in {} ms) in {} ms, {} round(s) (reading {} ms, applying {} ms, stamps again {} ms; "
                        + "snapshot {}, repository {})", c.read(), c.removed(), c.checked(),
                        c.listed() > 0 ? c.listed() + " listed from the store" : "look-ups", c.checkMillis(), c.millis(),
                        round - 1, readNanos / 1_000_000, applyNanos / 1_000_000, stampNanos / 1_000_000, savedStamps, now);
                return s;
            }
            if (round > CATCH_UP_ROUNDS) {
                throw new CatchUpRefused("after " + CATCH_UP_ROUNDS + " rounds (" + read + " items read again, " + removed
                        + " removed) the index has " + mine + ", the repository " + now);
            }
            long r0 = System.nanoTime();
            session.refresh(false);
            // counted before anything is read: a catch-up that would read most items again is refused (full read)
            Map<ContentType, NodeIterator> since = new LinkedHashMap<>();
            long items = 0;
            for (ContentType t : types) {
                items += now.get(t.name()).count();
            }
            long limit = catchUpLimit(items), toRead = 0;
            boolean cut = false; // counted by walking, and stopped past the limit
            for (ContentType t : types) {
                SnapshotStore.Stamp m = mine.get(t.name());
                if (!m.equals(now.get(t.name()))) {
                    NodeIterator it = RepositoryStamps.modifiedSince(session, t, m.newestMillis() - CATCH_UP_MARGIN_MILLIS);
                    long size = it.getSize();
                    if (size < 0) { // Jackrabbit does not know it: counted (as far as the limit), then queried again
                        for (size = 0; it.hasNext() && !cut; size++) {
                            it.nextNode();
                            cut = toRead + size + 1 > limit;
                        }
                        it = RepositoryStamps.modifiedSince(session, t, m.newestMillis() - CATCH_UP_MARGIN_MILLIS);
                    }
                    toRead += size;
                    since.put(t, it);
                }
            }
            if (toRead > limit) {
                throw new CatchUpRefused((cut ? "at least " : "") + toRead + " items saved since an hour before "
                        + "the snapshot's newest would be read again, more than the catch-up's limit of " + limit + " (a quarter of the repository's "
                        + items + " items, at least " + CATCH_UP_MIN_LIMIT + "): reading every item is cheaper");
            }
            List<Snapshot.Refresh> changed = new ArrayList<>();
            Set<String> changedIds = new java.util.HashSet<>();
            Map<String, Long> counts = new LinkedHashMap<>(); // per type, as many as the index will hold once applied
            for (ContentType t : types) {
                long[] count = {mine.get(t.name()).count()};
                NodeIterator it = since.get(t);
                if (it != null) {
                    Snapshot held = s;
                    java.util.function.BiConsumer<String, Entry> out = (path, e) -> {
                        if (changedIds.add(e.id()) && held.entry(e.id()).isEmpty()) {
                            count[0]++;
                        }
                        changed.add(new Snapshot.Refresh(path, List.of(e)));
                    };
                    List<String> paths = new ArrayList<>(LOAD_BATCH);
                    while (it.hasNext()) {
                        String path = it.nextNode().getPath();
                        if (!under(path, t.rootPath())) {
                            continue; // not an item the index holds: the counts will tell
                        }
                        paths.add(path);
                        if (paths.size() >= LOAD_BATCH) {
                            read += readAgain(t, paths, out);
                        }
                    }
                    read += readAgain(t, paths, out);
                }
                counts.put(t.name(), count[0]);
            }
            long c0 = System.nanoTime();
            readNanos += c0 - r0;
            // more items than the repository has: the identifiers not read again are looked up, those gone removed
            // (first: an item read again at a removed one's path replaces it)
            List<Snapshot.Refresh> refreshes = new ArrayList<>();
            List<Entry> toCheck = new ArrayList<>(); // of every type to check: one listing of the store for all of them
            for (ContentType t : types) {
                if (counts.get(t.name()) > now.get(t.name()).count()) {
                    TypeIndex index = s.index(t.name());
                    checked += index.entries.length;
                    toCheck.addAll(java.util.Arrays.asList(index.entries));
                }
            }
            if (!toCheck.isEmpty()) {
                long[] listing = {0};
                for (Entry e : missing(toCheck.toArray(new Entry[0]), changedIds, listing)) {
                    refreshes.add(new Snapshot.Refresh(e.item.path(), List.of()));
                    removed++;
                }
                listed += listing[0];
            }
            long a0 = System.nanoTime();
            checkNanos += a0 - c0;
            refreshes.addAll(changed);
            s = s.apply(refreshes, clock.instant(), sequence);
            long n0 = System.nanoTime();
            applyNanos += n0 - a0;
            now = RepositoryStamps.of(session, types); // saves made meanwhile: another round
            stampNanos += System.nanoTime() - n0;
        }
    }

    /**
     * The most items a start's catch-up reads again ({@code items}: the repository's items of the delivered types):
     * a quarter of them, at least {@link #CATCH_UP_MIN_LIMIT}; a catch-up that would read more is refused before it
     * reads anything, and the start reads every item instead.
     *
     * <p>Why a quarter (docs/operations.md, "Restart and catch-up with 100,000 items", one run at load 10-13): a
     * catch-up reads an item at about a full read's cost (3.5 ms against 2.8 ms), then applies its changes by building
     * new type indexes (28 s at 100k) and, when items were removed, lists the store's identifiers (18-110 s at 100k,
     * docs/benchmarks.md). At a quarter of 100k: 25,000 × 3.5 ms + 28 s + at most 110 s ≈ 225 s, still under the full
     * read's 278 s + 13 s (indexes); at a half it would not be. Memory: the entries read again are held beside the
     * snapshot until applied (a catch-up that re-read all 101,000 items took 930 MiB resident; of 111,000 it ran out of
     * the 768 MiB heap); a quarter bounds them to a quarter of what the snapshot holds.
     *
     * <p>Why a floor: below a few thousand items either way takes seconds, and a catch-up lets the start serve from its
     * snapshot while the repository check runs (a full read waits for the check), so a small repository whose items are
     * all recent (within {@link #CATCH_UP_MARGIN_MILLIS}, all read again) is still caught up.
     */
    static long catchUpLimit(long items) {
        return Math.max(CATCH_UP_MIN_LIMIT, items / 4);
    }

    /** The fewest items a catch-up may read again, whatever the repository's size ({@link #catchUpLimit}). */
    static final long CATCH_UP_MIN_LIMIT = 1_000;

    /**
     * A catch-up's reads of {@code paths} (then cleared), as a full read's ({@link #readPaths}): a read that fails fails
     * the catch-up (the start then reads every item). Returns the items read.
     */
    private int readAgain(ContentType t, List<String> paths, java.util.function.BiConsumer<String, Entry> out)
            throws RepositoryException {
        return readPaths(t, paths, out, false);
    }

    /**
     * Reads the items at {@code paths} (then cleared) with a session of their own that is closed after them, so that no
     * session's cache holds every item read ({@link #LOAD_BATCH}); the writer's session when there is no session
     * factory. {@code skipFailed}: an item that cannot be read is logged once and retried later ({@link #failed}), the
     * others are read (a full read); else the failure is thrown (a catch-up). Returns the items read.
     */
    private int readPaths(ContentType t, List<String> paths, java.util.function.BiConsumer<String, Entry> out,
                          boolean skipFailed) throws RepositoryException {
        if (paths.isEmpty()) {
            return 0;
        }
        Session s = own();
        try {
            for (String p : paths) {
                itemsRead.incrementAndGet();
                try {
                    out.accept(p, Entry.stored(reader.read(t, s.getNode(p)), t, bodies));
                    recovered(p);
                } catch (RepositoryException | RuntimeException e) {
                    if (!skipFailed) {
                        throw e;
                    }
                    failed(p, e);
                }
            }
            return paths.size();
        } finally {
            release(s);
            paths.clear();
        }
    }

    /** A session of the index's own for a batch of reads (closed by {@link #release}), the writer's when it has none. */
    private Session own() throws RepositoryException {
        return sessions == null ? session : sessions.open();
    }

    private void release(Session s) {
        if (s != session) {
            s.logout();
        }
    }

    /** How many identifiers one session looks up before it is closed (its cache would hold every node). */
    static final int CHECK_BATCH = 5_000;

    /**
     * The entries whose item no longer exists (by identifier): with {@link #existingIdsFrom} those whose identifier the
     * store does not list, else each looked up with sessions of their own; those in {@code exist} (just read) are not.
     * {@code listed[0]} is set to the identifiers listed.
     */
    private List<Entry> missing(Entry[] entries, Set<String> exist, long[] listed) throws RepositoryException {
        NodeIds all = nodeIds;
        if (all != null) {
            Set<String> unseen = new java.util.HashSet<>();
            for (Entry e : entries) {
                if (!exist.contains(e.id())) {
                    unseen.add(e.id());
                }
            }
            try {
                all.forEach(id -> {
                    listed[0]++;
                    unseen.remove(id);
                });
                List<Entry> out = new ArrayList<>();
                for (Entry e : entries) {
                    if (unseen.contains(e.id())) {
                        out.add(e);
                    }
                }
                return out;
            } catch (RepositoryException | RuntimeException e) {
                LOG.warn("delivery index: cannot list the repository's node identifiers ({}): looking each item up", e.toString());
                listed[0] = 0;
            }
        }
        List<Entry> out = new ArrayList<>();
        for (int from = 0; from < entries.length; from += CHECK_BATCH) {
            Session s = own();
            try {
                for (int i = from; i < Math.min(entries.length, from + CHECK_BATCH); i++) {
                    if (exist.contains(entries[i].id())) {
                        continue;
                    }
                    try {
                        s.getNodeByIdentifier(entries[i].id());
                    } catch (javax.jcr.ItemNotFoundException e) {
                        out.add(entries[i]);
                    }
                }
            } finally {
                release(s);
            }
        }
        return out;
    }

    /** The last start's catch-up of its snapshot, or null when it read the snapshot as saved or every item. */
    public CatchUp caughtUp() {
        return caughtUp;
    }

    /** Why the last start did not use the saved snapshot (as logged), or null when it did. */
    public String snapshotRejection() {
        return snapshotRejection;
    }

    /**
     * Reads every item again through the writer (each type's root refreshed as one change) and waits until that is
     * published: for a start from the snapshot when the repository check then finds damaged bundles, which the
     * snapshot's stamps cannot see. Logged in one line with {@code why}.
     */
    public void rereadAll(String why) {
        LOG.warn("delivery index: reading every item again: {}", why);
        for (ContentType t : types) {
            queue.add(t.rootPath());
        }
        long target = requested.incrementAndGet();
        LockSupport.unpark(writer);
        synchronized (published) {
            while (snapshot.sequence() < target && running) {
                try {
                    published.wait(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        loadedFrom = "the repository";
    }

    /** "the snapshot file" or "the repository": what the last start loaded the entries from. */
    public String loadedFrom() {
        return loadedFrom;
    }

    /** Items read from the repository by the item reader so far (a start from the snapshot reads none). */
    /** A new bodies file from the store (a temporary one without a data directory); null when none can be made. */
    private BodyStore newBodies() {
        closeBodies();
        try {
            return store.newBodies();
        } catch (IOException | RuntimeException e) {
            LOG.warn("delivery index: cannot create the item bodies file: {}; every item answer reads the repository", e.toString());
            return null;
        }
    }

    private void closeBodies() {
        BodyStore b = bodies;
        bodies = null;
        if (b != null) {
            b.close();
        }
        BodyStore older = retiredBodies;
        retiredBodies = null;
        if (older != null) {
            older.close();
        }
    }

    /** Items read from the repository to answer one item (its record in the bodies file missing or unusable). */
    public long fullReads() {
        return fullReads.get();
    }

    /** The item bodies file's bytes (0 when there is none). */
    public long bodiesBytes() {
        BodyStore b = bodies;
        return b == null ? 0 : b.size();
    }

    public long itemsRead() {
        return itemsRead.get();
    }

    /**
     * Stops the writer and, with a snapshot store, saves the entries if they include every change reported (none
     * failing); the store's clean-stop marker is written only then.
     */
    public synchronized void stop() {
        if (running && store != SnapshotStore.NONE) {
            current(); // let the writer apply what was saved before the stop
        }
        running = false;
        try {
            for (EventListener l; (l = listeners.poll()) != null; ) {
                session.getWorkspace().getObservationManager().removeEventListener(l);
            }
        } catch (RepositoryException e) {
            LOG.warn("delivery index: cannot remove the observation listener: {}", e.toString());
        }
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Session s; (s = pool.poll()) != null; ) {
            s.logout();
        }
        if (writer != null && writer.isAlive()) {
            // still inside a read after 5 s: what it publishes next is unknown, so nothing is saved (full load next)
            LOG.warn("delivery index: the writer did not stop within 5 s; snapshot not saved, the next start reads every item");
            return;
        }
        save();
        closeBodies();
    }

    private void save() {
        if (store == SnapshotStore.NONE || snapshot.generation() < 0) {
            return;
        }
        Snapshot s = snapshot;
        if (s.sequence() < requested.get() || !failing.isEmpty()) {
            LOG.warn("delivery index: snapshot not saved: {}; the next start reads every item",
                    failing.isEmpty() ? "changes were still being applied" : failing.size() + " item(s) could not be read");
            return;
        }
        long t0 = System.nanoTime();
        try {
            store.save(types, s, bodies);
            LOG.info("delivery index: snapshot of {} items saved in {} ms", s.size(), (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.warn("delivery index: cannot save the snapshot: {}; the next start reads every item", e.toString());
            try {
                store.invalidate();
            } catch (IOException ignored) {
                // the marker is only written after a complete save
            }
        }
    }

    /** Queues changed paths under the delivered roots; Jackrabbit calls it in the saving thread. */
    private final class Listener implements SynchronousEventListener {
        @Override
        public void onEvent(EventIterator events) {
            boolean relevant = false;
            while (events.hasNext()) {
                try {
                    String path = events.nextEvent().getPath();
                    if (delivered(path)) {
                        queue.add(path);
                        relevant = true;
                    }
                } catch (RepositoryException e) {
                    LOG.warn("delivery index: unreadable observation event: {}", e.toString());
                }
            }
            if (relevant) {
                requested.incrementAndGet(); // after the paths are queued: the writer that sees it finds them
                Thread w = writer;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }
    }

    /**
     * Where the index listens, path to deep: each content root and its subtree, and each of the root's ancestors
     * without their subtrees (events there are a root itself added, removed or moved). Never all of {@code /}: that
     * would also report every workspace's version storage under {@code /jcr:system}. One listener per path, since
     * registering the same listener object again replaces its filter (JCR 2.0 {@code ObservationManager.addEventListener}).
     */
    static Map<String, Boolean> observedPaths(List<ContentType> types) {
        Map<String, Boolean> paths = new java.util.TreeMap<>();
        for (ContentType t : types) {
            String root = t.rootPath();
            paths.put(root, true);
            for (String p = parent(root); p != null; p = parent(p)) {
                paths.putIfAbsent(p, false);
            }
        }
        // a root under another root is inside its subtree already
        Map<String, Boolean> out = new java.util.TreeMap<>(paths);
        out.keySet().removeIf(p -> paths.entrySet().stream().anyMatch(e -> e.getValue() && !e.getKey().equals(p) && under(p, e.getKey())));
        return out;
    }

    private static String parent(String path) {
        if (path.equals("/")) {
            return null;
        }
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    private boolean delivered(String path) {
        for (ContentType t : types) {
            if (under(path, t.rootPath()) || under(t.rootPath(), path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean under(String path, String root) {
        return path.equals(root) || path.startsWith(root.endsWith("/") ? root : root + "/");
    }

    private void writeLoop() {
        while (running) {
            try {
                long target = requested.get();
                Set<String> paths = new LinkedHashSet<>();
                for (String p; (p = queue.poll()) != null; ) {
                    paths.add(p);
                }
                long now = System.nanoTime();
                failing.forEach((p, r) -> {
                    if (r.dueNanos() - now <= 0) {
                        paths.add(p);
                    }
                });
                if (paths.isEmpty() && snapshot.sequence() >= target) {
                    LockSupport.parkNanos(this, nextWakeNanos());
                    continue;
                }
                Snapshot next;
                try {
                    next = refresh(paths, target);
                } catch (RuntimeException | Error e) {
                    // building the snapshot failed (unexpected data, memory): keep every change of this batch, each
                    // logged once with its path and retried with back-off, instead of publishing past them
                    if (!running) {
                        return;
                    }
                    for (String p : paths) {
                        failed(p, e);
                    }
                    continue;
                }
                BodyStore b = bodies;
                if (b != null) {
                    b.flushQuietly(); // what the next snapshot's entries refer to is written before they are seen
                }
                publish(next);
                compactIfMostlyGarbage();
            } catch (Throwable t) {
                if (!running) {
                    return;
                }
                LOG.error("delivery index: writer failed: {}", t.toString());
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(FIRST_RETRY_MILLIS));
            }
        }
    }

    /**
     * When the bodies file has grown to more than twice what the current entries refer to (superseded records are
     * garbage), copies the live records into a new file that replaces it and publishes the same state with the entries
     * pointing there (same generation: nothing delivered changed). Writer thread.
     */
    private void compactIfMostlyGarbage() {
        BodyStore b = bodies;
        if (b == null || b.size() < 2 * Math.max(bodiesChecked, 1 << 20)) {
            return;
        }
        Snapshot current = snapshot;
        long live = 0;
        for (Entry e : current.entries()) {
            if (e.bodies == b) {
                live += BodyStore.length(e.body);
            }
        }
        bodiesChecked = b.size();
        if (b.size() - BodyStore.HEADER <= 2 * live) {
            bodiesChecked = Math.max(b.size(), 2 * live);
            return;
        }
        long t0 = System.nanoTime();
        try {
            List<BodyStore.Live> refs = new ArrayList<>();
            for (Entry e : current.entries()) {
                if (e.bodies == b) {
                    refs.add(new BodyStore.Live(e.id(), e.item.revision(), e.body));
                }
            }
            BodyStore.Compacted c = b.compact(refs);
            Snapshot moved = current.relocated(e -> e.bodies == b ? e.relocated(c.store(), c.moved(e.body)) : e);
            bodies = c.store();
            bodiesChecked = c.store().size();
            publish(moved);
            LOG.info("delivery index: item bodies compacted from {} to {} KiB in {} ms", b.size() >> 10,
                    c.store().size() >> 10, (System.nanoTime() - t0) / 1_000_000);
            // the old file stays open for readers of snapshots published before this one; it is closed at the next
            // compaction (or the stop), by when no request still holds such a snapshot, so that its descriptor and the
            // disk space of the unlinked file are not held until a collection finds the channel
            BodyStore older = retiredBodies;
            retiredBodies = b;
            if (older != null) {
                older.close();
            }
        } catch (IOException | RuntimeException e) {
            bodiesChecked = b.size();
            LOG.warn("delivery index: cannot compact the item bodies file: {}", e.toString());
        }
    }

    private long nextWakeNanos() {
        long wait = TimeUnit.SECONDS.toNanos(1);
        long now = System.nanoTime();
        for (Retry r : failing.values()) {
            wait = Math.min(wait, Math.max(0, r.dueNanos() - now));
        }
        return Math.max(wait, 1);
    }

    private void publish(Snapshot next) {
        snapshot = next;
        synchronized (published) {
            published.notifyAll();
        }
    }

    /** Reads the changed paths with the writer's session and builds the next snapshot. */
    private Snapshot refresh(Set<String> paths, long target) {
        Snapshot current = snapshot;
        List<Snapshot.Refresh> refreshes = new ArrayList<>();
        try {
            session.refresh(false);
        } catch (RepositoryException e) {
            for (String p : paths) {
                failed(p, e);
            }
            return current.apply(List.of(), clock.instant(), target);
        }
        // each path to read, with the changed (or failing) paths it stands for: a retry of a path that now resolves
        // elsewhere (a property's item, the folder above a removed node) must settle that path too, or it loops
        Map<String, Set<String>> itemPaths = new LinkedHashMap<>();
        for (String path : paths) {
            try {
                if (delivered(path)) {
                    itemPaths.computeIfAbsent(nearestItemOrSelf(current, path), k -> new LinkedHashSet<>()).add(path);
                } else {
                    recovered(path);
                }
            } catch (RepositoryException | RuntimeException e) {
                failed(path, e);
            }
        }
        for (Map.Entry<String, Set<String>> item : itemPaths.entrySet()) {
            String path = item.getKey();
            for (String raw : item.getValue()) {
                if (!raw.equals(path)) {
                    settle(raw); // from here on it is retried as the path it resolved to
                }
            }
            try {
                List<Entry> found = new ArrayList<>();
                List<String> bad = read(path, found);
                for (String b : bad) {
                    Entry old = current.entryAt(b);
                    if (old != null) {
                        found.add(old); // keep the last good state of a node that cannot be read now
                    }
                }
                refreshes.add(new Snapshot.Refresh(path, List.copyOf(found)));
                recovered(path);
            } catch (RepositoryException | RuntimeException e) {
                failed(path, e);
            }
        }
        return current.apply(refreshes, clock.instant(), target);
    }

    /** Forgets a failing path without a log line: it is retried (or was read) as the path it resolved to. */
    private void settle(String path) {
        failing.remove(path);
    }

    private void failed(String path, Throwable e) {
        Retry r = failing.get(path);
        long delay = r == null ? FIRST_RETRY_MILLIS : Math.min(MAX_RETRY_MILLIS, r.delayMillis() * 2);
        if (r == null) {
            failuresLogged.incrementAndGet();
            LOG.warn("delivery index: cannot read {}: {}; serving its last good state, retrying with back-off", path,
                    e.toString());
        }
        failing.put(path, new Retry(r == null ? 1 : r.attempts() + 1, delay,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay), e.toString()));
    }

    private void recovered(String path) {
        Retry r = failing.remove(path);
        if (r != null) {
            LOG.info("delivery index: {} read again after {} attempts", path, r.attempts());
        }
    }

    /** The path of the item a changed path belongs to (a property or sub-node of it), else the path itself. */
    private String nearestItemOrSelf(Snapshot current, String path) throws RepositoryException {
        String p = path;
        while (p.length() > 1) {
            if (current.idAt(p) != null) {
                return p;
            }
            if (session.nodeExists(p)) {
                Node n = session.getNode(p);
                for (ContentType t : types) {
                    if (n.isNodeType(t.nodeType())) {
                        return p;
                    }
                }
                if (n.isNodeType(ContentService.FOLDER_TYPE)) {
                    return p;
                }
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
        return path;
    }

    /** Reads what is at or below {@code path} into {@code found}; returns the item paths that could not be read. */
    private List<String> read(String path, List<Entry> found) throws RepositoryException {
        List<String> bad = new ArrayList<>();
        if (!session.nodeExists(path)) {
            return bad;
        }
        Node n = session.getNode(path);
        for (ContentType t : types) {
            if (!under(path, t.rootPath())) {
                continue;
            }
            if (n.isNodeType(t.nodeType())) {
                itemsRead.incrementAndGet();
                found.add(Entry.stored(reader.read(t, n), t, bodies));
            } else if (n.isNodeType(ContentService.FOLDER_TYPE)) {
                bad.addAll(collect(t, n, found::add));
            }
        }
        return bad;
    }

    /** Items read with one session in a full read, before it is closed (its item cache goes with it). */
    static final int LOAD_BATCH = 500;

    /**
     * A full read of one type: the writer's session finds the items' paths, and sessions of their own read them
     * {@link #LOAD_BATCH} at a time, so that no session's cache of items and properties grows with the repository
     * (at 100k items it held about 80 MB of references). Without a session factory (tests), the writer's session.
     */
    private void loadAll(ContentType t, Snapshot.Loader loader) throws RepositoryException {
        if (sessions == null) {
            collect(t, session.getNode(t.rootPath()), loader::add);
            return;
        }
        List<String> paths = new ArrayList<>(LOAD_BATCH);
        itemPaths(t, session.getNode(t.rootPath()), paths, loader);
        readBatch(t, paths, loader);
    }

    private void itemPaths(ContentType t, Node node, List<String> paths, Snapshot.Loader loader) throws RepositoryException {
        for (NodeIterator it = node.getNodes(); it.hasNext(); ) {
            Node n = it.nextNode();
            if (n.isNodeType(t.nodeType())) {
                paths.add(n.getPath());
                if (paths.size() >= LOAD_BATCH) {
                    readBatch(t, paths, loader);
                }
            } else if (n.isNodeType(ContentService.FOLDER_TYPE)) {
                itemPaths(t, n, paths, loader);
            }
        }
    }

    private void readBatch(ContentType t, List<String> paths, Snapshot.Loader loader) throws RepositoryException {
        readPaths(t, paths, (p, e) -> loader.add(e), true);
    }

    /** Reads every item below {@code node}; one that fails is logged once and retried, the others are read. */
    private List<String> collect(ContentType t, Node node, java.util.function.Consumer<Entry> out) throws RepositoryException {
        List<String> bad = new ArrayList<>();
        for (NodeIterator it = node.getNodes(); it.hasNext(); ) {
            Node n = it.nextNode();
            if (n.isNodeType(t.nodeType())) {
                try {
                    itemsRead.incrementAndGet();
                    out.accept(Entry.stored(reader.read(t, n), t, bodies));
                    recovered(n.getPath());
                } catch (RepositoryException | RuntimeException e) {
                    failed(n.getPath(), e);
                    bad.add(n.getPath());
                }
            } else if (n.isNodeType(ContentService.FOLDER_TYPE)) {
                bad.addAll(collect(t, n, out));
            }
        }
        return bad;
    }

    /**
     * The current snapshot, once it includes every change reported before this call: what a request answers from. If
     * the writer is behind, waits for it (at most {@link #MAX_WAIT_MILLIS}, then the last snapshot, logged once).
     */
    public Snapshot current() {
        Snapshot s = snapshot;
        long want = requested.get();
        if (s.sequence() >= want) {
            return s;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
        synchronized (published) {
            while ((s = snapshot).sequence() < want) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (stalledLogged.compareAndSet(false, true)) {
                        LOG.warn("delivery index: the writer is {} ms behind; answering from the last snapshot",
                                MAX_WAIT_MILLIS);
                    }
                    return s;
                }
                try {
                    published.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return s;
                }
            }
        }
        stalledLogged.set(false);
        return s;
    }

    /** Changes to delivered content so far; renderings cached under an older generation are stale. */
    public long generation() {
        return current().generation();
    }

    /**
     * The published snapshot's generation if it includes every change reported so far, else -1; never waits for the
     * writer, so it may be called on a server's I/O threads (a cache lookup there must not block them).
     */
    public long generationIfCurrent() {
        Snapshot s = snapshot;
        return s.sequence() >= requested.get() ? s.generation() : -1;
    }

    public Optional<Entry> entry(String id) {
        return current().entry(id);
    }

    /** Sequence of changes reported by observation so far. */
    public long requestedSequence() {
        return requested.get();
    }

    /** Sequence of changes the published snapshot includes. */
    public long appliedSequence() {
        return snapshot.sequence();
    }

    /** Paths that could not be read, with their attempts so far (the writer retries them). */
    public Map<String, Long> failing() {
        current(); // as of every change reported before this call
        Map<String, Long> out = new LinkedHashMap<>();
        failing.forEach((p, r) -> out.put(p, r.attempts()));
        return out;
    }

    /** How many read failures were logged (once per failing path until it reads again). */
    public long failuresLogged() {
        return failuresLogged.get();
    }

    /**
     * The entry's item with every value, rich text included: from its record in the bodies file ({@link BodyStore}), the
     * item as the entry was made from it, without a repository read. Only when that record cannot be used (none, cut
     * short, damaged, of another revision) it is read from the repository with a pooled session of its own (never the
     * writer's), and then null when the item has changed (or gone) since the entry was made, so that nothing newer than
     * the index, such as an unpublished draft, is ever rendered from it.
     */
    public Item full(Entry e) {
        return full(e, false);
    }

    /**
     * As {@link #full}, but its long texts from the bodies file (rich text) may be {@link Utf8Text}s, not Strings: for a
     * writer of JSON that copies them as they are ({@code ItemWriter}), not for anything that reads them as text.
     */
    public Item fullForJson(Entry e) {
        return full(e, true);
    }

    private Item full(Entry e, boolean utf8) {
        Item stored = e.fromBody(utf8);
        if (stored != null) {
            return stored;
        }
        fullReads.incrementAndGet();
        Session s = pool.poll();
        boolean reusable = false;
        try {
            if (s == null) {
                s = sessions.open();
            } else {
                s.refresh(false);
            }
            Optional<Node> n = service.node(s, e.type, e.id());
            Item item = n.isEmpty() ? null : service.toItem(e.type, n.get());
            reusable = true;
            return item != null && item.revision() == e.item.revision() ? item : null;
        } catch (RepositoryException ex) {
            throw new ContentException("cannot read " + e.id() + ": " + ex.getMessage(), ex);
        } finally {
            if (s != null) {
                if (reusable && running && pool.size() < POOL_SIZE) {
                    pool.add(s);
                    if (!running) { // stop() drained the pool meanwhile: nobody else will log this one out
                        for (Session left; (left = pool.poll()) != null; ) {
                            left.logout();
                        }
                    }
                } else {
                    s.logout();
                }
            }
        }
    }

    /** When the delivered content last changed, drafts included (an edit, a publication, a removal): for previews. */
    public Instant lastChange() {
        return current().lastChange();
    }

    /**
     * The last change the public can see to items of any of {@code typeNames}: the newest save of a published item, or
     * the moment a published item was unpublished, moved or removed; a draft's save never moves it. Last-Modified of
     * public lists and feeds.
     */
    public Instant lastPublicChange(Collection<String> typeNames) {
        return current().lastPublicChange(typeNames);
    }

    public int size() {
        return current().size();
    }

    /** Items held per delivered type (the start-up check compares them with what a JCR query finds). */
    public Map<ContentType, Integer> counts() {
        Snapshot s = current();
        Map<ContentType, Integer> out = new LinkedHashMap<>();
        for (ContentType t : types) {
            out.put(t, s.index(t.name()).entries.length);
        }
        return out;
    }
}
