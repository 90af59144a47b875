package wales.exchange.delivery.index;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;

/**
 * The facet counts of a type's list queries, at the cost of the matches: per counted property a forward index
 * (position → value ids, compressed-row arrays, immutable) used when the mask is small, the inverted sets of
 * {@link ValueSets} (bitset AND + popcount for dense values, a probe per position for sparse ones) when it is large;
 * chosen per query and property by estimated cost. The answer is the same either way.
 */
public final class FacetIndex {
    /** Values shown for a free (not enumerated) facet: the most frequent, ties by value. */
    public static final int MAX_FACET_VALUES = 50;

    /** How to count, for tests; {@code AUTO} is what queries use. */
    public enum Strategy { AUTO, FORWARD, INVERTED }

    private final Facet[] facets;
    private final int n;

    /** One counted property. */
    private static final class Facet {
        final String name;
        final boolean enumerated;
        final List<String> options;
        /** Value id → value, in the iteration order of the property's {@link ValueSets#values()}. */
        final String[] values;
        /** Value id → its positions: an ascending {@code int[]} or a bitset's {@code long[]} words. */
        final Object[] sets;
        /** Positions → value ids: {@code ids[start[p] .. start[p + 1])}; null when no position has more than one (or {@link #small}). */
        final int[] start;
        /** Value ids by position (see {@link #start}); with no {@code start}, one per position, -1 for none. */
        final int[] ids;
        /** Work of counting every value by the inverted sets: words and positions read. */
        final long invertedCost;
        /**
         * With at most 64 values: per position the set of its value ids as bits, the narrowest array that holds them
         * ({@code byte[]}, {@code short[]}, {@code int[]} or {@code long[]}): one read per position, a small array
         * (100-800 KB at 100k items); then {@link #start} and {@link #ids} are null.
         */
        final Object small;
        /** Enumerated: what is shown, every option in its order then any other value; {@link #slot} maps value ids to it. */
        final String[] shown;
        final int[] slot;
        /** Free: value id → its place in the values' natural order, and the inverse. */
        final int[] rank;
        final int[] byRank;

        Facet(PropertyDef p, ValueSets sets, int n) {
            this.name = p.name();
            this.enumerated = p.enumerated();
            this.options = p.options();
            Map<String, Object> raw = sets.raw();
            int k = raw.size();
            this.values = new String[k];
            this.sets = new Object[k];
            int[] perPosition = new int[n];
            long cost = 0;
            int pairs = 0;
            int v = 0;
            for (String value : sets.values()) {
                Object o = raw.get(value);
                values[v] = value;
                this.sets[v] = o;
                if (o instanceof int[] positions) {
                    cost += positions.length;
                    for (int pos : positions) {
                        perPosition[pos]++;
                        pairs++;
                    }
                } else {
                    long[] words = (long[]) o;
                    cost += words.length;
                    for (int w = 0; w < words.length; w++) {
                        for (long bits = words[w]; bits != 0; bits &= bits - 1) {
                            perPosition[(w << 6) + Long.numberOfTrailingZeros(bits)]++;
                            pairs++;
                        }
                    }
                }
                v++;
            }
            this.invertedCost = cost;
            if (enumerated) {
                Map<String, Integer> places = new LinkedHashMap<>();
                for (String option : options) {
                    places.putIfAbsent(option, places.size());
                }
                this.slot = new int[k];
                for (v = 0; v < k; v++) {
                    slot[v] = places.computeIfAbsent(values[v], x -> places.size());
                }
                this.shown = places.keySet().toArray(new String[0]);
                this.rank = null;
                this.byRank = null;
            } else {
                Integer[] order = new Integer[k];
                for (v = 0; v < k; v++) {
                    order[v] = v;
                }
                Arrays.sort(order, (a, b) -> values[a].compareTo(values[b]));
                this.rank = new int[k];
                this.byRank = new int[k];
                for (int r = 0; r < k; r++) {
                    byRank[r] = order[r];
                    rank[order[r]] = r;
                }
                this.shown = null;
                this.slot = null;
            }
            if (k <= 64) {
                long[] bits = new long[n];
                for (v = 0; v < k; v++) {
                    Object o = this.sets[v];
                    if (o instanceof int[] positions) {
                        for (int pos : positions) {
                            bits[pos] |= 1L << v;
                        }
                    } else {
                        long[] words = (long[]) o;
                        for (int w = 0; w < words.length; w++) {
                            for (long b = words[w]; b != 0; b &= b - 1) {
                                bits[(w << 6) + Long.numberOfTrailingZeros(b)] |= 1L << v;
                            }
                        }
                    }
                }
                this.small = narrow(bits, k);
                this.start = null;
                this.ids = null;
                return;
            }
            this.small = null;
            boolean single = true;
            for (int c : perPosition) {
                if (c > 1) {
                    single = false;
                    break;
                }
            }
            int[] next;
            if (single) {
                this.start = null;
                this.ids = new int[n];
                Arrays.fill(ids, -1);
                next = null;
            } else {
                this.start = new int[n + 1];
                for (int pos = 0; pos < n; pos++) {
                    start[pos + 1] = start[pos] + perPosition[pos];
                }
                this.ids = new int[pairs];
                next = Arrays.copyOf(start, n);
            }
            for (v = 0; v < k; v++) {
                Object o = this.sets[v];
                if (o instanceof int[] positions) {
                    for (int pos : positions) {
                        put(next, pos, v);
                    }
                } else {
                    long[] words = (long[]) o;
                    for (int w = 0; w < words.length; w++) {
                        for (long bits = words[w]; bits != 0; bits &= bits - 1) {
                            put(next, (w << 6) + Long.numberOfTrailingZeros(bits), v);
                        }
                    }
                }
            }
        }

