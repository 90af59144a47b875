package wales.exchange.delivery.query;

import wales.exchange.delivery.Exchange;
import wales.exchange.delivery.index.TextIndex;
import wales.exchange.model.Fields;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.index.Entry;
import wales.exchange.delivery.index.Snapshot;
import wales.exchange.delivery.index.TypeIndex;
import wales.exchange.delivery.index.ValueSets;
import wales.exchange.i18n.Lang;
import wales.exchange.model.PropertyDef;

/**
 * The list query as it was before facets were counted from a forward index and pages ranked (the code of 2026-11):
 * bitsets per filter, every value of every facet counted over the inverted sets, the walk along the sort order. The
 * reference the faster {@link Delivery} is compared with in {@link ListQueryReferenceTest}; never used by the server.
 */
final class ReferenceDelivery {
    static final int MAX_FACET_VALUES = 50;
    private final DeliveryIndex index;
    private final Clock clock;

    ReferenceDelivery(DeliveryIndex index, @Exchange Clock clock) {
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
        Snapshot snapshot = this.index.current();
        long generation = snapshot.generation();
        TypeIndex index = snapshot.index(type);
        int n = index.entries.length;
        BitSet mask = new BitSet(n);
        if (preview) {
            mask.set(0, n);
        } else {
            mask.or(index.published);
        }
        for (ListQuery.Filter f : query.filters()) {
            mask.and(filterBits(index, preview ? f : publicValues(snapshot, f), n));
        }
        boolean isEvents = Fields.isEvent(index.type);
        if (datedOnly && isEvents) {
            mask.and(index.range(Fields.START_DATE, null, true, null, true));
        }
        long now = clock.millis();
        if (query.from() != null || query.to() != null) {
            mask.and(index.range(Fields.START_DATE, query.from() == null ? null : (double) query.from().toEpochMilli(), true,
                    query.to() == null ? null : (double) query.to().toEpochMilli(), false));
        }
        if (query.past() != null) {
            BitSet before = index.range(TypeIndex.FINISH, null, true, (double) now, false);
            if (query.past()) {
                mask.and(before);
            } else {
                mask.andNot(before);
            }
        }
        int[] scores = null;
        if (query.q() != null) {
            // every word must be in the text (any of its forms); a word in the title counts 3, elsewhere 1
            int[][] words = TextIndex.query(query.q(), lang);
            if (words.length == 0) {
                mask.clear();
            }
            BitSet[] inTitle = new BitSet[words.length];
            for (int w = 0; w < words.length; w++) {
                mask.and(index.withAnyForm(lang, false, words[w]));
                inTitle[w] = index.withAnyForm(lang, true, words[w]);
            }
            if (query.sort() == null) {
                scores = new int[n];
                for (int i = mask.nextSetBit(0); i >= 0; i = mask.nextSetBit(i + 1)) {
                    int score = 0;
                    for (BitSet t : inTitle) {
                        score += t.get(i) ? 3 : 1;
                    }
                    scores[i] = score;
                }
            }
        }
        int total = mask.cardinality();
        Map<String, Map<String, Integer>> facets = facets(index, mask);
        List<Entry> page = new ArrayList<>();
        int skip = query.offset();
        walk:
        for (Segment seg : order(index, query, lang, mask, scores, isEvents, now)) {
            for (int i = 0; i < seg.size(); i++) {
                int pos = seg.get(i);
                if (!mask.get(pos)) {
                    continue;
                }
                if (skip > 0) {
                    skip--;
                    continue;
                }
                page.add(index.entries[pos]);
                if (page.size() == query.limit()) {
                    break walk;
                }
            }
        }
        return new Page(total, page, facets, generation);
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

    private static BitSet filterBits(TypeIndex index, ListQuery.Filter f, int n) {
        String name = f.property().name();
        ValueSets byValue = index.values.getOrDefault(name, ValueSets.EMPTY_SETS);
        BitSet out = new BitSet(n);
        switch (f.op()) {
            case "eq":
            case "in":
                for (String v : f.values()) {
                    byValue.or(v, out);
                }
                return out;
            case "ne":
                byValue.or(f.values().get(0), out);
                out.flip(0, n);
                return out;
            case "gt":
                return index.range(name, f.number(), false, null, true);
            case "gte":
                return index.range(name, f.number(), true, null, true);
            case "lt":
                return index.range(name, null, true, f.number(), false);
            case "lte":
                return index.range(name, null, true, f.number(), true);
            default:
                throw new IllegalStateException(f.op());
        }
    }

    private static Map<String, Map<String, Integer>> facets(TypeIndex index, BitSet mask) {
        long[] m = mask.toLongArray();
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (PropertyDef p : index.type.properties()) {
            if (!TypeIndex.filterable(p) || !(p.enumerated() || p.facet())
                    || p.name().equals(wales.exchange.model.ContentModel.MODERATION_STATE)) {
                continue;
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String option : p.options()) {
                counts.put(option, 0);
            }
            ValueSets sets = index.values.getOrDefault(p.name(), ValueSets.EMPTY_SETS);
            for (String v : sets.values()) {
                int c = sets.count(v, m);
                if (c > 0 || p.enumerated()) {
                    counts.put(v, c);
                }
            }
            if (!p.enumerated()) {
                counts = counts.entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .limit(MAX_FACET_VALUES)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
            }
            out.put(p.name(), counts);
        }
        return out;
    }

    /**
     * Positions in result order as segments of the index's presorted arrays (no copying); the caller skips positions not
     * in the mask and stops when the page is full.
     */
    private static List<Segment> order(TypeIndex index, ListQuery query, Lang lang, BitSet mask, int[] scores,
                                       boolean isEvents, long now) {
        int n = index.entries.length;
        String sort = query.sort();
        if (sort == null && scores != null) {
            // best score first, then default order: scores are small integers, so a counting sort
            int max = 0;
            for (int i = mask.nextSetBit(0); i >= 0; i = mask.nextSetBit(i + 1)) {
                max = Math.max(max, scores[i]);
            }
            int[] start = new int[max + 2];
            for (int i = mask.nextSetBit(0); i >= 0; i = mask.nextSetBit(i + 1)) {
                start[max - scores[i] + 1]++;
            }
            for (int b = 1; b < start.length; b++) {
                start[b] += start[b - 1];
            }
            int[] ranked = new int[mask.cardinality()];
            for (int i = mask.nextSetBit(0); i >= 0; i = mask.nextSetBit(i + 1)) {
                ranked[start[max - scores[i]]++] = i;
            }
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
