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
import wales.exchange.delivery.index.Utf8Text;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.Fields;
import wales.exchange.model.ModelLoader;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;

/**
 * {@link ItemWriter} writes the same bytes (and so the same strong ETag) as the renderer's map tree serialised by the
 * mapper, {@code Renderer.json} with {@code Shape.FULL}, which item answers were before: over a few hundred synthetic
 * resources, events and case studies in both languages, public and preview, with missing translations (fallbacks, in
 * sub-models too), items written in Welsh, rich text, speakers, references to published, draft and missing items,
 * characters JSON must escape, and values of the odd types the mapper writes (numbers, decimals, dates in lists); rich
 * text given as it is stored ({@link Utf8Text}, UTF-8 bytes) or as Strings.
 */
class ItemWriterTest {
    private static final Instant T0 = Instant.parse("2026-03-29T00:30:00Z"); // the spring change to BST
    private static final String[] WORDS = {"gofal", "maeth", "plant", "ysgol", "ŵyr", "llŷn", "café", "naïve", "\"quoted\"",
        "back\\slash", "<b>bold</b>", "a&b", "tab\there", "line\nbreak", "\u2028", "\u0001", "emoji \uD83D\uDE00", "/slash/",
        "Cymraeg", "care", "foster", "ŷ â ê î ô û"};
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentType resource = model.get("resource");
    private final ContentType event = model.get("event");
    private final ContentType caseStudy = model.get("caseStudy");
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Messages messages = new Messages();
    private final DeliveryConfig config = DeliveryConfig.defaults();
    private final Renderer renderer = new Renderer(mapper, messages, config);
    private final ItemWriter writer = new ItemWriter(mapper, messages, config);

    private static String words(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    /** An i18n value: both languages, only one, or (rarely) neither. */
    private static Map<String, Object> texts(Random r, int n) {
        Map<String, Object> m = new HashMap<>();
        int pick = r.nextInt(10);
        if (pick != 1 && pick != 9) {
            m.put("en", words(r, n));
        }
        if (pick != 2 && pick != 9) {
            m.put("cy", words(r, n));
        }
        return m;
    }

    private static OffsetDateTime date(Random r) {
        return OffsetDateTime.ofInstant(T0.plusSeconds(r.nextInt(400 * 86400) - 200 * 86400L), ZoneOffset.ofHours(r.nextInt(3) - 1));
    }

    private static Item item(String type, int i, Random r, Map<String, Object> v) {
        v.put(ContentModel.MODERATION_STATE, i % 5 == 0 ? "draft" : ContentModel.PUBLISHED);
        v.values().removeIf(x -> x instanceof Map<?, ?> m && m.isEmpty() && r.nextBoolean());
        return new Item(type, String.format("00000000-0000-0000-0000-%012d", i), "/" + type + "/x" + i, "x-" + i + "-" + type,
                1 + r.nextInt(9), date(r), "editor", date(r), "editor", v);
    }

    private Item resourceItem(int i, Random r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(Fields.TITLE, texts(r, 4));
        v.put(Fields.SUMMARY, texts(r, 12));
        v.put("body", texts(r, 40));
        v.put("kind", resource.property("kind").options().get(r.nextInt(resource.property("kind").options().size())));
        v.put("audiences", List.of("teacher", "parent").subList(0, r.nextInt(3)));
        if (r.nextBoolean()) {
            v.put("topics", List.of("foster-care", words(r, 1)));
        }
        if (r.nextInt(3) == 0) {
            v.put("link", "https://example.org/library/" + i + "?a=1&b=" + words(r, 1));
        }
        v.put("authors", List.of(words(r, 2), words(r, 2)));
        v.put("publisher", words(r, 2));
        v.put("publicationDate", date(r));
        if (r.nextInt(4) != 0) {
            v.put(Fields.ORIGINAL_LANGUAGE, r.nextBoolean() ? "en" : "cy");
        }
        switch (r.nextInt(6)) { // values of types the model does not give a string property: the mapper's own output
            case 0 -> v.put("doi", 12345L + i);
            case 1 -> v.put("doi", new BigDecimal("10.1000"));
            case 2 -> v.put("doi", 0.1 + i);
            case 3 -> v.put("licence", List.of("CC BY 4.0", date(r), 7L));
            default -> v.put("licence", "CC BY-NC 4.0");
        }
        v.put("sourceContribution", "00000000-0000-0000-0000-999999999999"); // private: never shown
        return item("resource", i, r, v);
    }

    private Item eventItem(int i, Random r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(Fields.TITLE, texts(r, 4));
        v.put(Fields.SUMMARY, texts(r, 10));
        v.put("description", texts(r, 30));
        if (r.nextInt(4) != 0) {
            v.put(Fields.START_DATE, date(r));
            v.put("endDate", date(r));
        }
        v.put("allDay", r.nextBoolean());
        v.put("status", r.nextBoolean() ? "scheduled" : "postponed");
        v.put("attendanceMode", "online");
        v.put("venue", texts(r, 3));
        List<Object> speakers = new ArrayList<>();
        for (int s = r.nextInt(4); s > 0; s--) {
            Map<String, Object> sp = new LinkedHashMap<>();
            sp.put("name", words(r, 2));
            if (r.nextBoolean()) {
                sp.put("affiliation", texts(r, 3));
            }
            sp.put("role", r.nextBoolean() ? "chair" : null);
            speakers.add(sp);
        }
        if (!speakers.isEmpty() || r.nextBoolean()) {
            v.put("speakers", speakers);
        }
        v.put("free", true);
        v.put("languages", List.of("en", "cy"));
        v.put("contentNote", texts(r, 5));
        return item("event", i, r, v);
    }

    private Item caseStudyItem(int i, Random r, List<String> resourceIds) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(Fields.TITLE, texts(r, 4));
        v.put(Fields.SUMMARY, texts(r, 10));
        v.put("body", texts(r, 50));
        v.put("organisation", words(r, 2));
        v.put("region", "north-wales");
        v.put("outcomes", texts(r, 8));
        List<String> related = new ArrayList<>();
        for (int k = r.nextInt(4); k > 0; k--) {
            related.add(resourceIds.get(r.nextInt(resourceIds.size()))); // drafts among them
        }
        if (r.nextInt(5) == 0) {
            related.add("00000000-0000-0000-0000-888888888888"); // no such item
        }
        v.put("relatedResources", related);
        v.put("consentToPublish", r.nextBoolean());
        return item("caseStudy", i, r, v);
    }

