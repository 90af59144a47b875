package wales.exchange.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.observation.Event;
import javax.jcr.observation.EventIterator;
import javax.jcr.observation.EventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.content.ContentException;
import wales.exchange.content.ContentService;
import wales.exchange.content.Item;
import wales.exchange.model.ContentType;

/**
 * The delivery API's read model: every item of the delivered types, kept in memory and current through JCR
 * observation (which, in a Jackrabbit cluster, also reports changes saved on other cluster nodes). Why: Jackrabbit 2
 * sorts JCR-SQL2 results in memory and counts facets by walking results, too slow at 100k items for a p99 of 15 ms;
 * see docs/api.md "Query strategy" and bench/. Observation only records changed paths; the next reader re-reads them
 * from the repository, so a request always sees every save that completed before it.
 */
public final class ReadModel implements EventListener {
    private static final Logger LOG = LoggerFactory.getLogger(ReadModel.class);
    private final ContentService service;
    private final List<ContentType> types;
    private final Session session;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByPath = new ConcurrentHashMap<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong generation = new AtomicLong();
    /** The indexes and the generation they were built at, published together. */
    record Snapshot(Map<String, TypeIndex> indexes, long generation) {
    }

    private volatile Snapshot snapshot = new Snapshot(Map.of(), -1);
    private EventListener listener;
    private volatile Instant lastChange = Instant.EPOCH;
    /**
     * Per type: the last change the public can see (a published item saved, published, unpublished, moved or removed),
     * never a draft's save: Last-Modified of public lists and feeds.
     */
    private final Map<String, Instant> lastPublicChange = new ConcurrentHashMap<>();
    /** Entries put by the refresh under way (under the lock). */
    private final List<Entry> refreshed = new ArrayList<>();

    /**
     * @param session a session owned by the read model (a system session in Magnolia), used only under its lock
     * @param types   the delivered content types
     */
    public ReadModel(ContentService service, Session session, List<ContentType> types) {
        this.service = service;
        this.session = session;
        this.types = List.copyOf(types);
    }

    /** Loads every item of the delivered types and starts listening for changes under their root paths. */
    public void start() throws RepositoryException {
        start(java.util.function.Function.identity());
    }

