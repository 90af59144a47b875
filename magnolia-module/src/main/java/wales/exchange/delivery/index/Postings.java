package wales.exchange.delivery.index;

import java.util.Arrays;
import java.util.BitSet;

/**
 * An immutable inverted index of one text field in one language over a type's positions: search form hash → the
 * positions whose text has it. Built with the {@link TypeIndex} (so it is rebuilt only for the types a change touches),
 * so a word never seen before costs a lookup plus its postings, like any other.
 *
 * <p>Compact: the forms sorted in one {@code int[]} (binary search), their postings one after another in one
 * {@code int[]} with offsets (no object per form); a form on more than 1/32 of the positions keeps a bitset instead,
 * which is then smaller than its positions and is or-ed a machine word at a time.
 */
final class Postings {
    private static final int[] NONE = new int[0];
    private static final long[][] NO_BITS = new long[0][];
    /** Sparse forms, sorted; postings of {@code keys[k]} are {@code positions[start[k] .. start[k + 1])}. */
    private final int[] keys;
    private final int[] start;
    private final int[] positions;
    /** Dense forms, sorted, and their positions as bitset words. */
    private final int[] denseKeys;
    private final long[][] denseBits;

    /**
     * @param forms per position, its distinct forms in ascending order (what {@code TextIndex.index} gives)
     */
    Postings(int[][] forms) {
        int n = forms.length;
        // count each form's positions in an open-addressing table (form → slot), growing as forms come
        FormTable table = new FormTable(1024);
        for (int[] f : forms) {
            for (int form : f) {
                table = table.increment(form);
            }
        }
        int distinct = table.size;
        // forms in ascending order: a slot's rank is where its postings go
        long[] bySlot = new long[distinct];
        int d = 0;
        for (int s = 0; s < table.keys.length; s++) {
            if (table.counts[s] > 0) {
                bySlot[d++] = ((long) table.keys[s] << 32) | s; // signed form first: sorts as ints do
            }
        }
        Arrays.sort(bySlot);
        int threshold = Math.max(n / 32, 1);
        int sparse = 0;
        int dense = 0;
        long total = 0;
        for (long ks : bySlot) {
            int c = table.counts[(int) ks];
            if (c > threshold) {
                dense++;
            } else {
                sparse++;
                total += c;
            }
        }
        keys = sparse == 0 ? NONE : new int[sparse];
        start = new int[sparse + 1];
        positions = total == 0 ? NONE : new int[Math.toIntExact(total)];
        denseKeys = dense == 0 ? NONE : new int[dense];
        denseBits = dense == 0 ? NO_BITS : new long[dense][];
        // each slot's destination: a cursor into positions, or -1 - the index of its bitset
        int[] cursor = table.counts.clone();
        int k = 0;
        int b = 0;
        int offset = 0;
        for (long ks : bySlot) {
            int slot = (int) ks;
            int c = cursor[slot];
            if (c > threshold) {
                denseKeys[b] = (int) (ks >> 32);
                denseBits[b] = new long[(n + 63) >>> 6];
                cursor[slot] = -1 - b;
                b++;
            } else {
                keys[k] = (int) (ks >> 32);
                start[k] = offset;
                cursor[slot] = offset;
                offset += c;
                k++;
            }
        }
        start[sparse] = offset;
        for (int i = 0; i < n; i++) {
            for (int form : forms[i]) {
                int slot = table.slot(form);
                int c = cursor[slot];
                if (c >= 0) {
                    positions[c] = i; // positions ascend: i only grows
                    cursor[slot] = c + 1;
                } else {
                    denseBits[-1 - c][i >>> 6] |= 1L << i;
                }
            }
        }
    }

    /** Adds the positions having {@code form} to {@code out}; returns how many positions it read (its postings). */
    int or(int form, BitSet out) {
        int k = Arrays.binarySearch(keys, form);
        if (k >= 0) {
            for (int p = start[k]; p < start[k + 1]; p++) {
                out.set(positions[p]);
            }
            return start[k + 1] - start[k];
        }
        int b = Arrays.binarySearch(denseKeys, form);
        if (b >= 0) {
            out.or(BitSet.valueOf(denseBits[b]));
            return denseBits[b].length;
        }
        return 0;
    }

    /** Distinct forms. */
    int forms() {
        return keys.length + denseKeys.length;
    }

    /** Heap bytes held (array headers of 16 bytes, references of 4). */
    long bytes() {
        long words = 0;
        for (long[] w : denseBits) {
            words += 16 + 8L * w.length;
        }
        return 5 * 16 + 4L * (keys.length + start.length + positions.length + denseKeys.length + denseBits.length) + words;
    }

    /** form → count, open addressing with linear probing; doubles at half full. */
    private static final class FormTable {
        final int[] keys;
        final int[] counts;
        int size;

        FormTable(int capacity) {
            keys = new int[capacity];
            counts = new int[capacity];
        }

        /** Counts one more position for {@code form}; returns this table, or a bigger one holding the same. */
        FormTable increment(int form) {
            int s = slot(form);
            if (counts[s] == 0) {
                keys[s] = form;
                size++;
            }
            counts[s]++;
            if (size * 2 > keys.length) {
                FormTable bigger = new FormTable(keys.length * 2);
                for (int i = 0; i < keys.length; i++) {
                    if (counts[i] > 0) {
                        int t = bigger.slot(keys[i]);
                        bigger.keys[t] = keys[i];
                        bigger.counts[t] = counts[i];
                    }
                }
                bigger.size = size;
                return bigger;
            }
            return this;
        }

        /** The slot of {@code form}, or the empty slot where it would go. */
        int slot(int form) {
            int mask = keys.length - 1;
            int h = form * 0x9E3779B9;
            int s = (h ^ (h >>> 16)) & mask;
            while (counts[s] != 0 && keys[s] != form) {
                s = (s + 1) & mask;
            }
            return s;
        }
    }
}
