package wales.exchange.delivery.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import wales.exchange.content.Item;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.index.Entry;
import wales.exchange.delivery.index.FacetIndex;
import wales.exchange.delivery.index.Snapshot;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/**
 * The list query (facets counted by the forward index or the inverted sets, pages by walking the order or ranking the
 * matches) against {@link ReferenceDelivery}, the straightforward code it replaced, on a few hundred synthetic
 * resources and events with seeded random filters: totals, pages, and facets with their order, including the cut-off
 * at {@link Delivery#MAX_FACET_VALUES} with ties and the empty and full masks, facets of 3 to 70 values (every width
 * of the forward index). No repository.
 */
class ListQueryReferenceTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final int RESOURCES = 400;
    private static final int EVENTS = 300;
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentType resource = model.get("resource");
    private final ContentType event = model.get("event");
    private final List<String> kinds = resource.property("kind").options();
    private final List<String> audiences = resource.property("audiences").options();
    private final List<String> states = resource.property("moderationState").options();
    private final Snapshot snapshot;
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Delivery delivery;
    private final ReferenceDelivery reference;

    ListQueryReferenceTest() {
        Random r = new Random(20261201);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < RESOURCES; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("title", Map.of("en", "Resource " + r.nextInt(1000), "cy", "Adnodd " + r.nextInt(1000)));
            v.put("kind", kinds.get(r.nextInt(kinds.size())));
            if (r.nextInt(5) > 0) {
                v.put("audiences", pick(r, audiences, 1 + r.nextInt(3)));
            }
            // 70 topics, a few of them common: more than fifty values with counts, ties among the rare ones
            List<String> topics = new ArrayList<>();
            for (int t = r.nextInt(4); t > 0; t--) {
                String topic = r.nextBoolean() ? "common-" + r.nextInt(4) : String.format("topic-%02d", r.nextInt(66));
                if (!topics.contains(topic)) {
                    topics.add(topic);
                }
            }
            if (!topics.isEmpty()) {
                v.put("topics", topics);
            }
            if (r.nextInt(4) > 0) {
                v.put("originalLanguage", r.nextBoolean() ? "en" : "cy");
            }
            if (r.nextInt(3) > 0) {
                v.put("publisher", "Publisher " + r.nextInt(30));
            }
            if (r.nextInt(3) > 0) {
                v.put("publicationDate", at(NOW.minusSeconds(86_400L * r.nextInt(400))));
            }
            v.put("moderationState", r.nextInt(5) == 0 ? states.get(r.nextInt(states.size())) : ContentModel.PUBLISHED);
            entries.add(entry(resource, "a", i, v, r));
        }
        for (int i = 0; i < EVENTS; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("title", Map.of("en", "Event " + r.nextInt(1000)));
            v.put("status", event.property("status").options().get(r.nextInt(5)));
            v.put("attendanceMode", event.property("attendanceMode").options().get(r.nextInt(3)));
            // a facet of 40 values and one of 25: the forward index's widest and middle per-position bit sets
            v.put("series", "series-" + r.nextInt(40));
            v.put("topics", List.of("t" + r.nextInt(25), "t" + (25 + r.nextInt(5)) % 25).stream().distinct().toList());
            if (r.nextInt(5) > 0) {
                Instant start = NOW.plusSeconds(3_600L * (r.nextInt(2_000) - 1_000));
                v.put("startDate", at(start));
                if (r.nextBoolean()) {
                    v.put("endDate", at(start.plusSeconds(3_600L * r.nextInt(72))));
                }
            }
            v.put("moderationState", r.nextInt(5) == 0 ? "draft" : ContentModel.PUBLISHED);
            entries.add(entry(event, "b", i, v, r));
        }
        snapshot = Snapshot.of(List.of(resource, event), entries, 1, 0);
        DeliveryIndex index = DeliveryIndex.of(snapshot, List.of(resource, event));
        delivery = new Delivery(index, clock);
        reference = new ReferenceDelivery(index, clock);
    }

    private static List<String> pick(Random r, List<String> from, int k) {
        List<String> out = new ArrayList<>();
        while (out.size() < k) {
            String s = from.get(r.nextInt(from.size()));
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static OffsetDateTime at(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Entry entry(ContentType type, String prefix, int i, Map<String, Object> v, Random r) {
        String id = String.format("00000000-0000-0000-000%s-%012d", prefix, i);
        // a few equal lastModified values: ties in the default order are broken by id
        OffsetDateTime modified = at(NOW.minusSeconds(60L * r.nextInt(200)));
        return new Entry(new Item(type.name(), id, "/" + type.name() + "/" + i, type.name() + i, 1, modified, "e", modified, "e", v), type);
    }

    private static final List<String> SORTS = List.of("", "title", "-title", "publisher", "-publisher", "publicationDate",
            "-publicationDate", "lastModified", "-lastModified");

    private Map<String, List<String>> randomResourceQuery(Random r) {
        Map<String, List<String>> p = new HashMap<>();
        int filters = r.nextInt(4);
        for (int f = 0; f < filters; f++) {
            switch (r.nextInt(7)) {
                case 0 -> p.put("kind", List.of(kinds.get(r.nextInt(kinds.size()))));
                case 1 -> p.put("kind[in]", List.of(String.join(",", pick(r, kinds, 2 + r.nextInt(3)))));
                case 2 -> p.put("audiences", List.of(audiences.get(r.nextInt(audiences.size()))));
                case 3 -> p.put("topics", List.of(r.nextBoolean() ? "common-" + r.nextInt(5) : String.format("topic-%02d", r.nextInt(70))));
                case 4 -> p.put("originalLanguage[ne]", List.of(r.nextBoolean() ? "en" : "cy"));
                case 5 -> p.put(r.nextBoolean() ? "publicationDate[gte]" : "publicationDate[lt]",
                        List.of(NOW.minusSeconds(86_400L * r.nextInt(400)).toString()));
                default -> p.put("topics", List.of("no-such-topic"));
            }
        }
        String sort = SORTS.get(r.nextInt(SORTS.size()));
        if (!sort.isEmpty()) {
            p.put("sort", List.of(sort));
        }
        p.put("limit", List.of(String.valueOf(1 + r.nextInt(20))));
        if (r.nextBoolean()) {
            p.put("offset", List.of(String.valueOf(r.nextInt(80))));
        }
        return p;
    }

    private Map<String, List<String>> randomEventQuery(Random r) {
        Map<String, List<String>> p = new HashMap<>();
        if (r.nextBoolean()) {
            p.put("attendanceMode", List.of(event.property("attendanceMode").options().get(r.nextInt(3))));
        }
        if (r.nextInt(3) == 0) {
            p.put("series[in]", List.of("series-" + r.nextInt(40) + ",series-" + r.nextInt(40)));
        }
        switch (r.nextInt(4)) {
            case 0 -> p.put("past", List.of("true"));
            case 1 -> p.put("past", List.of("false"));
            case 2 -> {
                p.put("from", List.of(NOW.minusSeconds(3_600L * r.nextInt(1_000)).toString()));
                if (r.nextBoolean()) {
                    p.put("to", List.of(NOW.plusSeconds(3_600L * r.nextInt(1_000)).toString()));
                }
            }
            default -> { }
        }
        if (r.nextInt(3) == 0) {
            p.put("sort", List.of(r.nextBoolean() ? "startDate" : "-title"));
        }
        p.put("limit", List.of(String.valueOf(1 + r.nextInt(20))));
        if (r.nextBoolean()) {
            p.put("offset", List.of(String.valueOf(r.nextInt(60))));
        }
        return p;
    }

    /** Every strategy of counting and paging gives the reference's answer, facets in the same order. */
    private void assertSame(ContentType type, Map<String, List<String>> params, boolean preview, boolean datedOnly) {
        ListQuery q = ListQuery.parse(type, params, type == event);
        ReferenceDelivery.Page ref = reference.list(type.name(), q, Lang.CY, preview, datedOnly);
        for (FacetIndex.Strategy s : FacetIndex.Strategy.values()) {
            for (Delivery.Walk w : Delivery.Walk.values()) {
                Delivery.Page got = delivery.list(type.name(), q, Lang.CY, preview, datedOnly, s, w);
                String where = params + " preview=" + preview + " datedOnly=" + datedOnly + " " + s + "/" + w;
                assertThat(got.total()).as(where).isEqualTo(ref.total());
                assertThat(got.items().stream().map(Entry::id).toList()).as(where)
                        .containsExactlyElementsOf(ref.items().stream().map(Entry::id).toList());
                assertThat(flat(got.facets())).as(where).containsExactlyElementsOf(flat(ref.facets()));
            }
        }
    }

    /** The facets as an ordered list of property/value=count strings: order matters. */
    private static List<String> flat(Map<String, Map<String, Integer>> facets) {
        List<String> out = new ArrayList<>();
        facets.forEach((p, m) -> m.forEach((v, c) -> out.add(p + "/" + v + "=" + c)));
        return out;
    }

    @Test
    void randomResourceQueriesAnswerAsTheReference() {
        Random r = new Random(11);
        for (int i = 0; i < 300; i++) {
            assertSame(resource, randomResourceQuery(r), r.nextInt(4) == 0, false);
        }
    }

    @Test
    void randomEventQueriesAnswerAsTheReference() {
        Random r = new Random(12);
        for (int i = 0; i < 200; i++) {
            assertSame(event, randomEventQuery(r), r.nextInt(4) == 0, r.nextInt(3) == 0);
        }
    }

    @Test
    void fullAndEmptyMasksAndTheCutOffAnswerAsTheReference() {
        for (boolean preview : new boolean[] {false, true}) {
            assertSame(resource, Map.of(), preview, false); // the full mask: the shared unfiltered counts
            assertSame(resource, Map.of("sort", List.of("publisher"), "offset", List.of("390")), preview, false);
            assertSame(resource, Map.of("topics", List.of("no-such-topic")), preview, false); // the empty mask
            assertSame(event, Map.of(), preview, true);
            assertSame(event, Map.of("past", List.of("true"), "sort", List.of("-title")), preview, false);
        }
        // the unfiltered topics are cut at fifty with ties among the rare ones: the cut-off itself is compared
        Map<String, Integer> topics = delivery.list(resource.name(), ListQuery.parse(resource, Map.of(), false), Lang.EN, false)
                .facets().get("topics");
        assertThat(topics).hasSize(Delivery.MAX_FACET_VALUES);
        assertThat(topics.values().stream().distinct().count()).isLessThan(topics.size());
    }

    /** {@code filters} with its parameters in a random order and the values of each {@code in} shuffled. */
    private static Map<String, List<String>> respelt(Map<String, List<String>> filters, Random r) {
        List<String> names = new ArrayList<>(filters.keySet());
        java.util.Collections.shuffle(names, r);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : names) {
            String value = filters.get(name).get(0);
            if (name.endsWith("[in]")) {
                List<String> values = new ArrayList<>(List.of(value.split(",")));
                java.util.Collections.shuffle(values, r);
                value = String.join(",", values);
            }
            out.put(name, List.of(value));
        }
        return out;
    }

    /**
     * The totals, facets and first places cached by what decides them ({@code QueryCache}) answer as the reference in
     * every sort, page and language, and whatever the order of the filters and of their values: each filter set is
     * counted once, then every list of it shares the same counts (the same object); pages of the same order, near or
     * beyond the places kept ({@link Delivery#PREFIX}), come from them or make them longer.
     */
    @Test
    void cachedCountsAnswerAsTheReferenceInEverySortPageLanguageAndOrderOfFilters() {
        Random r = new Random(13);
        int shared = 0;
        for (int i = 0; i < 240; i++) {
            boolean events = i % 3 == 2;
            ContentType type = events ? event : resource;
            Map<String, List<String>> filters = new HashMap<>(events ? randomEventQuery(r) : randomResourceQuery(r));
            filters.keySet().removeAll(List.of("sort", "limit", "offset", "past")); // past: by the clock, not cached
            boolean preview = r.nextInt(4) == 0;
            boolean datedOnly = events && r.nextBoolean();
            Map<String, Map<String, Integer>> first = null;
            // two sorts per filter set, so that most orders are asked again, on other pages
            List<String> sorts = events ? List.of("", "startDate", "-title") : SORTS;
            List<String> two = List.of(sorts.get(r.nextInt(sorts.size())), sorts.get(r.nextInt(sorts.size())));
            for (int v = 0; v < 6; v++) {
                Map<String, List<String>> params = respelt(filters, r);
                String sort = two.get(r.nextInt(2));
                if (!sort.isEmpty()) {
                    params.put("sort", List.of(sort));
                }
                params.put("limit", List.of(String.valueOf(1 + r.nextInt(20))));
                params.put("offset", List.of(String.valueOf(r.nextInt(5) == 0 ? 80 + r.nextInt(100) : r.nextInt(60))));
                ListQuery q = ListQuery.parse(type, params, events);
                Lang lang = r.nextBoolean() ? Lang.EN : Lang.CY;
                Delivery.Page got = delivery.list(type.name(), q, lang, preview, datedOnly);
                ReferenceDelivery.Page ref = reference.list(type.name(), q, lang, preview, datedOnly);
                String where = params + " preview=" + preview + " datedOnly=" + datedOnly + " " + lang;
                assertThat(got.total()).as(where).isEqualTo(ref.total());
                assertThat(got.items().stream().map(Entry::id).toList()).as(where)
                        .containsExactlyElementsOf(ref.items().stream().map(Entry::id).toList());
                assertThat(flat(got.facets())).as(where).containsExactlyElementsOf(flat(ref.facets()));
                if (first == null) {
                    first = got.facets();
                } else {
                    assertThat(got.facets()).as(where + ": the counts of the first spelling").isSameAs(first);
                    shared++;
                }
            }
        }
        assertThat(shared).isEqualTo(240 * 5);
        assertThat(snapshot.index("resource").counted.size()).as("one entry per filter set asked at most").isBetween(1, 160);
        assertThat(snapshot.index("resource").pages.size()).as("one per filter set and order at most").isBetween(1, 2 * 160);
    }

    /**
     * A change makes a new snapshot whose changed type has a new index, hence no counts yet: it never answers with the
     * counts cached under the old one, which still answers with its own; an untouched type keeps its index and counts.
     */
    @Test
    void aNewSnapshotNeverAnswersWithTheCountsOfTheOldOne() {
        ListQuery q = ListQuery.parse(resource, Map.of("audiences", List.of(audiences.get(0)), "sort", List.of("title")), false);
        ListQuery eventQuery = ListQuery.parse(event, Map.of("attendanceMode", List.of("online")), true);
        Delivery.Page before = delivery.list(resource.name(), q, Lang.EN, false);
        Delivery.Page eventsBefore = delivery.list(event.name(), eventQuery, Lang.EN, false);
        assertThat(delivery.list(resource.name(), q, Lang.EN, false).facets()).as("cached").isSameAs(before.facets());
        // every published resource of the first kind becomes one of the second kind with the first audience
        List<Snapshot.Refresh> refreshes = new ArrayList<>();
        for (Entry e : snapshot.index(resource.name()).entries) {
            if (e.published && kinds.get(0).equals(e.item.values().get("kind"))) {
                Map<String, Object> v = new LinkedHashMap<>(e.item.values());
                v.put("kind", kinds.get(1));
                v.put("audiences", List.of(audiences.get(0)));
                Item i = e.item;
                Item changed = new Item(i.type(), i.id(), i.path(), i.name(), i.revision() + 1, i.created(), i.createdBy(),
                        i.lastModified(), i.lastModifiedBy(), v);
                refreshes.add(new Snapshot.Refresh(i.path(), List.of(new Entry(changed, resource))));
            }
        }
        assertThat(refreshes).isNotEmpty();
        Snapshot next = snapshot.apply(refreshes, NOW, 1);
        DeliveryIndex nextIndex = DeliveryIndex.of(next, List.of(resource, event));
        Delivery.Page after = new Delivery(nextIndex, clock).list(resource.name(), q, Lang.EN, false);
        ReferenceDelivery.Page ref = new ReferenceDelivery(nextIndex, clock).list(resource.name(), q, Lang.EN, false);
        assertThat(after.total()).isEqualTo(ref.total()).isGreaterThan(before.total());
        assertThat(flat(after.facets())).containsExactlyElementsOf(flat(ref.facets()));
        assertThat(after.facets().get("kind").get(kinds.get(0))).isZero();
        assertThat(before.facets().get("kind").get(kinds.get(0))).isPositive();
        assertThat(delivery.list(resource.name(), q, Lang.EN, false).facets()).as("the old snapshot's own").isSameAs(before.facets());
        assertThat(next.index(event.name())).isSameAs(snapshot.index(event.name()));
        Delivery.Page eventsAfter = new Delivery(nextIndex, clock).list(event.name(), eventQuery, Lang.EN, false);
        assertThat(eventsAfter.facets()).isSameAs(eventsBefore.facets());
        assertThat(flat(eventsAfter.facets())).containsExactlyElementsOf(
                flat(new ReferenceDelivery(nextIndex, clock).list(event.name(), eventQuery, Lang.EN, false).facets()));
    }

    /**
     * A deep page (offsets go to {@link ListQuery#MAX_OFFSET}) answers as the reference, and its order is kept for its
     * first {@link Delivery#PREFIX} places only, which the first pages then read: a kept order of every place up to the
     * page (10,100 at most) would make the 8,192 orders of a type hold up to 330 MB.
     */
    @Test
    void aDeepPageKeepsOnlyTheFirstPlacesOfItsOrder() {
        ListQuery deep = ListQuery.parse(resource, Map.of("sort", List.of("title"), "offset", List.of("200")), false);
        Delivery.Page got = delivery.list(resource.name(), deep, Lang.EN, false);
        assertThat(got.items()).isNotEmpty();
        assertThat(got.items().stream().map(Entry::id).toList()).containsExactlyElementsOf(
                reference.list(resource.name(), deep, Lang.EN, false).items().stream().map(Entry::id).toList());
        int[] kept = snapshot.index(resource.name()).pages.get(
                Delivery.PageKey.of(Delivery.MatchKey.of(List.of(), false, false, null, null), "title", Lang.EN));
        assertThat(kept).hasSize(Delivery.PREFIX);
        ListQuery near = ListQuery.parse(resource, Map.of("sort", List.of("title"), "offset", List.of("80")), false);
        assertThat(delivery.list(resource.name(), near, Lang.EN, false).items().stream().map(Entry::id).toList())
                .containsExactlyElementsOf(reference.list(resource.name(), near, Lang.EN, false).items().stream()
                        .map(Entry::id).toList());
        assertThat(snapshot.index(resource.name()).pages.get(
                Delivery.PageKey.of(Delivery.MatchKey.of(List.of(), false, false, null, null), "title", Lang.EN)))
                .as("read, not made again").isSameAs(kept);
    }

    /**
     * A list whose filters have many or long values answers as the reference and is not kept: the 12,288 keys of a
     * type's caches would otherwise each hold up to a request target's worth of values (8 KiB: hundreds of strings).
     */
    @Test
    void aListWithManyOrLongFilterValuesIsNotKept() {
        List<String> many = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
            many.add(String.format("topic-%02d", t));
        }
        String longValue = "x".repeat(300);
        for (Map<String, List<String>> params : List.of(Map.of("topics[in]", List.of(String.join(",", many))),
                Map.of("topics[ne]", List.of(longValue), "publisher", List.of(longValue)))) {
            ListQuery q = ListQuery.parse(resource, params, false);
            Delivery.Page got = delivery.list(resource.name(), q, Lang.EN, false);
            ReferenceDelivery.Page ref = reference.list(resource.name(), q, Lang.EN, false);
            assertThat(got.total()).isEqualTo(ref.total());
            assertThat(flat(got.facets())).containsExactlyElementsOf(flat(ref.facets()));
            assertThat(got.items().stream().map(Entry::id).toList())
                    .containsExactlyElementsOf(ref.items().stream().map(Entry::id).toList());
        }
        assertThat(snapshot.index(resource.name()).counted.size()).as("counts kept").isZero();
        assertThat(snapshot.index(resource.name()).pages.size()).as("orders kept").isZero();
        // a list of a few short values is kept
        delivery.list(resource.name(), ListQuery.parse(resource, Map.of("topics[in]", List.of(String.join(",",
                many.subList(0, 4)))), false), Lang.EN, false);
        assertThat(snapshot.index(resource.name()).counted.size()).isEqualTo(1);
        assertThat(snapshot.index(resource.name()).pages.size()).isEqualTo(1);
    }
}