    /**
     * As {@link #start()}, registering {@code wrap.apply(this)} as the listener: the standalone server wraps it in
     * Jackrabbit's synchronous listener so that a save is seen by the very next request.
     */
    public synchronized void start(java.util.function.Function<EventListener, EventListener> wrap) throws RepositoryException {
        long t0 = System.nanoTime();
        // read the repository in this thread (a session is single-threaded), analyse the texts on every core
        List<Object[]> read = new ArrayList<>();
        for (ContentType t : types) {
            if (session.itemExists(t.rootPath())) {
                collect(t, (Node) session.getItem(t.rootPath()), read);
            }
        }
        long t1 = System.nanoTime();
        read.parallelStream().map(r -> new Entry((Item) r[1], (ContentType) r[0])).toList().forEach(this::put);
        refreshed.clear();
        LOG.info("read model: {} items read from the repository in {} ms, analysed in {} ms", read.size(),
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        int mask = Event.NODE_ADDED | Event.NODE_REMOVED | Event.PROPERTY_ADDED | Event.PROPERTY_CHANGED
                | Event.PROPERTY_REMOVED | Event.NODE_MOVED;
        listener = wrap.apply(this);
        session.getWorkspace().getObservationManager().addEventListener(listener, mask, "/", true, null, null, false);
        generation.incrementAndGet();
        lastChange = byId.values().stream().map(e -> e.lastModified).max(Instant::compareTo).orElse(Instant.EPOCH);
        for (Entry e : byId.values()) {
            if (e.published) {
                lastPublicChange.merge(e.type.name(), e.lastModified, ReadModel::later);
            }
        }
        LOG.info("read model loaded {} items in {} ms", byId.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    public synchronized void stop() {
        try {
            if (listener != null) {
                session.getWorkspace().getObservationManager().removeEventListener(listener);
            }
        } catch (RepositoryException e) {
            LOG.warn("cannot remove observation listener", e);
        }
    }

    private void collect(ContentType t, Node node, List<Object[]> out) throws RepositoryException {
        for (NodeIterator it = node.getNodes(); it.hasNext(); ) {
            Node n = it.nextNode();
            if (n.isNodeType(t.nodeType())) {
                out.add(new Object[] {t, service.toItem(t, n)});
            } else if (n.isNodeType(ContentService.FOLDER_TYPE)) {
                collect(t, n, out);
            }
        }
    }

    private void put(ContentType t, Node n) throws RepositoryException {
        put(new Entry(service.toItem(t, n), t));
    }

    private void put(Entry e) {
        refreshed.add(e);
        Entry old = byId.put(e.id(), e);
        if (old != null && !old.item.path().equals(e.item.path())) {
            idByPath.remove(old.item.path());
        }
        idByPath.put(e.item.path(), e.id());
    }

    @Override
    public void onEvent(EventIterator events) {
        while (events.hasNext()) {
            try {
                pending.add(events.nextEvent().getPath());
            } catch (RepositoryException e) {
                LOG.warn("unreadable observation event", e);
            }
        }
    }

    /** The current indexes, after applying every change reported so far, with their generation. */
    Snapshot snapshot() {
        Snapshot current = snapshot;
        if (!pending.isEmpty() || current.generation() != generation.get()) {
            synchronized (this) {
                applyPending();
                long g = generation.get();
                if (snapshot.generation() != g) {
                    Map<String, List<Entry>> byType = new HashMap<>();
                    for (Entry e : byId.values()) {
                        byType.computeIfAbsent(e.type.name(), k -> new ArrayList<>()).add(e);
                    }
                    Map<String, TypeIndex> next = new HashMap<>();
                    for (ContentType t : types) {
                        next.put(t.name(), new TypeIndex(t, byType.getOrDefault(t.name(), List.of())));
                    }
                    snapshot = new Snapshot(Map.copyOf(next), g);
                }
                current = snapshot;
            }
        }
        return current;
    }

    Map<String, TypeIndex> indexes() {
        return snapshot().indexes();
    }

    /** Changes to content so far; renderings cached under an older generation are stale. */
    long generation() {
        return snapshot().generation();
    }

    Optional<Entry> entry(String id) {
        indexes();
        return Optional.ofNullable(byId.get(id));
    }

    private void applyPending() {
        if (pending.isEmpty()) {
            return;
        }
        Set<String> paths = new LinkedHashSet<>();
        for (String p : List.copyOf(pending)) {
            pending.remove(p);
            paths.add(p);
        }
        try {
            session.refresh(false);
            Set<String> itemPaths = new LinkedHashSet<>();
            for (String path : paths) {
                for (ContentType t : types) {
                    if (under(path, t.rootPath())) {
                        itemPaths.add(nearestItemOrSelf(path));
                    }
                }
            }
            if (itemPaths.isEmpty()) {
                return; // nothing delivered changed: caches stay valid
            }
            // readers that do not hold the lock see a new generation from here on, and wait for this refresh
            generation.incrementAndGet();
            Map<String, Entry> before = new HashMap<>();
            refreshed.clear();
            for (String path : itemPaths) {
                refreshPath(path, before);
            }
            Instant now = Instant.now();
            Map<String, Entry> after = new HashMap<>();
            refreshed.forEach(e -> after.put(e.id(), e));
            refreshed.clear();
            for (Entry old : before.values()) {
                Entry current = byId.get(old.id());
                if (old.published && (current == null || !current.published || !current.item.path().equals(old.item.path()))) {
                    lastPublicChange.merge(old.type.name(), now, ReadModel::later); // removed, unpublished or moved
                }
            }
            for (Entry e : after.values()) {
                Entry old = before.get(e.id());
                boolean changed = old == null || old.item.revision() != e.item.revision() || old.published != e.published
                        || !old.lastModified.equals(e.lastModified);
                if (e.published && changed) {
                    lastPublicChange.merge(e.type.name(), later(e.lastModified, old == null || old.published ? e.lastModified : now),
                            ReadModel::later);
                }
            }
            generation.incrementAndGet();
            lastChange = now;
        } catch (RepositoryException | RuntimeException e) {
            pending.addAll(paths); // try again on the next read rather than lose the changes
            throw new ContentException("cannot refresh the read model: " + e.getMessage(), e);
        }
    }

    private static boolean under(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/");
    }

    /** The path of the item a changed path belongs to (a property or sub-node of it), else the path itself. */
    private String nearestItemOrSelf(String path) throws RepositoryException {
        String p = path;
        while (p.length() > 1) {
            if (idByPath.containsKey(p)) {
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

    private void refreshPath(String path, Map<String, Entry> before) throws RepositoryException {
        // forget whatever was at or below this path, then read what is there now
        for (Map.Entry<String, String> e : List.copyOf(idByPath.entrySet())) {
            if (e.getKey().equals(path) || e.getKey().startsWith(path + "/")) {
                idByPath.remove(e.getKey());
                Entry old = byId.remove(e.getValue());
                if (old != null) {
                    before.putIfAbsent(old.id(), old);
                }
            }
        }
        if (!session.nodeExists(path)) {
            return;
        }
        Node n = session.getNode(path);
        for (ContentType t : types) {
            if (!under(path, t.rootPath())) {
                continue;
            }
            if (n.isNodeType(t.nodeType())) {
                put(t, n);
            } else if (n.isNodeType(ContentService.FOLDER_TYPE)) {
                List<Object[]> read = new ArrayList<>();
                collect(t, n, read);
                read.forEach(r -> put(new Entry((Item) r[1], (ContentType) r[0])));
            }
        }
    }

    /**
     * The entry's item with every value, rich text included, read from the repository (entries keep none); null when
     * the item has changed (or gone) since the entry was made, so that nothing newer than the index, such as an
     * unpublished draft, is ever rendered from it.
     */
    synchronized Item full(Entry e) {
        try {
            Optional<Node> n = service.node(session, e.type, e.id());
            if (n.isEmpty()) {
                return null;
            }
            Item item = service.toItem(e.type, n.get());
            return item.revision() == e.item.revision() ? item : null;
        } catch (RepositoryException ex) {
            throw new ContentException("cannot read " + e.id() + ": " + ex.getMessage(), ex);
        }
    }

    /** When the delivered content last changed, drafts included (an edit, a publication, a removal): for previews. */
    public Instant lastChange() {
        indexes();
        return lastChange;
    }

    /**
     * The last change the public can see to items of any of {@code typeNames}: the newest save of a published item, or
     * the moment a published item was unpublished, moved or removed; a draft's save never moves it. Last-Modified of
     * public lists and feeds.
     */
    public Instant lastPublicChange(java.util.Collection<String> typeNames) {
        indexes();
        Instant newest = Instant.EPOCH;
        for (String t : typeNames) {
            newest = later(newest, lastPublicChange.getOrDefault(t, Instant.EPOCH));
        }
        return newest;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    public int size() {
        indexes();
        return byId.size();
    }

    /** Items held per delivered type (the start-up check compares them with what a JCR query finds). */
    public Map<ContentType, Integer> counts() {
        Map<String, TypeIndex> indexes = indexes();
        Map<ContentType, Integer> out = new LinkedHashMap<>();
        for (ContentType t : types) {
            out.put(t, indexes.get(t.name()).entries.length);
        }
        return out;
    }
}
