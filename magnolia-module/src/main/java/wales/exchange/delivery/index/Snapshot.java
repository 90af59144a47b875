package wales.exchange.delivery.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import wales.exchange.model.ContentType;

/**
 * One immutable state of the delivery index: every entry by id and by path, each type's {@link TypeIndex}, the
 * generation (moves when delivered content changes: renderings made under another one are stale), the observation
 * sequence it includes, and the validators of lists (last change, last public change per type). Built without JCR:
 * {@link #of} from entries, {@link #apply} from the entries found at refreshed paths. Never changed once built.
 */
public final class Snapshot {
    private final List<ContentType> types;
    private final Map<String, Entry> byId;
    private final NavigableMap<String, String> idByPath;
    private final Map<String, TypeIndex> indexes;
    private final Map<String, Instant> lastPublicChange;
    private final Instant lastChange;
    private final long generation;
    private final long sequence;

    private Snapshot(List<ContentType> types, Map<String, Entry> byId, NavigableMap<String, String> idByPath,
                     Map<String, TypeIndex> indexes, Map<String, Instant> lastPublicChange, Instant lastChange,
                     long generation, long sequence) {
        this.types = types;
        this.byId = byId;
        this.idByPath = idByPath;
        this.indexes = indexes;
        this.lastPublicChange = lastPublicChange;
        this.lastChange = lastChange;
        this.generation = generation;
        this.sequence = sequence;
    }

    /** The state before anything is loaded: no entries, generation -1. */
    static Snapshot empty(List<ContentType> types) {
        return of(types, List.of(), -1, 0);
    }

    /**
     * A state holding {@code entries}: last change is the newest entry's, each type's last public change its newest
     * published entry's.
     */
    public static Snapshot of(List<ContentType> types, Collection<Entry> entries, long generation, long sequence) {
        Loader loader = new Loader(types);
        entries.forEach(loader::add);
        return loader.build(generation, sequence);
    }

    /**
     * Builds a state from entries as they are read (a full read of the repository): each entry's search forms go into
     * its type's postings at once, so that no entry keeps them until the end.
     */
    public static final class Loader {
        private final List<ContentType> types;
        private final Map<String, List<Entry>> byType = new LinkedHashMap<>();
        private final Map<String, Postings.Builder[]> builders = new HashMap<>();

        public Loader(List<ContentType> types) {
            this.types = types;
            for (ContentType t : types) {
                byType.put(t.name(), new ArrayList<>());
                Postings.Builder[] b = new Postings.Builder[2 * wales.exchange.i18n.Lang.values().length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = new Postings.Builder();
                }
                builders.put(t.name(), b);
            }
        }

        public void add(Entry e) {
            Postings.Builder[] b = builders.get(e.type.name());
            Entry.Forms f = e.takeForms();
            if (f == null) {
                f = Entry.forms(e.item, e.type);
            }
            for (wales.exchange.i18n.Lang l : wales.exchange.i18n.Lang.values()) {
                b[2 * l.ordinal()].add(f.title()[l.ordinal()]);
                b[2 * l.ordinal() + 1].add(f.all()[l.ordinal()]);
            }
            byType.get(e.type.name()).add(e);
        }

        public int size() {
            return byType.values().stream().mapToInt(List::size).sum();
        }

        public Snapshot build(long generation, long sequence) {
            Map<String, TypeIndex> indexes = new HashMap<>();
            for (ContentType t : types) {
                indexes.put(t.name(), TypeIndex.loaded(t, byType.get(t.name()), builders.get(t.name())));
            }
            return restore(types, indexes, generation, sequence);
        }
    }

    /** A state of the indexes as they are (built, or read back from a snapshot file). */
    static Snapshot restore(List<ContentType> types, Map<String, TypeIndex> indexes, long generation, long sequence) {
        Map<String, Entry> byId = new HashMap<>();
        NavigableMap<String, String> idByPath = new TreeMap<>();
        Map<String, Instant> lastPublic = new HashMap<>();
        Instant last = Instant.EPOCH;
        for (TypeIndex index : indexes.values()) {
            for (Entry e : index.entries) {
                byId.put(e.id(), e);
            idByPath.put(e.item.path(), e.id());
            last = later(last, e.lastModified);
            if (e.published) {
                lastPublic.merge(e.type.name(), e.lastModified, Snapshot::later);
            }
            }
        }
        return new Snapshot(List.copyOf(types), byId, idByPath, Map.copyOf(indexes), Map.copyOf(lastPublic), last,
                generation, sequence);
    }

    /** What is at or below {@code path} now: the entries read there (none: it is gone). */
    public record Refresh(String path, List<Entry> found) {
    }