        /** An enumerated property's counts as shown: every option in its order (0 when none), then any other value. */
        Counts shown(int[] counts) {
            int[] c = new int[shown.length];
            for (int v = 0; v < counts.length; v++) {
                c[slot[v]] = counts[v];
            }
            return new Counts(shown, c, c.length);
        }

        /**
         * A free property's counts as shown: the {@link #MAX_FACET_VALUES} most frequent of the {@code touched} values,
         * most first, ties by value (values are distinct, so this is a total order).
         */
        Counts top(int[] counts, IntList touched) {
            long[] keys = new long[touched.size];
            for (int j = 0; j < keys.length; j++) {
                int v = touched.a[j];
                keys[j] = (long) (Integer.MAX_VALUE - counts[v]) << 32 | rank[v];
            }
            Arrays.sort(keys);
            int size = Math.min(keys.length, MAX_FACET_VALUES);
            String[] top = new String[size];
            int[] c = new int[size];
            for (int j = 0; j < size; j++) {
                int v = byRank[(int) keys[j]];
                top[j] = values[v];
                c[j] = counts[v];
            }
            return new Counts(top, c, size);
        }

        private void put(int[] next, int pos, int v) {
            if (next == null) {
                ids[pos] = v;
            } else {
                ids[next[pos]++] = v;
            }
        }

