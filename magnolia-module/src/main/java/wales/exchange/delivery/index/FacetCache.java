package wales.exchange.delivery.index;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The total and facet counts of list queries by what decides their matches (their filters as applied, and whatever
 * else narrows the matches), not by sort, page or language: lists rotating over sorts and pages of the same filters
 * count once. Belongs to one immutable {@link TypeIndex}, so it can never answer for other content; readers never lock
 * (a {@link ConcurrentHashMap}). Bounded: past {@code capacity} entries, arbitrary entries (the map's iteration order)
 * are dropped until a quarter of the room is free again; a writer racing another may overshoot by the number of
 * writers for a moment.
 */
public final class FacetCache {
    /** Entries per type index: a resource's counts take about a kilobyte (FacetIndex.Counts), so 4 MiB at most. */
    public static final int ENTRIES = 4096;

    /** What a cached query counted: its matches and their facets (unmodifiable). */
    public record Counted(int total, Map<String, Map<String, Integer>> facets) {
    }

    private final ConcurrentHashMap<Object, Counted> map = new ConcurrentHashMap<>();
    private final int capacity;

    public FacetCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
    }

    /** The counts of the query keyed {@code key} (a value with structural equality), or null. */
    public Counted get(Object key) {
        return map.get(key);
    }

    /** Keeps {@code counted} for {@code key}, making room first if the cache is full. */
    public void put(Object key, Counted counted) {
        if (map.size() >= capacity && !map.containsKey(key)) {
            int keep = capacity - Math.max(1, capacity / 4);
            for (Iterator<Object> it = map.keySet().iterator(); it.hasNext() && map.size() > keep; ) {
                it.next();
                it.remove();
            }
        }
        map.put(key, counted);
    }

    /** Entries held now. */
    public int size() {
        return map.size();
    }
}
