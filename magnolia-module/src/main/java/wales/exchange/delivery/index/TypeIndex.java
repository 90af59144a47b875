package wales.exchange.delivery.index;

import wales.exchange.model.Fields;
import java.math.BigDecimal;
import java.text.Collator;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;

/**
 * An immutable index of one content type's items, rebuilt when content changes: value bitsets for equality filters and
 * facets, presorted positions for sorting and range filters. List queries then cost a few bitset operations plus a walk
 * over the sort order until the page is full, whatever the number of items.
 */
public final class TypeIndex {
    public final ContentType type;
    /** Entries in default order: most recently modified first. Positions index every bitset. */
    public final Entry[] entries;
    public final Map<String, Integer> positions;
    public final BitSet published = new BitSet();
    /** property → value → positions having it (filters and facets). */
    public final Map<String, ValueSets> values = new LinkedHashMap<>();
    /** property → positions having a value, in ascending order of that value; and the sort keys in the same order. */
    public final Map<String, int[]> ascending;
    public final Map<String, double[]> ascendingKeys = new HashMap<>();
    public final Map<Lang, int[]> titleAscending;
    /** Per language (by ordinal), the inverted index of titles and of all searchable text. */
    private final Postings[] titlePostings;
    private final Postings[] textPostings;
    /**
     * Entries whose search forms had to be computed from the entry itself (neither carried from a repository read nor
     * found in the previous index): package-private hook for tests, a query reads none.
     */
    final java.util.concurrent.atomic.AtomicLong textReads = new java.util.concurrent.atomic.AtomicLong();
    /** Pseudo-property of events: the end, or the start when there is no end (never a model name: it has a dot). */
    public static final String FINISH = "event.finish";
    /** property → positions without a value, in default order (they sort last either way). */
    public final Map<String, int[]> missing = new HashMap<>();
    /** {@link #published} as a bitset's words, one bit per position ({@link #words} words): read-only. */
    public final long[] publishedWords;
    /** Words of a bitset with a bit per position. */
    public final int words;
    /** The facet counts of list queries. */
    public final FacetIndex facets;
    /** Presorted array → its inverse (position → index in the array, -1 if absent), made when a query first needs it. */
    private final java.util.concurrent.ConcurrentHashMap<int[], int[]> inverses = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Total and facets of lists by what decides their matches (not sort or page), and the first places of their pages
     * by matches and order: this index never changes, so nothing in them can be stale; a new snapshot's index of the
     * type starts empty ones.
     */
    public final QueryCache<QueryCache.Counted> counted = new QueryCache<>(QueryCache.ENTRIES);
    /** Twice as many: an order keeps at most 100 places (400 bytes), and a filter set is often asked in several orders. */
    public final QueryCache<int[]> pages = new QueryCache<>(2 * QueryCache.ENTRIES);
    /** The facets of the unfiltered public list [0] and preview list [1], counted once. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Map<String, Map<String, Integer>>> unfiltered =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(2);

    /**
     * The inverse of a presorted array of this index ({@link #ascending}, {@link #missing}, {@link #titleAscending}):
     * position → its index in {@code order}, -1 for a position not in it. Made once per array (an int per position).
     */
    public int[] inverse(int[] order) {
        return inverses.computeIfAbsent(order, o -> {
            int[] inv = new int[entries.length];
            Arrays.fill(inv, -1);
            for (int k = 0; k < o.length; k++) {
                inv[o[k]] = k;
            }
            return inv;
        });
    }

    /** Heap bytes of the inverses made so far and of the facet index. */
    public long queryBytes() {
        long b = facets.bytes();
        for (int[] inv : inverses.values()) {
            b += 16 + 4L * inv.length;
        }
        return b;
    }

    /**
     * The facets of every public (or, with {@code preview}, every) entry: counted on first use, then shared. The maps
     * are unmodifiable.
     */
    public Map<String, Map<String, Integer>> unfilteredFacets(boolean preview) {
        int k = preview ? 1 : 0;
        Map<String, Map<String, Integer>> f = unfiltered.get(k);
        if (f == null) {
            long[] mask = preview ? all() : publishedWords;
            f = facets.count(mask, preview ? entries.length : published.cardinality(), FacetIndex.Strategy.AUTO);
            unfiltered.compareAndSet(k, null, f);
        }
        return f;
    }

    /** A new bitset's words with every position set. */
    public long[] all() {
        long[] w = new long[words];
        Arrays.fill(w, -1L);
        int n = entries.length;
        if ((n & 63) != 0) {
            w[words - 1] = (1L << n) - 1;
        }
        return w;
    }