        private static Object narrow(long[] bits, int k) {
            int n = bits.length;
            if (k <= 8) {
                byte[] out = new byte[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) bits[i];
                }
                return out;
            }
            if (k <= 16) {
                short[] out = new short[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (short) bits[i];
                }
                return out;
            }
            if (k <= 32) {
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (int) bits[i];
                }
                return out;
            }
            return bits;
        }

        long bytes() {
            long table = 16 + 8L * values.length * 2
                    + (enumerated ? 32 + 8L * shown.length + 4L * slot.length : 32 + 8L * rank.length);
            if (small != null) {
                long each = small instanceof byte[] ? 1 : small instanceof short[] ? 2 : small instanceof int[] ? 4 : 8;
                return table + 16 + each * java.lang.reflect.Array.getLength(small);
            }
            return table + 16 + 4L * ids.length + (start == null ? 0 : 16 + 4L * start.length);
        }

        /** Work of counting {@code cardinality} positions by the forward index. */
        long forwardCost(int cardinality, int n) {
            double perPosition = start == null ? 1 : (double) ids.length / Math.max(1, n);
            if (small != null) {
                return cardinality;
            }
            return (long) (cardinality * (1 + perPosition));
        }

        /** Whether counting {@code cardinality} positions costs less by the forward index than by the inverted sets. */
        boolean forward(int cardinality, int n, Strategy strategy) {
            return strategy == Strategy.FORWARD || (strategy == Strategy.AUTO && forwardCost(cardinality, n) < invertedCost);
        }

        /** Value counts of {@code positions}; {@code touched} gets the ids counted at least once. */
        int[] count(int[] positions, IntList touched) {
            int[] counts = new int[values.length];
            if (small != null) {
                countSmall(positions, counts);
                for (int v = 0; v < counts.length; v++) {
                    if (counts[v] > 0) {
                        touched.add(v);
                    }
                }
                return counts;
            }
            for (int pos : positions) {
                if (start == null) {
                    int v = ids[pos];
                    if (v >= 0 && counts[v]++ == 0) {
                        touched.add(v);
                    }
                } else {
                    for (int j = start[pos], e = start[pos + 1]; j < e; j++) {
                        if (counts[ids[j]]++ == 0) {
                            touched.add(ids[j]);
                        }
                    }
                }
            }
            return counts;
        }

        private void countSmall(int[] positions, int[] counts) {
            if (small instanceof byte[] a) {
                for (int pos : positions) {
                    for (int b = a[pos] & 0xff; b != 0; b &= b - 1) {
                        counts[Integer.numberOfTrailingZeros(b)]++;
                    }
                }
            } else if (small instanceof short[] a) {
                for (int pos : positions) {
                    for (int b = a[pos] & 0xffff; b != 0; b &= b - 1) {
                        counts[Integer.numberOfTrailingZeros(b)]++;
                    }
                }
            } else if (small instanceof int[] a) {
                for (int pos : positions) {
                    for (int b = a[pos]; b != 0; b &= b - 1) {
                        counts[Integer.numberOfTrailingZeros(b)]++;
                    }
                }
            } else {
                long[] a = (long[]) small;
                for (int pos : positions) {
                    for (long b = a[pos]; b != 0; b &= b - 1) {
                        counts[Long.numberOfTrailingZeros(b)]++;
                    }
                }
            }
        }

        /** Value counts of the positions in {@code mask} by the inverted sets; {@code touched} as above. */
        int[] count(long[] mask, IntList touched) {
            int[] counts = new int[values.length];
            for (int v = 0; v < values.length; v++) {
                int c = ValueSets.count(sets[v], mask);
                counts[v] = c;
                if (c > 0) {
                    touched.add(v);
                }
            }
            return counts;
        }
    }

    /** The counted properties of {@code type} (filterable, enumerated or marked facet, not the moderation state). */
    public static boolean counted(PropertyDef p) {
        return TypeIndex.filterable(p) && (p.enumerated() || p.facet()) && !p.name().equals(ContentModel.MODERATION_STATE);
    }

    FacetIndex(ContentType type, Map<String, ValueSets> values, int n) {
        this.n = n;
        List<Facet> out = new ArrayList<>();
        for (PropertyDef p : type.properties()) {
            if (counted(p)) {
                out.add(new Facet(p, values.getOrDefault(p.name(), ValueSets.EMPTY_SETS), n));
            }
        }
        this.facets = out.toArray(new Facet[0]);
    }

    /** Heap bytes of the forward indexes and value tables (the value sets are {@link TypeIndex#valueBytes()}). */
    public long bytes() {
        long b = 16;
        for (Facet f : facets) {
            b += f.bytes();
        }
        return b;
    }

    /**
     * Per counted property, value → positions of {@code mask} (a bitset's words, {@code cardinality} bits set) having
     * it: every option of an enumerated property in its order (then any other value found), else the
     * {@link #MAX_FACET_VALUES} most frequent values, most first, ties by value.
     */
    public Map<String, Map<String, Integer>> count(long[] mask, int cardinality, Strategy strategy) {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        IntList touched = new IntList();
        int[] positions = null; // the mask's positions, listed once if some property is counted forward
        for (Facet f : facets) {
            touched.size = 0;
            int[] counts;
            if (cardinality == 0) {
                counts = new int[f.values.length];
            } else if (f.forward(cardinality, n, strategy)) {
                if (positions == null) {
                    positions = positions(mask, cardinality);
                }
                counts = f.count(positions, touched);
            } else {
                counts = f.count(mask, touched);
            }
            out.put(f.name, f.enumerated ? f.shown(counts) : f.top(counts, touched));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * The counts of one facet in the order shown: values and their counts in two arrays (no map entry or boxed count per
     * value until read through the {@link Map} interface), unmodifiable. Cached lists keep thousands of them.
     */
    public static final class Counts extends AbstractMap<String, Integer> {
        private final String[] values;
        private final int[] counts;
        private final int size;

        Counts(String[] values, int[] counts, int size) {
            this.values = values;
            this.counts = counts;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        /** The value shown {@code i}-th. */
        public String value(int i) {
            return values[i];
        }

        /** The count of {@link #value}{@code (i)}. */
        public int count(int i) {
            return counts[i];
        }

        @Override
        public Integer get(Object key) {
            for (int i = 0; i < size; i++) {
                if (values[i].equals(key)) {
                    return counts[i];
                }
            }
            return null;
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public Set<Map.Entry<String, Integer>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, Integer>> iterator() {
                    return new Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i < size;
                        }

                        @Override
                        public Map.Entry<String, Integer> next() {
                            if (i >= size) {
                                throw new java.util.NoSuchElementException();
                            }
                            Map.Entry<String, Integer> e = new AbstractMap.SimpleImmutableEntry<>(values[i], counts[i]);
                            i++;
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
    }

    /** The set positions of a bitset's words, ascending. */
    private static int[] positions(long[] mask, int cardinality) {
        int[] out = new int[cardinality];
        int k = 0;
        for (int w = 0; w < mask.length; w++) {
            for (long bits = mask[w]; bits != 0; bits &= bits - 1) {
                out[k++] = (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        return out;
    }

    /** A growable int list (no boxing). */
    static final class IntList {
        int[] a = new int[16];
        int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }
    }
}