    /**
     * The next state: for each refresh, whatever was at or below its path is forgotten, then what was found there is
     * put. Only the types touched are re-indexed. Last-Modified semantics: a published item saved moves its type's last
     * public change to its lastModified (to {@code now} when it was just published); a published item removed,
     * unpublished or moved moves it to {@code now}; a draft's save never moves it. Last change becomes {@code now}.
     * No refresh: the same state at the new sequence (caches stay valid).
     */
    public Snapshot apply(List<Refresh> refreshes, Instant now, long sequence) {
        if (refreshes.isEmpty()) {
            return new Snapshot(types, byId, idByPath, indexes, lastPublicChange, lastChange, generation, sequence);
        }
        Map<String, Entry> ids = new HashMap<>(byId);
        NavigableMap<String, String> paths = new TreeMap<>(idByPath);
        Map<String, Entry> before = new HashMap<>();
        Map<String, Entry> after = new LinkedHashMap<>();
        for (Refresh r : refreshes) {
            String path = r.path();
            List<String> gone = new ArrayList<>();
            if (paths.containsKey(path)) {
                gone.add(path);
            }
            gone.addAll(paths.subMap(path + "/", true, path + "/\uffff", true).keySet());
            for (String p : gone) {
                Entry old = ids.remove(paths.remove(p));
                if (old != null) {
                    before.putIfAbsent(old.id(), old);
                }
            }
            for (Entry e : r.found()) {
                after.put(e.id(), e);
                Entry old = ids.put(e.id(), e);
                if (old != null && !old.item.path().equals(e.item.path())) {
                    paths.remove(old.item.path());
                }
                paths.put(e.item.path(), e.id());
            }
        }
        Map<String, Instant> lastPublic = new HashMap<>(lastPublicChange);
        Set<String> touched = new LinkedHashSet<>();
        for (Entry old : before.values()) {
            touched.add(old.type.name());
            Entry current = ids.get(old.id());
            if (old.published && (current == null || !current.published || !current.item.path().equals(old.item.path()))) {
                lastPublic.merge(old.type.name(), now, Snapshot::later); // removed, unpublished or moved
            }
        }
        for (Entry e : after.values()) {
            touched.add(e.type.name());
            Entry old = before.get(e.id());
            boolean changed = old == null || old.item.revision() != e.item.revision() || old.published != e.published
                    || !old.lastModified.equals(e.lastModified);
            if (e.published && changed) {
                lastPublic.merge(e.type.name(), later(e.lastModified, old == null || old.published ? e.lastModified : now),
                        Snapshot::later);
            }
        }
        Map<String, TypeIndex> next = new HashMap<>(indexes);
        if (!touched.isEmpty()) {
            Map<String, List<Entry>> byType = new HashMap<>();
            for (Entry e : ids.values()) {
                if (touched.contains(e.type.name())) {
                    byType.computeIfAbsent(e.type.name(), k -> new ArrayList<>()).add(e);
                }
            }
            for (ContentType t : types) {
                if (touched.contains(t.name())) {
                    next.put(t.name(), new TypeIndex(t, byType.getOrDefault(t.name(), List.of()), indexes.get(t.name())));
                }
            }
        }
        return new Snapshot(types, ids, paths, Map.copyOf(next), Map.copyOf(lastPublic), now, generation + 1, sequence);
    }

    /**
     * The same state with each entry replaced by {@code move}'s (the same item, its body record elsewhere: a compaction
     * of the bodies file); indexes keep their postings and orders, generation and sequence stay.
     */
    Snapshot relocated(java.util.function.UnaryOperator<Entry> move) {
        Map<String, TypeIndex> next = new HashMap<>();
        Map<String, Entry> ids = new HashMap<>(byId);
        wales.exchange.i18n.Lang[] langs = wales.exchange.i18n.Lang.values();
        for (ContentType t : types) {
            TypeIndex index = indexes.get(t.name());
            if (index == null) {
                continue;
            }
            Entry[] moved = new Entry[index.entries.length];
            for (int i = 0; i < moved.length; i++) {
                moved[i] = move.apply(index.entries[i]);
                ids.put(moved[i].id(), moved[i]);
            }
            Postings[] title = new Postings[langs.length];
            Postings[] text = new Postings[langs.length];
            for (wales.exchange.i18n.Lang l : langs) {
                title[l.ordinal()] = index.postings(l, true);
                text[l.ordinal()] = index.postings(l, false);
            }
            next.put(t.name(), TypeIndex.restored(t, moved, title, text, index.orders()));
        }
        return new Snapshot(types, ids, idByPath, Map.copyOf(next), lastPublicChange, lastChange, generation, sequence);
    }

    static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    public Optional<Entry> entry(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The id of the entry at {@code path}, or null. */
    public String idAt(String path) {
        return idByPath.get(path);
    }

    /** The entry at {@code path}, or null. */
    Entry entryAt(String path) {
        String id = idByPath.get(path);
        return id == null ? null : byId.get(id);
    }

    public TypeIndex index(String type) {
        return indexes.get(type);
    }

    public Map<String, TypeIndex> indexes() {
        return indexes;
    }

    /** Changes to delivered content so far; renderings made under another generation are stale. */
    public long generation() {
        return generation;
    }

    /** The observation sequence this state includes (every change reported up to it). */
    public long sequence() {
        return sequence;
    }

    /** Every entry (for saving). */
    Collection<Entry> entries() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }

    public Instant lastChange() {
        return lastChange;
    }

    /** The latest of the types' last public changes (EPOCH when none). */
    public Instant lastPublicChange(Collection<String> typeNames) {
        Instant newest = Instant.EPOCH;
        for (String t : typeNames) {
            newest = later(newest, lastPublicChange.getOrDefault(t, Instant.EPOCH));
        }
        return newest;
    }
}
