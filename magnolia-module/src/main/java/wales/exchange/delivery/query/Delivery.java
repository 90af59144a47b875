package wales.exchange.delivery.query;

import wales.exchange.delivery.Exchange;
import wales.exchange.delivery.index.TextIndex;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import wales.exchange.model.Fields;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.index.Entry;
import wales.exchange.delivery.index.FacetIndex;
import wales.exchange.delivery.index.QueryCache;
import wales.exchange.delivery.index.Snapshot;
import wales.exchange.delivery.index.TypeIndex;
import wales.exchange.delivery.index.ValueSets;
import wales.exchange.i18n.Lang;

/** Runs list and item queries against the {@link DeliveryIndex}. Drafts are seen only with {@code preview}. */
@Singleton
public final class Delivery {
    static final int MAX_FACET_VALUES = FacetIndex.MAX_FACET_VALUES;
    private final DeliveryIndex index;
    private final Clock clock;

    @Inject
    public Delivery(DeliveryIndex index, @Exchange Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    public DeliveryIndex index() {
        return index;
    }

    /** A page of results with the total and facet counts over every match. */
    public record Page(int total, List<Entry> items, Map<String, Map<String, Integer>> facets, long generation) {
    }

    public Optional<Entry> item(String type, String id, boolean preview) {
        return index.entry(id).filter(e -> e.type.name().equals(type) && (preview || e.published));
    }

    /** The total of a public list query, running the whole query (page, total, facets): for benchmarks. */
    public int total(ListQuery query, String type, Lang lang) {
        return list(type, query, lang, false).total();
    }

    public Page list(String type, ListQuery query, Lang lang, boolean preview) {
        return list(type, query, lang, preview, false);
    }

    /**
     * @param datedOnly keep only events with a start date, before paging (the iCalendar feed: undated events have no
     *                  calendar entry, so they must not take up places on a page)
     */
    public Page list(String type, ListQuery query, Lang lang, boolean preview, boolean datedOnly) {
        return list(type, query, lang, preview, datedOnly, FacetIndex.Strategy.AUTO, Walk.AUTO);
    }

    /** How the page is found, for tests; {@code AUTO} is what queries use. */
    enum Walk {
        AUTO,
        /** Along the sort order, testing each position against the mask until the page is full. */
        ORDER,
        /** Every match ranked by its place in the sort order (an inverse of the order), then the page's taken. */
        RANK
    }

    /**
     * Per thread, the mask and the scratch bitset of {@link #list}, as long as the type's bitsets (a word per 64
     * positions): new ones per query were a third of a list's allocation at 100k items (two arrays of 12 KiB, JFR
     * 2026-12-01), which grows with N where the page does not. Nothing keeps either past the query.
     */
    private static final ThreadLocal<long[][]> BUFFERS = ThreadLocal.withInitial(() -> new long[][] {new long[0], new long[0]});

    /**
     * The query on one mask of words (a bit per position): filters, ranges and words narrow it in place; then the
     * total, facets counted at the matches' cost and the page by the cheaper of walking the sort order or ranking the
     * matches.
     */
    Page list(String type, ListQuery query, Lang lang, boolean preview, boolean datedOnly, FacetIndex.Strategy strategy,
              Walk walk) {
        Snapshot snapshot = this.index.current();
        long generation = snapshot.generation();
        TypeIndex index = snapshot.index(type);
        int n = index.entries.length;
        boolean isEvents = Fields.isEvent(index.type);
        List<ListQuery.Filter> applied = new ArrayList<>(query.filters().size());
        for (ListQuery.Filter f : query.filters()) {
            applied.add(preview ? f : publicValues(snapshot, f));
        }
        boolean unfiltered = query.filters().isEmpty() && query.q() == null && query.from() == null && query.to() == null
                && query.past() == null && !(datedOnly && isEvents);
        int need = query.offset() + query.limit();
        // without words or past, the matches depend only on the applied filters and the absolute bounds, not on the
        // clock: counted once; and so does the order, unless it is the events' default (by the clock)
        MatchKey key = strategy == FacetIndex.Strategy.AUTO && query.q() == null && query.past() == null
                ? MatchKey.of(applied, preview, datedOnly && isEvents, query.from(), query.to()) : null;
        PageKey pageKey = key != null && walk == Walk.AUTO && !(isEvents && query.sort() == null)
                ? PageKey.of(key, query.sort(), lang) : null;
        QueryCache.Counted counted = key == null ? null : index.counted.get(key);
        if (counted != null && pageKey != null) {
            int[] first = index.pages.get(pageKey);
            if (first != null && first.length >= Math.min(need, counted.total())) {
                return new Page(counted.total(), page(index, first, query), counted.facets(), generation);
            }
        }
        long[][] buffers = BUFFERS.get();
        if (buffers[0].length != index.words) {
            buffers[0] = new long[index.words];
            buffers[1] = new long[index.words];
        }
        long[] mask = buffers[0];
        if (preview) {
            long[] all = index.all();
            System.arraycopy(all, 0, mask, 0, mask.length);
        } else {
            System.arraycopy(index.publishedWords, 0, mask, 0, mask.length);
        }
        long[] scratch = buffers[1]; // every user clears it first
        for (ListQuery.Filter f : applied) {
            filter(index, f, mask, scratch);
        }
        if (datedOnly && isEvents) {
            index.keepRange(Fields.START_DATE, null, true, null, true, true, mask, cardinality(mask), scratch);
        }
        long now = clock.millis();
        if (query.from() != null || query.to() != null) {
            index.keepRange(Fields.START_DATE, query.from() == null ? null : (double) query.from().toEpochMilli(), true,
                    query.to() == null ? null : (double) query.to().toEpochMilli(), false, true, mask, cardinality(mask), scratch);
        }
        if (query.past() != null) {
            index.keepRange(TypeIndex.FINISH, null, true, (double) now, false, query.past(), mask, cardinality(mask), scratch);
        }
        long[][] inTitle = null;
        if (query.q() != null) {
            // every word must be in the text (any of its forms); a word in the title counts 3, elsewhere 1 (Ranking)
            int[][] words = TextIndex.query(query.q(), lang);
            if (words.length == 0) {
                Arrays.fill(mask, 0L);
            }
            inTitle = new long[words.length][];
            for (int w = 0; w < words.length; w++) {
                long[] with = index.withAnyForm(lang, false, words[w]).toLongArray();
                for (int i = 0; i < mask.length; i++) {
                    mask[i] &= i < with.length ? with[i] : 0L;
                }
                if (query.sort() == null) {
                    inTitle[w] = index.withAnyForm(lang, true, words[w]).toLongArray();
                }
            }
        }
        boolean byScore = inTitle != null && query.sort() == null;
        if (counted == null) {
            int t = cardinality(mask);
            counted = new QueryCache.Counted(t, unfiltered && strategy == FacetIndex.Strategy.AUTO
                    ? index.unfilteredFacets(preview) : index.facets.count(mask, t, strategy));
            if (key != null) {
                index.counted.put(key, counted);
            }
        }
        int total = counted.total();
        List<Segment> order = order(index, query, lang, mask, byScore ? inTitle : null, isEvents, now);
        // a cached order keeps at least the first PREFIX places, so that the next pages of the list find them
        int want = pageKey == null ? need : Math.max(need, PREFIX);
        int[] positions = new int[0];
        if (total > 0 && (query.offset() < total || pageKey != null)) {
            // a search by score: Ranking has already put exactly the positions up to the page in order
            boolean rank = !byScore && (walk == Walk.RANK || (walk == Walk.AUTO && rankCheaper(order, n, total, want)));
            positions = rank ? ranked(index, order, mask, total, want) : walked(order, mask, want);
        }
        if (pageKey != null) {
            // a deep page's places beyond the first PREFIX are not kept: offsets go to 10,000, and 8,192 orders of 10,100
            // places each would hold 330 MB of a type's heap
            index.pages.put(pageKey, positions.length <= PREFIX ? positions : Arrays.copyOf(positions, PREFIX));
        }
        return new Page(total, page(index, positions, query), counted.facets(), generation);
    }

    /** Places in a list's order kept per order ({@link TypeIndex#pages}), at least and at most: the first five pages of 20. */
    static final int PREFIX = 100;

    /** The entries of the query's page among {@code positions}, the first places of its order. */
    private static List<Entry> page(TypeIndex index, int[] positions, ListQuery query) {
        List<Entry> page = new ArrayList<>(Math.max(0, Math.min(query.limit(), positions.length - query.offset())));
        for (int k = query.offset(); k < positions.length && page.size() < query.limit(); k++) {
            page.add(index.entries[positions[k]]);
        }
        return page;
    }

    /**
     * What decides the order of a list's matches besides them: the sort, and the language when it is by title (titles
     * sort per language). Not for the events' default order, which moves with the clock.
     */
    record PageKey(MatchKey matches, String sort, Lang lang) {
        static PageKey of(MatchKey matches, String sort, Lang lang) {
            boolean byTitle = sort != null && (sort.equals(Fields.TITLE) || sort.equals("-" + Fields.TITLE));
            return new PageKey(matches, sort, byTitle ? lang : null);
        }
    }

    /**
     * What decides the matches of a list query without words or {@code past} (the same in any sort, page or language):
     * each applied filter as its property, operator and values (those of {@code in} sorted, since their order does not
     * change the matches), the filters sorted (the same), whether drafts are seen, and the events' dated-only and
     * from/to bounds. Lists of strings, never a joined string: no value can spell another key. Small: a query with more
     * than {@link #MAX_VALUES} filter values or {@link #MAX_CHARS} characters of them has none and is not kept: a request
     * target of 8 KiB holds hundreds of values, tens of KB of strings and lists, and a type's caches hold 12,288 keys.
     */
    record MatchKey(boolean preview, boolean datedOnly, Instant from, Instant to, List<List<String>> filters) {
        private static final java.util.Comparator<List<String>> ORDER = (a, b) -> {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int c = a.get(i).compareTo(b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.size(), b.size());
        };

        /** Filter values, and their characters, of a key at most: about 1.5 KB of heap per key, 20 MB per type. */
        static final int MAX_VALUES = 16;
        static final int MAX_CHARS = 512;

        /** The key of these matches, or null when it would be larger than the bounds above (the query is not kept). */
        static MatchKey of(List<ListQuery.Filter> applied, boolean preview, boolean datedOnly, Instant from, Instant to) {
            int values = 0;
            int chars = 0;
            for (ListQuery.Filter f : applied) {
                values += f.values().size();
                for (String v : f.values()) {
                    chars += v.length();
                }
            }
            if (values > MAX_VALUES || chars > MAX_CHARS) {
                return null;
            }
            List<List<String>> filters = new ArrayList<>(applied.size());
            for (ListQuery.Filter f : applied) {
                List<String> k = new ArrayList<>(2 + f.values().size());
                k.add(f.property().name());
                k.add(f.op());
                int first = k.size();
                k.addAll(f.values());
                if (f.op().equals("in")) {
                    k.subList(first, k.size()).sort(null);
                }
                filters.add(k);
            }
            filters.sort(ORDER);
            return new MatchKey(preview, datedOnly, from, to, filters);
        }
    }

    private static int cardinality(long[] mask) {
        int c = 0;
        for (long w : mask) {
            c += Long.bitCount(w);
        }
        return c;
    }

    /** Ranking the matches costs a few steps each; walking the order about n / total positions per place wanted. */
    private static boolean rankCheaper(List<Segment> order, int n, int total, int need) {
        long length = 0;
        for (Segment s : order) {
            if (s.positions() == null) {
                return false; // default order: the walk reads the mask's words, never a position it need not
            }
            length += s.size();
        }
        long walk = Math.min(length, (long) need * n / total);
        return 4L * total < walk;
    }

    /** The first {@code need} matches (fewer if there are fewer) in the order of the segments, walking them. */
    private static int[] walked(List<Segment> order, long[] mask, int need) {
        int[] out = new int[need];
        int k = 0;
        for (Segment seg : order) {
            if (seg.positions() == null) {
                // every position, ascending or descending: the mask's set bits themselves
                if (!seg.reversed()) {
                    for (int w = seg.from() >>> 6; w < mask.length && k < need; w++) {
                        for (long bits = mask[w]; bits != 0 && k < need; bits &= bits - 1) {
                            int pos = (w << 6) + Long.numberOfTrailingZeros(bits);
                            if (pos >= seg.from() && pos < seg.to()) {
                                out[k++] = pos;
                            }
                        }
                    }
                } else {
                    for (int w = Math.min(mask.length, (seg.to() + 63) >>> 6) - 1; w >= 0 && k < need; w--) {
                        for (long bits = mask[w]; bits != 0 && k < need; ) {
                            int b = 63 - Long.numberOfLeadingZeros(bits);
                            bits &= ~(1L << b);
                            int pos = (w << 6) + b;
                            if (pos >= seg.from() && pos < seg.to()) {
                                out[k++] = pos;
                            }
                        }
                    }
                }
            } else {
                int[] p = seg.positions();
                if (!seg.reversed()) {
                    for (int i = seg.from(); i < seg.to() && k < need; i++) {
                        int pos = p[i];
                        if ((mask[pos >>> 6] & (1L << pos)) != 0) {
                            out[k++] = pos;
                        }
                    }
                } else {
                    for (int i = seg.to() - 1; i >= seg.from() && k < need; i--) {
                        int pos = p[i];
                        if ((mask[pos >>> 6] & (1L << pos)) != 0) {
                            out[k++] = pos;
                        }
                    }
                }
            }
            if (k == need) {
                break;
            }
        }
        return k == need ? out : Arrays.copyOf(out, k);
    }

    /**
     * The first {@code need} matches in the order of the segments, by ranking every match: its place is found from the
     * inverse of its segment's array, so the cost is the matches', not the order's length.
     */
    private static int[] ranked(TypeIndex index, List<Segment> order, long[] mask, int total, int need) {
        int s = order.size();
        int[][] inv = new int[s][];
        long[] base = new long[s];
        long b = 0;
        for (int j = 0; j < s; j++) {
            Segment seg = order.get(j);
            inv[j] = seg.size() == 0 || seg.positions() == null ? null : index.inverse(seg.positions());
            base[j] = b;
            b += seg.size();
        }
        long[] keyed = new long[total];
        int m = 0;
        for (int w = 0; w < mask.length; w++) {
            for (long bits = mask[w]; bits != 0; bits &= bits - 1) {
                int pos = (w << 6) + Long.numberOfTrailingZeros(bits);
                for (int j = 0; j < s; j++) {
                    Segment seg = order.get(j);
                    if (seg.size() == 0) {
                        continue;
                    }
                    int r = seg.positions() == null ? pos : inv[j][pos];
                    if (r >= seg.from() && r < seg.to()) {
                        long place = base[j] + (seg.reversed() ? seg.to() - 1 - r : r - seg.from());
                        keyed[m++] = place << 32 | pos;
                        break;
                    }
                }
            }
        }
        Arrays.sort(keyed, 0, m);
        int[] out = new int[Math.min(m, need)];
        for (int k = 0; k < out.length; k++) {
            out[k] = (int) keyed[k];
        }
        return out;
    }

    /**
     * A filter as the public may ask it: a reference value that is the id of an item the public cannot see (a draft)
     * becomes a value no item has, so that it behaves exactly like an unknown id and reveals nothing.
     */
    private static ListQuery.Filter publicValues(Snapshot snapshot, ListQuery.Filter f) {
        if (f.property().type() != wales.exchange.model.PropertyType.REFERENCE) {
            return f;
        }
        List<String> values = new ArrayList<>(f.values().size());
        for (String v : f.values()) {
            values.add(snapshot.entry(v).filter(e -> e.published).isPresent() ? v : UNSEEN);
        }
        return new ListQuery.Filter(f.property(), f.op(), List.copyOf(values), f.number());
    }

    /** A filter value no item has (ids are UUIDs). */
    private static final String UNSEEN = "";

    /** Narrows {@code mask} to the positions matching {@code f}; {@code scratch} is as long as the mask. */
    private static void filter(TypeIndex index, ListQuery.Filter f, long[] mask, long[] scratch) {
        String name = f.property().name();
        ValueSets byValue = index.values.getOrDefault(name, ValueSets.EMPTY_SETS);
        switch (f.op()) {
            case "eq":
            case "in":
                if (f.values().size() == 1) {
                    byValue.and(f.values().get(0), mask, scratch);
                    return;
                }
                Arrays.fill(scratch, 0L);
                for (String v : f.values()) {
                    byValue.or(v, scratch);
                }
                for (int i = 0; i < mask.length; i++) {
                    mask[i] &= scratch[i];
                }
                return;
            case "ne":
                Arrays.fill(scratch, 0L);
                byValue.or(f.values().get(0), scratch);
                for (int i = 0; i < mask.length; i++) {
                    mask[i] &= ~scratch[i];
                }
                return;
            case "gt":
                index.keepRange(name, f.number(), false, null, true, true, mask, cardinality(mask), scratch);
                return;
            case "gte":
                index.keepRange(name, f.number(), true, null, true, true, mask, cardinality(mask), scratch);
                return;
            case "lt":
                index.keepRange(name, null, true, f.number(), false, true, mask, cardinality(mask), scratch);
                return;
            case "lte":
                index.keepRange(name, null, true, f.number(), true, true, mask, cardinality(mask), scratch);
                return;
            default:
                throw new IllegalStateException(f.op());
        }
    }

    /**
     * Positions in result order as segments of the index's presorted arrays (no copying); the caller skips positions not
     * in the mask and stops when the page is full.
     */
    private static List<Segment> order(TypeIndex index, ListQuery query, Lang lang, long[] mask, long[][] inTitle,
                                       boolean isEvents, long now) {
        int n = index.entries.length;
        String sort = query.sort();
        if (sort == null && inTitle != null) {
            // best score first, then default order: only the positions up to the end of the page are ranked
            int[] ranked = Ranking.top(mask, inTitle, (int) Math.min(Integer.MAX_VALUE, (long) query.offset() + query.limit()));
            return List.of(new Segment(ranked, 0, ranked.length, false));
        }
        if (sort == null && isEvents) {
            // upcoming and running events first (soonest to finish first), then undated, then past (latest first)
            int[] asc = index.ascending.getOrDefault(TypeIndex.FINISH, new int[0]);
            double[] keys = index.ascendingKeys.getOrDefault(TypeIndex.FINISH, new double[0]);
            int[] undated = index.missing.getOrDefault(Fields.START_DATE, IDENTITY_EMPTY);
            int boundary = TypeIndex.lowerBound(keys, now, true);
            List<Segment> parts = new ArrayList<>();
            if (!Boolean.TRUE.equals(query.past())) {
                parts.add(new Segment(asc, boundary, asc.length, false));
                parts.add(new Segment(undated, 0, undated.length, false));
            }
            parts.add(new Segment(asc, 0, boundary, true));
            return parts;
        }
        if (sort == null || sort.equals("-lastModified")) {
            return List.of(Segment.all(n, false));
        }
        if (sort.equals("lastModified")) {
            return List.of(Segment.all(n, true));
        }
        boolean desc = sort.startsWith("-");
        String name = desc ? sort.substring(1) : sort;
        if (name.equals(Fields.TITLE)) {
            int[] asc = index.titleAscending.get(lang);
            return List.of(new Segment(asc, 0, asc.length, desc));
        }
        int[] asc = index.ascending.getOrDefault(name, new int[0]);
        int[] none = index.missing.getOrDefault(name, IDENTITY_EMPTY);
        return List.of(new Segment(asc, 0, asc.length, desc), new Segment(none, 0, none.length, false));
    }

    private static final int[] IDENTITY_EMPTY = new int[0];

    /** Part of a presorted array: positions {@code from..to} (exclusive), walked backwards when reversed. */
    record Segment(int[] positions, int from, int to, boolean reversed) {
        /** All positions in default order (or reversed), with no array: {@code positions == null}. */
        static Segment all(int n, boolean reversed) {
            return new Segment(null, 0, n, reversed);
        }

        int size() {
            return Math.max(0, to - from);
        }

        int get(int i) {
            int k = reversed ? to - 1 - i : from + i;
            return positions == null ? k : positions[k];
        }
    }
}