    /**
     * Keeps in {@code mask} (a bitset's words) the positions whose value of an ordered property lies in [low, high]
     * (either bound may be open/null), or with {@code inside} false those where it does not (having no value is
     * outside). Word-level work on the mask, or the range's positions when fewer than the mask's; {@code scratch} is
     * as long as the mask.
     */
    public void keepRange(String property, Double low, boolean lowInclusive, Double high, boolean highInclusive, boolean inside,
                          long[] mask, int cardinality, long[] scratch) {
        int[] order = ascending.get(property);
        if (order == null) {
            if (inside) {
                Arrays.fill(mask, 0L);
            }
            return;
        }
        double[] keys = ascendingKeys.get(property);
        int from = low == null ? 0 : lowerBound(keys, low, lowInclusive);
        int to = high == null ? keys.length : lowerBound(keys, high, !highInclusive);
        if (to - from <= cardinality) {
            Arrays.fill(scratch, 0L);
            for (int i = from; i < to; i++) {
                scratch[order[i] >>> 6] |= 1L << order[i];
            }
            for (int w = 0; w < mask.length; w++) {
                mask[w] = inside ? mask[w] & scratch[w] : mask[w] & ~scratch[w];
            }
            return;
        }
        int[] inv = inverse(order);
        for (int w = 0; w < mask.length; w++) {
            long keep = mask[w];
            for (long bits = mask[w]; bits != 0; bits &= bits - 1) {
                int b = Long.numberOfTrailingZeros(bits);
                int r = inv[(w << 6) + b];
                if ((r >= from && r < to) != inside) {
                    keep &= ~(1L << b);
                }
            }
            mask[w] = keep;
        }
    }

    /**
     * Positions whose text (title only, or all searchable text) in {@code lang} has any of {@code forms}: a lookup in
     * the inverted index and the postings of each form, whether or not the form was asked for before.
     */
    public BitSet withAnyForm(Lang lang, boolean title, int[] forms) {
        BitSet out = new BitSet(entries.length);
        Postings postings = (title ? titlePostings : textPostings)[lang.ordinal()];
        for (int form : forms) {
            postings.or(form, out);
        }
        return out;
    }

    /** Heap bytes of the search postings (both languages, titles and all text). */
    public long postingsBytes() {
        long n = 0;
        for (Lang l : Lang.values()) {
            n += titlePostings[l.ordinal()].bytes() + textPostings[l.ordinal()].bytes();
        }
        return n;
    }

    /** Heap bytes of the filter and facet value sets. */
    public long valueBytes() {
        return values.values().stream().mapToLong(ValueSets::bytes).sum();
    }

    /** Distinct search forms of all text in {@code lang}. */
    public int searchForms(Lang lang) {
        return textPostings[lang.ordinal()].forms();
    }

    /** An index of {@code items} (their search forms: those they carry, else computed from the entries). */
    public TypeIndex(ContentType type, Collection<Entry> items) {
        this(type, sorted(items), null, null, null, null);
    }

    /**
     * The index after a change: {@code items} are all of the type's entries now; those carrying search forms (read
     * again) are indexed with them, the others keep their postings from {@code previous}, remapped to their new
     * positions, so no entry needs its forms kept.
     */
    TypeIndex(ContentType type, Collection<Entry> items, TypeIndex previous) {
        this(type, sorted(items), previous, null, null, null);
    }

