package wales.exchange.delivery.index;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One filterable property's values over a type's positions: value → the positions having it. Compact, like
 * {@link Postings}: a value on few positions keeps them as an ascending {@code int[]}, one on more than 1/32 of the
 * positions a bitset's words (then smaller). A property with a value per item (a link, a DOI) so costs about an int
 * per item instead of a bitset of every position per value.
 */
public final class ValueSets {
    static final ValueSets EMPTY = new ValueSets(Map.of(), 0);
    /** No value at all (a property no entry has). */
    public static final ValueSets EMPTY_SETS = EMPTY;
    private final Map<String, Object> byValue;
    private final int n;

    private ValueSets(Map<String, Object> byValue, int n) {
        this.byValue = byValue;
        this.n = n;
    }

    /** Adds the positions having {@code value} to {@code out}. */
    public void or(String value, BitSet out) {
        Object o = byValue.get(value);
        if (o instanceof int[] positions) {
            for (int p : positions) {
                out.set(p);
            }
        } else if (o instanceof long[] words) {
            out.or(BitSet.valueOf(words));
        }
    }

    /** Positions having {@code value} and set in {@code mask} (a bitset's words). */
    public int count(String value, long[] mask) {
        return count(byValue.get(value), mask);
    }

    /** Positions of a value's set ({@code int[]} or {@code long[]}, or null) that are set in {@code mask}. */
    static int count(Object o, long[] mask) {
        int c = 0;
        if (o instanceof int[] positions) {
            for (int p : positions) {
                int w = p >>> 6;
                if (w < mask.length && (mask[w] & (1L << p)) != 0) {
                    c++;
                }
            }
        } else if (o instanceof long[] words) {
            for (int i = 0, m = Math.min(words.length, mask.length); i < m; i++) {
                c += Long.bitCount(words[i] & mask[i]);
            }
        }
        return c;
    }

    /** Value → its positions (an ascending {@code int[]} or a bitset's {@code long[]} words), read-only. */
    Map<String, Object> raw() {
        return byValue;
    }

    /** Keeps in {@code mask} (a bitset's words) only the positions having {@code value}; {@code scratch} as long. */
    public void and(String value, long[] mask, long[] scratch) {
        Object o = byValue.get(value);
        if (o instanceof long[] words) {
            int m = Math.min(words.length, mask.length);
            for (int i = 0; i < m; i++) {
                mask[i] &= words[i];
            }
            Arrays.fill(mask, m, mask.length, 0L);
        } else if (o instanceof int[] positions) {
            Arrays.fill(scratch, 0L);
            for (int p : positions) {
                int w = p >>> 6;
                scratch[w] |= mask[w] & (1L << p);
            }
            System.arraycopy(scratch, 0, mask, 0, mask.length);
        } else {
            Arrays.fill(mask, 0L);
        }
    }

    /** Adds the positions having {@code value} to {@code out} (a bitset's words, as long as the positions). */
    public void or(String value, long[] out) {
        Object o = byValue.get(value);
        if (o instanceof int[] positions) {
            for (int p : positions) {
                out[p >>> 6] |= 1L << p;
            }
        } else if (o instanceof long[] words) {
            for (int i = 0, m = Math.min(words.length, out.length); i < m; i++) {
                out[i] |= words[i];
            }
        }
    }

    /** Every value some position has. */
    public Set<String> values() {
        return Collections.unmodifiableSet(byValue.keySet());
    }

    /** Heap bytes held by the positions (not the value strings). */
    long bytes() {
        long b = 0;
        for (Object o : byValue.values()) {
            b += 16 + (o instanceof int[] a ? 4L * a.length : 8L * ((long[]) o).length) + 48;
        }
        return b;
    }

    /** Collects (value, position) pairs, positions ascending, and makes the sets. */
    static final class Builder {
        private final Map<String, Postings.IntList> lists = new HashMap<>();

        void add(String value, int position) {
            Postings.IntList l = lists.computeIfAbsent(value, k -> new Postings.IntList(2));
            if (l.size == 0 || l.a[l.size - 1] != position) {
                l.add(position);
            }
        }

        ValueSets build(int n) {
            if (lists.isEmpty()) {
                return EMPTY;
            }
            int threshold = Math.max(n / 32, 1);
            Map<String, Object> out = new HashMap<>(lists.size() * 2);
            for (Map.Entry<String, Postings.IntList> e : lists.entrySet()) {
                Postings.IntList l = e.getValue();
                if (l.size > threshold) {
                    long[] words = new long[(n + 63) >>> 6];
                    for (int i = 0; i < l.size; i++) {
                        words[l.a[i] >>> 6] |= 1L << l.a[i];
                    }
                    out.put(Entry.shared(e.getKey()), words);
                } else {
                    out.put(Entry.shared(e.getKey()), Arrays.copyOf(l.a, l.size));
                }
            }
            return new ValueSets(out, n);
        }
    }
}
