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
import org.junit.jupiter.api.Test;
import wales.exchange.content.Item;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.index.Entry;
import wales.exchange.delivery.index.Snapshot;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/** The query core on 300 synthetic resources, no repository: filters, facets, sorting, paging, checked by brute force. */
class QueryCoreTest {
    private static final int N = 300;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentType resource = model.get("resource");
    private final List<String> kinds = resource.property("kind").options();
    private final List<Entry> entries = new ArrayList<>();
    private final Delivery delivery;

    QueryCoreTest() {
        for (int i = 0; i < N; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("title", Map.of("en", String.format("Item %03d", (i * 7) % N)));
            v.put("kind", kinds.get(i % kinds.size()));
            v.put("topics", List.of(String.format("t%03d", i % 80)));
            v.put("moderationState", i % 10 == 9 ? "draft" : "published");
            if (i % 3 != 0) {
                v.put("publicationDate", OffsetDateTime.ofInstant(T0.minusSeconds(86_400L * (i % 50)), ZoneOffset.UTC));
            }
            Item item = new Item("resource", String.format("00000000-0000-0000-0000-%012d", i), "/resources/r" + i, "r" + i, 1,
                    OffsetDateTime.ofInstant(T0, ZoneOffset.UTC), "e", OffsetDateTime.ofInstant(T0.plusSeconds(i), ZoneOffset.UTC), "e", v);
            entries.add(new Entry(item, resource));
        }
        delivery = new Delivery(DeliveryIndex.of(Snapshot.of(List.of(resource), entries, 1, 0), List.of(resource)), Clock.systemUTC());
    }

    private Delivery.Page list(Map<String, String> params) {
        Map<String, List<String>> p = new HashMap<>();
        params.forEach((k, v) -> p.put(k, List.of(v)));
        return delivery.list("resource", ListQuery.parse(resource, p, false), Lang.EN, false);
    }

    private long published(java.util.function.Predicate<Entry> where) {
        return entries.stream().filter(e -> e.published).filter(where).count();
    }

    @Test
    void filtersCountWhatABruteForceCounts() {
        assertThat(list(Map.of()).total()).isEqualTo(published(e -> true)).isEqualTo(270);
        assertThat(list(Map.of("kind", "film")).total()).isEqualTo(published(e -> e.item.values().get("kind").equals("film")));
        assertThat(list(Map.of("kind[ne]", "film")).total()).isEqualTo(published(e -> !e.item.values().get("kind").equals("film")));
        assertThat(list(Map.of("kind[in]", "film,report")).total())
                .isEqualTo(published(e -> List.of("film", "report").contains(e.item.values().get("kind"))));
        Instant cut = T0.minusSeconds(86_400L * 10);
        assertThat(list(Map.of("publicationDate[gte]", cut.toString())).total()).isEqualTo(published(e -> {
            Object d = e.item.values().get("publicationDate");
            return d != null && !((OffsetDateTime) d).toInstant().isBefore(cut);
        }));
    }

    @Test
    void facetsCountEveryMatchAndCutFreeValuesAtFifty() {
        Delivery.Page page = list(Map.of("limit", "1"));
        assertThat(page.facets().get("kind").keySet()).containsExactlyElementsOf(kinds); // enumerated: every option, in order
        assertThat(page.facets().get("kind").values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(270);
        Map<String, Integer> topics = page.facets().get("topics");
        assertThat(topics).hasSize(Delivery.MAX_FACET_VALUES);
        List<Integer> counts = new ArrayList<>(topics.values());
        for (int i = 1; i < counts.size(); i++) {
            assertThat(counts.get(i)).isLessThanOrEqualTo(counts.get(i - 1)); // most frequent first
        }
        for (Map.Entry<String, Integer> t : topics.entrySet()) {
            assertThat((long) t.getValue()).isEqualTo(published(e -> e.item.values().get("topics").equals(List.of(t.getKey()))));
        }
    }

    @Test
    void sortingPutsItemsWithoutAValueLastEitherWay() {
        for (String sort : List.of("publicationDate", "-publicationDate")) {
            List<Entry> all = list(Map.of("sort", sort, "limit", "100")).items();
            List<Entry> rest = list(Map.of("sort", sort, "limit", "100", "offset", "100")).items();
            List<Entry> last = list(Map.of("sort", sort, "limit", "100", "offset", "200")).items();
            List<Entry> order = new ArrayList<>(all);
            order.addAll(rest);
            order.addAll(last);
            assertThat(order).hasSize(270).doesNotHaveDuplicates();
            long dated = published(e -> e.item.values().get("publicationDate") != null);
            for (int i = 0; i < order.size(); i++) {
                Object d = order.get(i).item.values().get("publicationDate");
                assertThat(d == null).as("position %d", i).isEqualTo(i >= dated);
                if (i > 0 && d != null) {
                    Instant prev = ((OffsetDateTime) order.get(i - 1).item.values().get("publicationDate")).toInstant();
                    int c = prev.compareTo(((OffsetDateTime) d).toInstant());
                    assertThat(sort.startsWith("-") ? c >= 0 : c <= 0).isTrue();
                }
            }
            assertThat(last).as("the last page is short").hasSize(70);
        }
        assertThat(list(Map.of("offset", "270")).items()).isEmpty();
    }

    @Test
    void defaultOrderIsNewestFirstAndTitleOrderFollowsTheCollation() {
        List<Entry> items = list(Map.of("limit", "100")).items();
        for (int i = 1; i < items.size(); i++) {
            assertThat(items.get(i - 1).lastModified).isAfter(items.get(i).lastModified);
        }
        List<Entry> byTitle = list(Map.of("sort", "title", "limit", "100")).items();
        for (int i = 1; i < byTitle.size(); i++) {
            assertThat(Entry.text(byTitle.get(i - 1).item, "title", Lang.EN)).isLessThan(Entry.text(byTitle.get(i).item, "title", Lang.EN));
        }
    }
}
