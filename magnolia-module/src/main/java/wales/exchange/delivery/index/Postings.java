package wales.exchange.delivery.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

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
    private Postings(int[] keys, int[] start, int[] positions, int[] denseKeys, long[][] denseBits) {
        this.keys = keys;
        this.start = start;
        this.positions = positions;
        this.denseKeys = denseKeys;
        this.denseBits = denseBits;
    }

    /** No form at all. */
    static final Postings EMPTY = new Postings(new int[0][]);

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
        int threshold = threshold(n);
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

    /** The threshold above which a form keeps a bitset over {@code n} positions. */
    private static int threshold(int n) {
        return Math.max(n / 32, 1);
    }

    /**
     * The same postings over new positions: position {@code p} becomes {@code oldToNew[p]} (dropped when negative),
     * which must keep the order of the positions it keeps (an index rebuilt after a change keeps its unchanged entries
     * in the same relative order); then {@code added} (pairs {@code form << 32 | position}, sorted) are merged in. Costs
     * one pass over the postings, with no forward index of the entries' forms.
     */
    Postings remap(int[] oldToNew, int n, long[] added) {
        int threshold = threshold(n);
        boolean monotonic = true;
        for (int i = 0, last = -1; i < oldToNew.length && monotonic; i++) {
            if (oldToNew[i] >= 0) {
                monotonic = oldToNew[i] > last;
                last = oldToNew[i];
            }
        }
        IntList outKeys = new IntList(keys.length + 16);
        IntList outStart = new IntList(keys.length + 17);
        IntList outPositions = new IntList(positions.length + 16);
        IntList outDenseKeys = new IntList(denseKeys.length + 4);
        List<long[]> outBits = new ArrayList<>(denseBits.length + 4);
        int ks = 0;
        int kd = 0;
        int ka = 0;
        int[] buffer = new int[64];
        while (ks < keys.length || kd < denseKeys.length || ka < added.length) {
            long form = Long.MAX_VALUE;
            if (ks < keys.length) {
                form = Math.min(form, keys[ks]);
            }
            if (kd < denseKeys.length) {
                form = Math.min(form, denseKeys[kd]);
            }
            if (ka < added.length) {
                form = Math.min(form, (int) (added[ka] >> 32));
            }
            int f = (int) form;
            // this form's new positions, ascending
            int count = 0;
            if (ks < keys.length && keys[ks] == f) {
                for (int p = start[ks]; p < start[ks + 1]; p++) {
                    int q = oldToNew[positions[p]];
                    if (q >= 0) {
                        if (count == buffer.length) {
                            buffer = Arrays.copyOf(buffer, count * 2);
                        }
                        buffer[count++] = q;
                    }
                }
                ks++;
            } else if (kd < denseKeys.length && denseKeys[kd] == f) {
                long[] w = denseBits[kd];
                for (int i = 0; i < w.length; i++) {
                    for (long bits = w[i]; bits != 0; bits &= bits - 1) {
                        int q = oldToNew[(i << 6) + Long.numberOfTrailingZeros(bits)];
                        if (q >= 0) {
                            if (count == buffer.length) {
                                buffer = Arrays.copyOf(buffer, count * 2);
                            }
                            buffer[count++] = q;
                        }
                    }
                }
                kd++;
            }
            int from = ka;
            while (ka < added.length && (int) (added[ka] >> 32) == f) {
                ka++;
            }
            if (ka > from) {
                // merge the added positions (ascending) into the mapped ones (ascending)
                int extra = ka - from;
                int[] merged = new int[count + extra];
                int i = 0;
                int j = from;
                int m = 0;
                while (i < count || j < ka) {
                    int a = j < ka ? (int) added[j] : Integer.MAX_VALUE;
                    if (i < count && buffer[i] <= a) {
                        merged[m++] = buffer[i++];
                    } else {
                        merged[m++] = a;
                        j++;
                    }
                }
                buffer = merged.length > buffer.length ? merged : buffer;
                if (buffer != merged) {
                    System.arraycopy(merged, 0, buffer, 0, merged.length);
                }
                count = merged.length;
            }
            if (count == 0) {
                continue;
            }
            if (!monotonic) {
                Arrays.sort(buffer, 0, count);
            }
            if (count > threshold) {
                long[] bits = new long[(n + 63) >>> 6];
                for (int i = 0; i < count; i++) {
                    bits[buffer[i] >>> 6] |= 1L << buffer[i];
                }
                outDenseKeys.add(f);
                outBits.add(bits);
            } else {
                outKeys.add(f);
                outStart.add(outPositions.size);
                for (int i = 0; i < count; i++) {
                    outPositions.add(buffer[i]);
                }
            }
        }
        outStart.add(outPositions.size);
        return new Postings(outKeys.toArray(), outStart.toArray(), outPositions.toArray(), outDenseKeys.toArray(),
                outBits.toArray(new long[0][]));
    }

    /** This form's positions as an ascending array (from the list or the bitset). */
    private int[] positionsOf(int k, boolean dense) {
        if (!dense) {
            return Arrays.copyOfRange(positions, start[k], start[k + 1]);
        }
        return BitSet.valueOf(denseBits[k]).stream().toArray();
    }

    /** The union of two postings over the same {@code n} positions, which no position is in both of. */
    Postings union(Postings other, int n) {
        if (other.forms() == 0) {
            return this;
        }
        if (forms() == 0) {
            return other;
        }
        int threshold = threshold(n);
        IntList outKeys = new IntList(keys.length + other.keys.length);
        IntList outStart = new IntList(keys.length + other.keys.length + 1);
        IntList outPositions = new IntList(positions.length + other.positions.length + 16);
        IntList outDenseKeys = new IntList(denseKeys.length + 4);
        List<long[]> outBits = new ArrayList<>(denseBits.length + 4);
        int[][] cursors = new int[2][2]; // [which][sparse, dense]
        Postings[] both = {this, other};
        while (true) {
            long form = Long.MAX_VALUE;
            for (int w = 0; w < 2; w++) {
                Postings p = both[w];
                if (cursors[w][0] < p.keys.length) {
                    form = Math.min(form, p.keys[cursors[w][0]]);
                }
                if (cursors[w][1] < p.denseKeys.length) {
                    form = Math.min(form, p.denseKeys[cursors[w][1]]);
                }
            }
            if (form == Long.MAX_VALUE) {
                break;
            }
            int f = (int) form;
            int[][] parts = new int[2][];
            for (int w = 0; w < 2; w++) {
                Postings p = both[w];
                if (cursors[w][0] < p.keys.length && p.keys[cursors[w][0]] == f) {
                    parts[w] = p.positionsOf(cursors[w][0]++, false);
                } else if (cursors[w][1] < p.denseKeys.length && p.denseKeys[cursors[w][1]] == f) {
                    parts[w] = p.positionsOf(cursors[w][1]++, true);
                } else {
                    parts[w] = NONE;
                }
            }
            int[] merged = new int[parts[0].length + parts[1].length];
            for (int i = 0, j = 0, m = 0; m < merged.length; m++) {
                merged[m] = j >= parts[1].length || (i < parts[0].length && parts[0][i] < parts[1][j]) ? parts[0][i++] : parts[1][j++];
            }
            if (merged.length > threshold) {
                long[] bits = new long[(n + 63) >>> 6];
                for (int q : merged) {
                    bits[q >>> 6] |= 1L << q;
                }
                outDenseKeys.add(f);
                outBits.add(bits);
            } else {
                outKeys.add(f);
                outStart.add(outPositions.size);
                for (int q : merged) {
                    outPositions.add(q);
                }
            }
        }
        outStart.add(outPositions.size);
        return new Postings(outKeys.toArray(), outStart.toArray(), outPositions.toArray(), outDenseKeys.toArray(),
                outBits.toArray(new long[0][]));
    }

    /** Writes these postings (read back by {@link #read}). */
    void write(java.io.DataOutputStream out) throws java.io.IOException {
        writeInts(out, keys);
        writeInts(out, start);
        writeInts(out, positions);
        writeInts(out, denseKeys);
        out.writeInt(denseBits.length);
        for (long[] w : denseBits) {
            out.writeInt(w.length);
            for (long x : w) {
                out.writeLong(x);
            }
        }
    }

    /** Postings as {@link #write} wrote them, checked for their shape (sorted forms, positions below {@code n}). */
    static Postings read(java.io.DataInput in, int n) throws java.io.IOException {
        int[] keys = readInts(in);
        int[] start = readInts(in);
        int[] positions = readInts(in);
        int[] denseKeys = readInts(in);
        int d = in.readInt();
        if (d != denseKeys.length || start.length != keys.length + 1 || start[0] != 0 || start[keys.length] != positions.length) {
            throw new java.io.IOException("bad postings shape");
        }
        long[][] bits = new long[d][];
        int words = (n + 63) >>> 6;
        for (int i = 0; i < d; i++) {
            int len = in.readInt();
            if (len != words) {
                throw new java.io.IOException("bad postings bitset length " + len);
            }
            bits[i] = new long[len];
            for (int k = 0; k < len; k++) {
                bits[i][k] = in.readLong();
            }
        }
        for (int p : positions) {
            if (p < 0 || p >= n) {
                throw new java.io.IOException("bad posting " + p);
            }
        }
        for (int k = 0; k < keys.length; k++) {
            if (start[k + 1] < start[k]) {
                throw new java.io.IOException("bad postings offsets");
            }
        }
        return new Postings(keys, start, positions, denseKeys, bits);
    }

    static void writeInts(java.io.DataOutputStream out, int[] a) throws java.io.IOException {
        out.writeInt(a.length);
        for (int x : a) {
            out.writeInt(x);
        }
    }

    static int[] readInts(java.io.DataInput in) throws java.io.IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 28) {
            throw new java.io.IOException("bad array length " + n);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    /**
     * Postings made one position at a time (0, 1, 2 … in order), each with its distinct forms: what a full read of the
     * repository feeds, so that no entry keeps its forms. A form's positions are a list until a bitset is smaller.
     */
    static final class Builder {
        private final java.util.HashMap<Integer, Object> byForm = new java.util.HashMap<>();
        private int n;

        /** Adds the next position with its forms (distinct). */
        void add(int[] forms) {
            int position = n++;
            for (int f : forms) {
                Object o = byForm.get(f);
                if (o == null) {
                    IntList l = new IntList(4);
                    l.add(position);
                    byForm.put(f, l);
                } else if (o instanceof IntList l) {
                    l.add(position);
                    if (l.size > 64 && l.size * 32L > n) {
                        BitSet b = new BitSet();
                        for (int i = 0; i < l.size; i++) {
                            b.set(l.a[i]);
                        }
                        byForm.put(f, b);
                    }
                } else {
                    ((BitSet) o).set(position);
                }
            }
        }

        int size() {
            return n;
        }

        /** The postings of positions {@code 0 .. size()}, remapped at once by {@code oldToNew} (any permutation). */
        Postings build(int[] oldToNew) {
            return build(oldToNew, n);
        }

        /** As {@link #build(int[])}, into {@code target} positions (more than were added: others are not in it). */
        Postings build(int[] oldToNew, int target) {
            int[] forms = byForm.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            // the identity postings as sparse lists and bitsets, then one remap (which re-decides dense or sparse)
            IntList keys = new IntList(forms.length);
            IntList start = new IntList(forms.length + 1);
            IntList positions = new IntList(1024);
            IntList denseKeys = new IntList(16);
            List<long[]> bits = new ArrayList<>();
            int words = (n + 63) >>> 6;
            for (int f : forms) {
                Object o = byForm.get(f);
                if (o instanceof IntList l) {
                    keys.add(f);
                    start.add(positions.size);
                    for (int i = 0; i < l.size; i++) {
                        positions.add(l.a[i]);
                    }
                } else {
                    denseKeys.add(f);
                    bits.add(Arrays.copyOf(((BitSet) o).toLongArray(), words));
                }
            }
            start.add(positions.size);
            byForm.clear();
            return new Postings(keys.toArray(), start.toArray(), positions.toArray(), denseKeys.toArray(),
                    bits.toArray(new long[0][])).remap(oldToNew, target, new long[0]);
        }
    }

    /** A growable int array. */
    static final class IntList {
        int[] a;
        int size;

        IntList(int capacity) {
            a = new int[Math.max(capacity, 4)];
        }

        void add(int x) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = x;
        }

        int[] toArray() {
            return size == 0 ? NONE : Arrays.copyOf(a, size);
        }
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
