package wales.exchange.delivery.index;

import wales.exchange.model.Fields;
import java.math.BigDecimal;
import java.text.Collator;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
    public final Map<String, Integer> positions = new HashMap<>();
    public final BitSet published = new BitSet();
    /** property → value → positions having it. */
    public final Map<String, Map<String, BitSet>> values = new LinkedHashMap<>();
    /** property → positions having a value, in ascending order of that value; and the sort keys in the same order. */
    public final Map<String, int[]> ascending = new HashMap<>();
    public final Map<String, double[]> ascendingKeys = new HashMap<>();
    public final Map<Lang, int[]> titleAscending = new EnumMap<>(Lang.class);
    /** Per language, the inverted index of titles and of all searchable text: built with this index, never lazily. */
    private final Map<Lang, Postings> titlePostings = new EnumMap<>(Lang.class);
    private final Map<Lang, Postings> textPostings = new EnumMap<>(Lang.class);
    /** Entries' search forms read so far (package-private hook for tests: a query reads none, only postings). */
    final java.util.concurrent.atomic.AtomicLong textReads = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Positions whose text (title only, or all searchable text) in {@code lang} has any of {@code forms}: a lookup in
     * the inverted index and the postings of each form, whether or not the form was asked for before.
     */
    public BitSet withAnyForm(Lang lang, boolean title, int[] forms) {
        BitSet out = new BitSet(entries.length);
        Postings postings = (title ? titlePostings : textPostings).get(lang);
        for (int form : forms) {
            postings.or(form, out);
        }
        return out;
    }

    /** Heap bytes of the search postings (both languages, titles and all text). */
    public long postingsBytes() {
        long n = 0;
        for (Lang l : Lang.values()) {
            n += titlePostings.get(l).bytes() + textPostings.get(l).bytes();
        }
        return n;
    }

    /** Distinct search forms of all text in {@code lang}. */
    public int searchForms(Lang lang) {
        return textPostings.get(lang).forms();
    }

    private int[][] forms(Lang lang, boolean title) {
        int[][] out = new int[entries.length][];
        for (int i = 0; i < entries.length; i++) {
            out[i] = title ? entries[i].titleText.get(lang) : entries[i].allText.get(lang);
        }
        textReads.addAndGet(entries.length);
        return out;
    }

    /** Pseudo-property of events: the end, or the start when there is no end (never a model name: it has a dot). */
    public static final String FINISH = "event.finish";
    /** property → value → the value's bitset as words, for allocation-free facet counting. */
    public final Map<String, Map<String, long[]>> valueWords = new LinkedHashMap<>();
    /** property → positions without a value, in default order (they sort last either way). */
    public final Map<String, int[]> missing = new HashMap<>();

    public TypeIndex(ContentType type, Collection<Entry> items) {
        this.type = type;
        List<Entry> list = new ArrayList<>(items);
        list.sort(Comparator.comparing((Entry e) -> e.lastModified).reversed().thenComparing(Entry::id));
        this.entries = list.toArray(new Entry[0]);
        for (int i = 0; i < entries.length; i++) {
            Entry e = entries[i];
            positions.put(e.id(), i);
            if (e.published) {
                published.set(i);
            }
            for (Map.Entry<String, List<String>> k : e.keys.entrySet()) {
                Map<String, BitSet> byValue = values.computeIfAbsent(k.getKey(), x -> new HashMap<>());
                for (String v : k.getValue()) {
                    byValue.computeIfAbsent(v, x -> new BitSet(entries.length)).set(i);
                }
            }
        }
        for (PropertyDef p : type.properties()) {
            if (sortable(p)) {
                List<double[]> withKey = new ArrayList<>();
                for (int i = 0; i < entries.length; i++) {
                    Object v = entries[i].item.values().get(p.name());
                    if (v != null) {
                        withKey.add(new double[] {numeric(v), i});
                    }
                }
                if (p.type() == PropertyType.STRING) {
                    Collator c = Collator.getInstance(java.util.Locale.UK);
                    withKey.sort(Comparator.comparing((double[] a) -> (String) entries[(int) a[1]].item.values().get(p.name()), c)
                            .thenComparingDouble(a -> a[1]));
                } else {
                    withKey.sort(Comparator.comparingDouble((double[] a) -> a[0]).thenComparingDouble(a -> a[1]));
                }
                ascending.put(p.name(), withKey.stream().mapToInt(a -> (int) a[1]).toArray());
                ascendingKeys.put(p.name(), withKey.stream().mapToDouble(a -> a[0]).toArray());
            }
        }
        if (Fields.isEvent(type)) {
            // events: when they finish (end, else start), for upcoming/past
            List<double[]> withKey = new ArrayList<>();
            for (int i = 0; i < entries.length; i++) {
                Object end = entries[i].item.values().get(Fields.END_DATE);
                Object start = entries[i].item.values().get(Fields.START_DATE);
                if (start != null) {
                    withKey.add(new double[] {numeric(end != null ? end : start), numeric(start), i});
                }
            }
            withKey.sort(Comparator.comparingDouble((double[] a) -> a[0]).thenComparingDouble(a -> a[1]).thenComparingDouble(a -> a[2]));
            ascending.put(FINISH, withKey.stream().mapToInt(a -> (int) a[2]).toArray());
            ascendingKeys.put(FINISH, withKey.stream().mapToDouble(a -> a[0]).toArray());
        }
        values.forEach((p, byValue) -> {
            Map<String, long[]> words = new LinkedHashMap<>();
            byValue.forEach((v, bits) -> words.put(v, bits.toLongArray()));
            valueWords.put(p, words);
        });
        ascending.forEach((p, order) -> {
            BitSet has = new BitSet(entries.length);
            for (int pos : order) {
                has.set(pos);
            }
            int[] none = new int[entries.length - order.length];
            int k = 0;
            for (int i = has.nextClearBit(0); i < entries.length; i = has.nextClearBit(i + 1)) {
                none[k++] = i;
            }
            missing.put(p, none);
        });
        for (Lang l : Lang.values()) {
            Collator c = Collator.getInstance(l.locale());
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < entries.length; i++) {
                order.add(i);
            }
            String[] titles = new String[entries.length];
            for (int i = 0; i < entries.length; i++) {
                String t = Entry.text(entries[i].item, Fields.TITLE, l);
                titles[i] = t == null ? "" : t;
            }
            order.sort(Comparator.comparing((Integer i) -> titles[i], c).thenComparing(i -> i));
            titleAscending.put(l, order.stream().mapToInt(Integer::intValue).toArray());
            titlePostings.put(l, new Postings(forms(l, true)));
            textPostings.put(l, new Postings(forms(l, false)));
        }
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
