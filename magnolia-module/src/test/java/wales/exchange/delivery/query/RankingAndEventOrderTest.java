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
import wales.exchange.model.Fields;
import wales.exchange.model.ModelLoader;

/** Search ranking (ties included) and the events' upcoming/past order, on synthetic entries with a fixed clock. */
class RankingAndEventOrderTest {
    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());

    private static Entry entry(ContentType type, int n, Map<String, Object> values) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.put(Fields.MODERATION_STATE, "published");
        OffsetDateTime created = OffsetDateTime.ofInstant(NOW.minusSeconds(86_400), ZoneOffset.UTC);
        // the higher n, the more recently modified: default order is n descending
        Item item = new Item(type.name(), String.format("00000000-0000-0000-0000-%012d", n), "/x/i" + n, "i" + n, 1, created, "e",
                OffsetDateTime.ofInstant(NOW.minusSeconds(3_600L - n), ZoneOffset.UTC), "e", v);
        return new Entry(item, type);
    }

    private static Delivery delivery(ContentType type, List<Entry> entries) {
        return new Delivery(DeliveryIndex.of(Snapshot.of(List.of(type), entries, 1, 0), List.of(type)),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static List<Integer> order(Delivery d, ContentType type, Map<String, String> params) {
        Map<String, List<String>> p = new HashMap<>();
        params.forEach((k, v) -> p.put(k, List.of(v)));
        List<Integer> out = new ArrayList<>();
        for (Entry e : d.list(type.name(), ListQuery.parse(type, p, Fields.isEvent(type)), Lang.EN, false).items()) {
            out.add(Integer.parseInt(e.id().substring(e.id().lastIndexOf('-') + 1)));
        }
        return out;
    }

    @Test
    void titleMatchesRankFirstAndTiesKeepTheDefaultOrder() {
        ContentType resource = model.get("resource");
        List<Entry> entries = List.of(
                entry(resource, 1, Map.of("title", Map.of("en", "Foster care homes"), "kind", "report")),
                entry(resource, 2, Map.of("title", Map.of("en", "Schools"), "summary", Map.of("en", "About foster care"), "kind", "report")),
                entry(resource, 3, Map.of("title", Map.of("en", "Care in Wales"), "summary", Map.of("en", "foster families"), "kind", "report")),
                entry(resource, 4, Map.of("title", Map.of("en", "Foster care today"), "kind", "report")),
                entry(resource, 5, Map.of("title", Map.of("en", "Unrelated"), "kind", "report")),
                entry(resource, 6, Map.of("title", Map.of("en", "Teachers"), "summary", Map.of("en", "foster care at school"), "kind", "report")));
        Delivery d = delivery(resource, entries);
        // both words in the title (3 + 3) first, then one in the title (3 + 1), then none (1 + 1); ties newest first
        assertThat(order(d, resource, Map.of("q", "foster care"))).containsExactly(4, 1, 3, 6, 2);
        // an explicit sort wins over relevance
        assertThat(order(d, resource, Map.of("q", "foster care", "sort", "lastModified"))).containsExactly(1, 2, 3, 4, 6);
    }

    @Test
    void upcomingAndRunningEventsComeFirstThenUndatedThenPastLatestFirst() {
        ContentType event = model.get("event");
        List<Entry> entries = new ArrayList<>();
        Map<Integer, long[]> days = Map.of( // n → start, end in days from now (no end: -999)
                1, new long[] {-30, -999}, // past
                2, new long[] {-2, 3},     // running, ends in 3 days
                3, new long[] {10, -999},  // upcoming in 10 days
                4, new long[] {1, -999},   // upcoming tomorrow
                5, new long[] {-5, -999},  // past, more recent than 1
                6, new long[] {-1, 1});    // running, ends tomorrow
        days.forEach((n, d) -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("title", Map.of("en", "Event " + n));
            v.put(Fields.START_DATE, OffsetDateTime.ofInstant(NOW.plusSeconds(86_400L * d[0]), ZoneOffset.UTC));
            if (d[1] != -999) {
                v.put(Fields.END_DATE, OffsetDateTime.ofInstant(NOW.plusSeconds(86_400L * d[1]), ZoneOffset.UTC));
            }
            entries.add(entry(event, n, v));
        });
        entries.add(entry(event, 7, Map.of("title", Map.of("en", "Undated"))));
        Delivery d = delivery(event, entries);
        // soonest to finish first (running ones by their end), then undated, then past latest first
        assertThat(order(d, event, Map.of())).containsExactly(6, 4, 2, 3, 7, 5, 1);
        assertThat(order(d, event, Map.of("past", "true"))).containsExactly(5, 1);
        assertThat(order(d, event, Map.of("past", "false"))).containsExactly(6, 4, 2, 3, 7);
        assertThat(order(d, event, Map.of("from", NOW.plusSeconds(86_400L * 5).toString()))).containsExactly(3);
    }
}