    /**
     * An index made by a full read: {@code loadOrder} are the entries in the order their forms went into
     * {@code builders} (title then all text, per language).
     */
    static TypeIndex loaded(ContentType type, List<Entry> loadOrder, Postings.Builder[] builders) {
        Integer[] idx = new Integer[loadOrder.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> DEFAULT_ORDER.compare(loadOrder.get(a), loadOrder.get(b)));
        Entry[] entries = new Entry[idx.length];
        int[] oldToNew = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            entries[k] = loadOrder.get(idx[k]);
            oldToNew[idx[k]] = k;
        }
        Lang[] langs = Lang.values();
        Postings[] title = new Postings[langs.length];
        Postings[] text = new Postings[langs.length];
        for (Lang l : langs) {
            title[l.ordinal()] = builders[2 * l.ordinal()].build(oldToNew);
            text[l.ordinal()] = builders[2 * l.ordinal() + 1].build(oldToNew);
        }
        return new TypeIndex(type, entries, null, title, text, null);
    }

    /** An index as saved ({@link FileSnapshotStore}): entries in their order, postings and sort orders as they were. */
    static TypeIndex restored(ContentType type, Entry[] entries, Postings[] title, Postings[] text, Orders orders) {
        return new TypeIndex(type, entries, null, title, text, orders);
    }

    /** The sort orders of an index (what a restart would otherwise sort again), as saved. */
    record Orders(Map<String, int[]> ascending, Map<Lang, int[]> titleAscending) {
    }

    Orders orders() {
        return new Orders(ascending, titleAscending);
    }

    Postings postings(Lang lang, boolean title) {
        return (title ? titlePostings : textPostings)[lang.ordinal()];
    }

    private static final Comparator<Entry> DEFAULT_ORDER =
            Comparator.comparing((Entry e) -> e.lastModified).reversed().thenComparing(Entry::id);

    private static Entry[] sorted(Collection<Entry> items) {
        Entry[] out = items.toArray(new Entry[0]);
        Arrays.sort(out, DEFAULT_ORDER);
        return out;
    }

    private TypeIndex(ContentType type, Entry[] entries, TypeIndex previous, Postings[] title, Postings[] text, Orders orders) {
        this.type = type;
        this.entries = entries;
        int n = entries.length;
        this.positions = new HashMap<>(Math.max(16, n * 4 / 3 + 1));
        Map<String, ValueSets.Builder> builders = new LinkedHashMap<>();
        List<PropertyDef> filterable = type.properties().stream().filter(TypeIndex::filterable).toList();
        for (int i = 0; i < n; i++) {
            Entry e = entries[i];
            positions.put(e.id(), i);
            if (e.published) {
                published.set(i);
            }
            for (PropertyDef p : filterable) {
                Object v = e.item.values().get(p.name());
                if (v != null) {
                    ValueSets.Builder b = builders.computeIfAbsent(p.name(), k -> new ValueSets.Builder());
                    for (String k : Entry.keys(p, v)) {
                        b.add(k, i);
                    }
                }
            }
        }
        builders.forEach((p, b) -> values.put(p, b.build(n)));
        Lang[] langs = Lang.values();
        if (title == null) {
            title = new Postings[langs.length];
            text = new Postings[langs.length];
            postings(previous, title, text);
        }
        this.titlePostings = title;
        this.textPostings = text;
        if (orders != null) {
            this.ascending = orders.ascending();
            this.titleAscending = orders.titleAscending();
        } else {
            this.ascending = new HashMap<>();
            this.titleAscending = new EnumMap<>(Lang.class);
            sort();
        }
        ascending.forEach((p, order) -> {
            double[] keys = new double[order.length];
            for (int i = 0; i < order.length; i++) {
                keys[i] = sortKey(p, entries[order[i]]);
            }
            ascendingKeys.put(p, keys);
            BitSet has = new BitSet(n);
            for (int pos : order) {
                has.set(pos);
            }
            int[] none = new int[n - has.cardinality()];
            int k = 0;
            for (int i = has.nextClearBit(0); i < n; i = has.nextClearBit(i + 1)) {
                none[k++] = i;
            }
            missing.put(p, none);
        });
        this.words = (n + 63) >>> 6;
        this.publishedWords = Arrays.copyOf(published.toLongArray(), words);
        this.facets = new FacetIndex(type, values, n);
    }

    /** Fills the postings: forms carried by entries, else remapped from {@code previous}, else computed. */
    private void postings(TypeIndex previous, Postings[] title, Postings[] text) {
        Lang[] langs = Lang.values();
        int n = entries.length;
        int[] prevToNew = new int[previous == null ? 0 : previous.entries.length];
        Arrays.fill(prevToNew, -1);
        Postings.Builder[] builders = new Postings.Builder[2 * langs.length];
        for (int j = 0; j < builders.length; j++) {
            builders[j] = new Postings.Builder();
        }
        Postings.IntList carried = new Postings.IntList(16); // builder position → new position
        for (int i = 0; i < n; i++) {
            Entry e = entries[i];
            Entry.Forms f = e.takeForms();
            if (f == null) {
                Integer old = previous == null ? null : previous.positions.get(e.id());
                if (old != null) {
                    prevToNew[old] = i;
                    continue;
                }
                f = Entry.forms(e.item, type);
                textReads.incrementAndGet();
            }
            carried.add(i);
            for (Lang l : langs) {
                builders[2 * l.ordinal()].add(f.title()[l.ordinal()]);
                builders[2 * l.ordinal() + 1].add(f.all()[l.ordinal()]);
            }
        }
        int[] carriedToNew = carried.toArray();
        for (Lang l : langs) {
            for (int t = 0; t < 2; t++) {
                Postings fresh = builders[2 * l.ordinal() + t].build(carriedToNew, n);
                Postings kept = previous == null ? Postings.EMPTY : previous.postings(l, t == 0).remap(prevToNew, n, new long[0]);
                Postings after = kept.union(fresh, n);
                if (t == 0) {
                    title[l.ordinal()] = after;
                } else {
                    text[l.ordinal()] = after;
                }
            }
        }
    }

    /** The numeric sort key of an entry for {@code property} (or {@link #FINISH}). */
    private static double sortKey(String property, Entry e) {
        Map<String, Object> v = e.item.values();
        if (property.equals(FINISH)) {
            Object end = v.get(Fields.END_DATE);
            return numeric(end != null ? end : v.get(Fields.START_DATE));
        }
        return numeric(v.get(property));
    }

    private void sort() {
        int n = entries.length;
        for (PropertyDef p : type.properties()) {
            if (sortable(p)) {
                List<Integer> with = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (entries[i].item.values().get(p.name()) != null) {
                        with.add(i);
                    }
                }
                int[] order;
                if (p.type() == PropertyType.STRING) {
                    Collator c = Collator.getInstance(java.util.Locale.UK);
                    order = byCollation(with, i -> String.valueOf(entries[i].item.values().get(p.name())), c);
                } else {
                    double[] keys = new double[n];
                    for (int i : with) {
                        keys[i] = numeric(entries[i].item.values().get(p.name()));
                    }
                    with.sort(Comparator.comparingDouble((Integer i) -> keys[i]).thenComparingInt(i -> i));
                    order = with.stream().mapToInt(Integer::intValue).toArray();
                }
                ascending.put(p.name(), order);
            }
        }
        if (Fields.isEvent(type)) {
            // events: when they finish (end, else start), for upcoming/past
            List<double[]> withKey = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Object end = entries[i].item.values().get(Fields.END_DATE);
                Object start = entries[i].item.values().get(Fields.START_DATE);
                if (start != null) {
                    withKey.add(new double[] {numeric(end != null ? end : start), numeric(start), i});
                }
            }
            withKey.sort(Comparator.comparingDouble((double[] a) -> a[0]).thenComparingDouble(a -> a[1]).thenComparingDouble(a -> a[2]));
            ascending.put(FINISH, withKey.stream().mapToInt(a -> (int) a[2]).toArray());
        }
        for (Lang l : Lang.values()) {
            List<Integer> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(i);
            }
            titleAscending.put(l, byCollation(all, i -> {
                String t = Entry.text(entries[i].item, Fields.TITLE, l);
                return t == null ? "" : t;
            }, Collator.getInstance(l.locale())));
        }
    }

    /** Positions sorted by the collation of their strings, ties by position: collation keys made once each. */
    private static int[] byCollation(List<Integer> positions, java.util.function.IntFunction<String> text, Collator c) {
        int m = positions.size();
        java.text.CollationKey[] keys = new java.text.CollationKey[m];
        Integer[] idx = new Integer[m];
        for (int k = 0; k < m; k++) {
            keys[k] = c.getCollationKey(text.apply(positions.get(k)));
            idx[k] = k;
        }
        Arrays.sort(idx, (a, b) -> {
            int r = keys[a].compareTo(keys[b]);
            return r != 0 ? r : Integer.compare(positions.get(a), positions.get(b));
        });
        int[] out = new int[m];
        for (int k = 0; k < m; k++) {
            out[k] = positions.get(idx[k]);
        }
        return out;
    }

    /** Public, non-i18n scalar properties can be filtered on and, when enumerated or marked facet, counted. */
    public static boolean filterable(PropertyDef p) {
        return !p.privateField() && !p.i18n() && p.type() != PropertyType.RICH_TEXT && p.type() != PropertyType.SUB_MODEL
                && p.type() != PropertyType.ASSET;
    }

    public static boolean sortable(PropertyDef p) {
        return filterable(p) && !p.multiple() && (p.type() == PropertyType.DATE || p.type() == PropertyType.LONG
                || p.type() == PropertyType.DOUBLE || p.type() == PropertyType.DECIMAL || (p.type() == PropertyType.STRING && !p.enumerated() && p.format() == null));
    }

    public static boolean ordered(PropertyDef p) {
        return p.type() == PropertyType.DATE || p.type() == PropertyType.LONG || p.type() == PropertyType.DOUBLE
                || p.type() == PropertyType.DECIMAL;
    }

    public static double numeric(Object v) {
        if (v instanceof OffsetDateTime d) {
            return d.toInstant().toEpochMilli();
        }
        if (v instanceof Number n) {
            return n instanceof BigDecimal b ? b.doubleValue() : n.doubleValue();
        }
        return 0;
    }

    /** Positions whose value of an ordered property lies in [low, high] (either bound may be open/null). */
    public BitSet range(String property, Double low, boolean lowInclusive, Double high, boolean highInclusive) {
        BitSet out = new BitSet(entries.length);
        int[] order = ascending.get(property);
        double[] keys = ascendingKeys.get(property);
        if (order == null) {
            return out;
        }
        int from = low == null ? 0 : lowerBound(keys, low, lowInclusive);
        int to = high == null ? keys.length : lowerBound(keys, high, !highInclusive);
        for (int i = from; i < to; i++) {
            out.set(order[i]);
        }
        return out;
    }

    /** First index whose key is >= x (inclusive) or > x (exclusive). */
    public static int lowerBound(double[] keys, double x, boolean inclusive) {
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (inclusive ? keys[mid] < x : keys[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