    /** {@code full} with its rich text as {@link Utf8Text}s, as {@code DeliveryIndex.fullForJson} reads long ones. */
    private static Item stored(Item full, ContentType type) {
        Map<String, Object> values = new HashMap<>(full.values());
        for (PropertyDef p : type.properties()) {
            Object v = values.get(p.name());
            if (p.type() == PropertyType.RICH_TEXT && v instanceof Map<?, ?> m) {
                Map<String, Object> texts = new HashMap<>();
                m.forEach((k, t) -> texts.put((String) k, new Utf8Text(((String) t).getBytes(StandardCharsets.UTF_8))));
                values.put(p.name(), texts);
            }
        }
        return new Item(full.type(), full.id(), full.path(), full.name(), full.revision(), full.created(), full.createdBy(),
                full.lastModified(), full.lastModifiedBy(), values);
    }

    @Test
    void writesTheBytesOfTheRenderersFullShapeForEveryKindOfItem() {
        Random r = new Random(11);
        Map<String, Entry> index = new HashMap<>();
        List<Item> fulls = new ArrayList<>();
        List<String> resourceIds = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Item full;
            ContentType type;
            if (i < 150) {
                full = resourceItem(i, r);
                type = resource;
                resourceIds.add(full.id());
            } else if (i < 240) {
                full = eventItem(i, r);
                type = event;
            } else {
                full = caseStudyItem(i, r, resourceIds);
                type = caseStudy;
            }
            index.put(full.id(), new Entry(full, type));
            fulls.add(full);
        }
        Function<String, Entry> resolve = index::get;
        int welshNotes = 0;
        int fallbacks = 0;
        int checked = 0;
        for (Item full : fulls) {
            Entry e = index.get(full.id());
            for (Lang lang : Lang.values()) {
                for (boolean preview : new boolean[] {false, true}) {
                    byte[] before = renderer.rendered(renderer.json(e, full, lang, Renderer.Shape.FULL, preview, resolve), 7).bytes();
                    byte[] now = writer.bytes(e, full, lang, preview, resolve);
                    assertThat(new String(now, StandardCharsets.UTF_8)).as("%s in %s, preview %s", full.id(), lang, preview)
                            .isEqualTo(new String(before, StandardCharsets.UTF_8));
                    assertThat(now).isEqualTo(before);
                    // rich text as the bodies file gives it to the writer (DeliveryIndex.fullForJson): UTF-8 bytes
                    assertThat(writer.bytes(e, stored(full, e.type), lang, preview, resolve)).isEqualTo(before);
                    String text = new String(now, StandardCharsets.UTF_8);
                    welshNotes += text.contains("\"languageNote\"") && lang == Lang.CY ? 1 : 0;
                    fallbacks += text.contains("\"fallbacks\":[]") ? 0 : 1;
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(1200);
        assertThat(welshNotes).as("Welsh answers with a language note").isGreaterThan(10);
        assertThat(fallbacks).as("answers with fallbacks").isGreaterThan(100);
    }

    @Test
    void anItemAnswerHasTheRenderersEtagAndGenerationAndFallsBackToTheIndexsValues() {
        Random r = new Random(3);
        Item full = resourceItem(1, r);
        Entry e = new Entry(full, resource);
        Function<String, Entry> resolve = id -> null;
        for (Lang lang : Lang.values()) {
            Renderer.Rendered before = new Renderer(mapper, messages, config).item(e, lang, Renderer.Shape.FULL, false, 42, resolve, x -> full);
            Renderer.Rendered now = writer.item(e, lang, false, 42, resolve, x -> full);
            assertThat(now.bytes()).isEqualTo(before.bytes());
            assertThat(now.etag()).isEqualTo(before.etag()).startsWith("\"").hasSize(34);
            assertThat(now.generation()).isEqualTo(42);
            // the repository moved on (no full item): the index's own values, never to be cached
            Renderer.Rendered stale = writer.item(e, lang, false, 42, resolve, x -> null);
            Renderer.Rendered staleBefore = new Renderer(mapper, messages, config).item(e, lang, Renderer.Shape.FULL, false, 42, resolve, x -> null);
            assertThat(stale.generation()).isEqualTo(-1).isEqualTo(staleBefore.generation());
            assertThat(stale.bytes()).isEqualTo(staleBefore.bytes());
            assertThat(new String(stale.bytes(), StandardCharsets.UTF_8)).doesNotContain("\"body\":\"");
        }
    }

    /** {@code base} with a public property {@code name} (a text) added after its first property. */
    private static ContentType withProperty(ContentType base, String name, boolean i18n) {
        PropertyDef p = new PropertyDef(name, PropertyType.STRING, null, false, false, i18n, List.of(), 0, null, false, false,
                false, null);
        List<PropertyDef> props = new ArrayList<>(base.properties());
        props.add(1, p);
        Map<String, PropertyDef> byName = new LinkedHashMap<>(base.byName());
        byName.put(name, p);
        return new ContentType(base.name(), base.source(), base.workspace(), base.rootPath(), base.nodeType(), base.namespaces(),
                List.copyOf(props), byName, base.subModels());
    }

    @Test
    void aTypeWithAPropertyNamedLikeAnItemsOwnKeyIsWrittenAsTheRendererWroteIt() {
        // a model may name a property url, name, created...: the map had one key for both (the property's value in the
        // key's place), and the list route renders such a type through its maps; an item answer must not have the key twice
        for (String own : List.of("url", "name", "created", "lang")) {
            ContentType type = withProperty(resource, own, own.equals("lang"));
            Random r = new Random(5);
            Item plain = resourceItem(7, r);
            Map<String, Object> values = new LinkedHashMap<>(plain.values());
            values.put(own, own.equals("lang") ? Map.of("en", "English value", "cy", "Gwerth Gymraeg") : "the property's own value");
            Item full = new Item(plain.type(), plain.id(), plain.path(), plain.name(), plain.revision(), plain.created(),
                    plain.createdBy(), plain.lastModified(), plain.lastModifiedBy(), values);
            Entry e = new Entry(full, type);
            for (Lang lang : Lang.values()) {
                byte[] before = renderer.rendered(renderer.json(e, full, lang, Renderer.Shape.FULL, false, id -> null), 7).bytes();
                assertThat(new String(writer.bytes(e, full, lang, false, id -> null), StandardCharsets.UTF_8)).as(own)
                        .isEqualTo(new String(before, StandardCharsets.UTF_8));
                // and with its rich text as the bodies file gives it (UTF-8 bytes), never as an object of its own
                assertThat(new String(writer.bytes(e, stored(full, type), lang, false, id -> null), StandardCharsets.UTF_8))
                        .as(own).isEqualTo(new String(before, StandardCharsets.UTF_8));
            }
        }
    }
}
