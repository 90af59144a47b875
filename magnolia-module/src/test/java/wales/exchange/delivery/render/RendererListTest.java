package wales.exchange.delivery.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import wales.exchange.content.Item;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.index.Entry;
import wales.exchange.delivery.query.Delivery;
import wales.exchange.delivery.query.ListQuery;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;

/**
 * The streamed list rendering ({@link Renderer#list}) is byte for byte what the map rendering ({@link Renderer#json}
 * with {@link Renderer.Shape#SUMMARY}, through Jackson) gives, for synthetic items of every delivered type: texts in
 * one language, the other or neither (fallbacks, languageNote), Welsh letters and characters JSON escapes, sub-models,
 * references to published, unpublished and missing items, events' timeZone, every value type of the model.
 */
class RendererListTest {
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Renderer renderer = new Renderer(mapper, new Messages(), DeliveryConfig.defaults());
    private final Random random = new Random(11);
    private static final String[] WORDS = {"gofal", "maeth", "ŵyr", "ŷd", "caf\u00e9", "\"quoted\"", "back\\slash",
            "tab\there", "line\nbreak", "ctrl\u0001", "emoji \uD83D\uDE00", "<b>", "plain", "Cymraeg", "\u2028sep"};

    @Test
    void streamedListEqualsTheMapRendering() throws Exception {
        Map<String, Entry> all = new HashMap<>();
        Map<String, List<Entry>> byType = new LinkedHashMap<>();
        for (String t : DeliveryConfig.PUBLIC_TYPES) {
            ContentType type = model.get(t);
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                Entry e = new Entry(item(type, t + "-" + i), type);
                entries.add(e);
                all.put(e.id(), e);
            }
            byType.put(t, entries);
        }
        Function<String, Entry> resolve = all::get;
        int compared = 0;
        for (Map.Entry<String, List<Entry>> t : byType.entrySet()) {
            ContentType type = model.get(t.getKey());
            assertThat(renderer.streamable(type)).as("%s is streamed, not rendered through maps", type.name()).isTrue();
            List<Entry> entries = t.getValue();
            for (int from = 0; from < entries.size(); from += 30) {
                List<Entry> page = entries.subList(from, Math.min(entries.size(), from + 30));
                Map<String, Map<String, Integer>> facets = new LinkedHashMap<>();
                facets.put("kind", new LinkedHashMap<>(Map.of("film", 3)));
                facets.put("topics", new LinkedHashMap<>());
                facets.get("topics").put("gofal \"maeth\" ŵ", 12);
                facets.get("topics").put("zero", 0);
                if (from == 60) {
                    facets.get("topics").put("emoji \uD83D\uDE00", 1); // written through a string, unescaped
                }
                ListQuery q = ListQuery.parse(type, Map.of("limit", List.of("30"), "offset", List.of(Integer.toString(from))),
                        type.name().equals("event"));
                Delivery.Page p = new Delivery.Page(entries.size() * 7, page, facets, 5);
                for (Lang lang : Lang.values()) {
                    for (boolean preview : new boolean[] {false, true}) {
                        String got = new String(renderer.list(p, q, lang, preview, resolve).bytes(), StandardCharsets.UTF_8);
                        String want = expected(p, q, lang, preview, resolve);
                        int at = 0;
                        while (at < Math.min(got.length(), want.length()) && got.charAt(at) == want.charAt(at)) {
                            at++;
                        }
                        int from0 = Math.max(0, at - 150);
                        assertThat(got.substring(from0, Math.min(got.length(), at + 100)))
                                .as("%s %s %s from %d: first difference at %d", t.getKey(), lang, preview, from, at)
                                .isEqualTo(want.substring(from0, Math.min(want.length(), at + 100)));
                        assertThat(got).isEqualTo(want);
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(3 * 5 * 4);
    }

    /** The rendering before streaming: a map per item through Jackson, joined into the list's frame. */
    private String expected(Delivery.Page page, ListQuery q, Lang lang, boolean preview, Function<String, Entry> resolve)
            throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"total\":").append(page.total()).append(",\"offset\":").append(q.offset())
                .append(",\"limit\":").append(q.limit()).append(",\"lang\":\"").append(lang.tag())
                .append("\",\"facets\":").append(mapper.writeValueAsString(page.facets())).append(",\"items\":[");
        boolean first = true;
        for (Entry e : page.items()) {
            sb.append(first ? "" : ",");
            first = false;
            // as bytes (a UTF-8 generator: it writes characters outside the BMP as escaped surrogate pairs)
            sb.append(new String(mapper.writeValueAsBytes(renderer.json(e, e.item, lang, Renderer.Shape.SUMMARY, preview, resolve)),
                    StandardCharsets.UTF_8));
        }
        return sb.append("]}").toString();
    }

    @Test
    void handWrittenDatesEqualTheFormatter() {
        List<Instant> instants = new ArrayList<>(List.of(Instant.parse("2024-03-31T00:59:59Z"), Instant.parse("2024-03-31T01:00:00Z"),
                Instant.parse("2024-10-27T00:59:59Z"), Instant.parse("2024-10-27T01:00:00Z"), Instant.parse("1970-01-01T00:00:00Z"),
                Instant.parse("1969-12-31T23:59:59Z"), Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:00:00Z"),
                Instant.parse("1800-06-01T12:00:00Z"), Instant.parse("1847-12-01T00:01:14Z"), Instant.parse("1968-10-27T12:00:00Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-06-01T00:00:00Z")));
        for (int i = 0; i < 20_000; i++) {
            instants.add(Instant.ofEpochSecond(random.nextLong(-6_000_000_000L, 8_000_000_000L)));
        }
        for (Instant i : instants) {
            for (ZoneOffset o : List.of(ZoneOffset.UTC, ZoneOffset.ofHours(1), ZoneOffset.ofHoursMinutes(-5, -30))) {
                OffsetDateTime d = i.atOffset(o);
                assertThat(Dates.iso(d)).as("%s", d).isEqualTo(Dates.slow(d));
            }
        }
    }

    private Item item(ContentType type, String id) {
        Map<String, Object> values = new HashMap<>();
        for (PropertyDef p : type.properties()) {
            if (random.nextInt(8) == 0) {
                continue; // no value
            }
            Object v = p.type() == PropertyType.SUB_MODEL ? parts(type, p) : value(type, p);
            if (v != null) {
                values.put(p.name(), v);
            }
        }
        values.put(ContentModel.MODERATION_STATE, random.nextInt(4) == 0 ? "draft" : ContentModel.PUBLISHED);
        if (random.nextBoolean()) {
            values.put("originalLanguage", random.nextBoolean() ? "en" : "cy");
        }
        OffsetDateTime created = random.nextInt(10) == 0 ? null : date();
        return new Item(type.name(), id, "/x/" + id, "name-" + id + (random.nextBoolean() ? "-ŵ" : ""), random.nextInt(9),
                created, "editor", date(), "editor", values);
    }

    private List<Object> parts(ContentType type, PropertyDef p) {
        List<Object> parts = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            Map<String, Object> part = new HashMap<>();
            for (PropertyDef sp : type.subModel(p.target()).properties()) {
                Object v = random.nextInt(5) == 0 ? null : value(type, sp);
                if (v != null) {
                    part.put(sp.name(), v);
                }
            }
            parts.add(part);
        }
        return parts;
    }

