package wales.exchange.delivery.index;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers of list queries kept by what decides them: the total and facet counts by the query's matches (its filters as
 * applied, and whatever else narrows the matches; not sort, page or language), the first places of a page by the
 * matches and the order. Belongs to one immutable {@link TypeIndex}, so it can never answer for other content; readers
 * never lock (a {@link ConcurrentHashMap}). Bounded: past {@code capacity} entries, arbitrary entries (the map's
 * iteration order) are dropped until a quarter of the room is free again; a writer racing another may overshoot by the
 * number of writers for a moment.
 *
 * @param <V> what is kept (immutable, or never changed once put)
 */
public final class QueryCache<V> {
    /** Entries per type index and cache: a resource's counts take about a kilobyte (FacetIndex.Counts), so 4 MiB at most. */
    public static final int ENTRIES = 4096;

    /** What a cached query counted: its matches and their facets (unmodifiable). */
    public record Counted(int total, Map<String, Map<String, Integer>> facets) {
    }

    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
    private final int capacity;

    public QueryCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
    }

    /** What was kept for {@code key} (a value with structural equality), or null. */
    public V get(Object key) {
        return map.get(key);
    }

    /** Keeps {@code value} for {@code key}, making room first if the cache is full. */
    public void put(Object key, V value) {
        if (map.size() >= capacity && !map.containsKey(key)) {
            int keep = capacity - Math.max(1, capacity / 4);
            for (Iterator<Object> it = map.keySet().iterator(); it.hasNext() && map.size() > keep; ) {
                it.next();
                it.remove();
            }
        }
        map.put(key, value);
    }

    /** Entries held now. */
    public int size() {
        return map.size();
    }
}