    private Object value(ContentType type, PropertyDef p) {
        if (p.multiple() && p.type() != PropertyType.REFERENCE) {
            List<Object> l = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                l.add(single(type, p));
            }
            return l;
        }
        return single(type, p);
    }

    private Object single(ContentType type, PropertyDef p) {
        if (p.i18n()) {
            Map<String, Object> texts = new HashMap<>();
            int which = random.nextInt(4); // both, English, Welsh, neither (an empty map)
            if (which == 0 || which == 1) {
                texts.put("en", text());
            }
            if (which == 0 || which == 2) {
                texts.put("cy", text());
            }
            return texts;
        }
        return switch (p.type()) {
            case BOOLEAN -> random.nextBoolean();
            case LONG -> random.nextLong();
            case DOUBLE -> random.nextDouble() * 1000;
            case DECIMAL -> new BigDecimal(random.nextInt(100000)).movePointLeft(2);
            case DATE -> date();
            case REFERENCE -> {
                List<Object> ids = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    // an earlier item of the referenced type (published or not), or one that does not exist
                    ids.add(random.nextInt(5) == 0 ? "missing-" + i : p.target() + "-" + random.nextInt(150));
                }
                yield p.multiple() ? ids : ids.isEmpty() ? "missing" : ids.get(0);
            }
            default -> p.enumerated() ? p.options().get(random.nextInt(p.options().size())) : text();
        };
    }

    private String text() {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(6) + 1; i > 0; i--) {
            sb.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return sb.toString().strip();
    }

    private OffsetDateTime date() {
        return Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L)).atOffset(random.nextBoolean() ? ZoneOffset.UTC : ZoneOffset.ofHours(2));
    }
}
