package wales.exchange.delivery.render;

import wales.exchange.delivery.Exchange;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.query.Delivery;
import wales.exchange.delivery.query.ListQuery;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import wales.exchange.model.Fields;
import wales.exchange.delivery.index.Entry;
import wales.exchange.delivery.index.FacetIndex;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import wales.exchange.content.Item;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;
import wales.exchange.model.SubModel;

/**
 * Turns read-model entries into the delivery API's JSON: real JSON types, one language, and an honest
 * {@code fallbacks} list naming every field shown in the other language. Renderings of single items are cached per
 * item, language and shape until content changes; a list page writes its items' summaries straight into its JSON
 * each time ({@link #list}), with no map, cache entry or ETag per item.
 */
@Singleton
public final class Renderer {
    /** ISO 8601 with seconds and a numeric offset (+00:00 in winter, never Z), as schema.org and most clients expect. */
    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    private final ObjectMapper mapper;
    private final Messages messages;
    private final DeliveryConfig config;
    private final Map<String, Rendered> cache = new ConcurrentHashMap<>();
    /** Bytes the per-item renderings may hold (with their keys) before they are dropped together. */
    static final long CACHE_BYTES = 16L << 20;
    private final java.util.concurrent.atomic.AtomicLong cachedBytes = new java.util.concurrent.atomic.AtomicLong();

    @Inject
    public Renderer(@Exchange ObjectMapper mapper, Messages messages, DeliveryConfig config) {
        this.mapper = mapper;
        this.messages = messages;
        this.config = config;
    }

    /** Bytes, strong ETag and generation of one rendering. */
    public record Rendered(long generation, byte[] bytes, String etag) {
    }

    public enum Shape { FULL, SUMMARY }

    /**
     * @param full the entry's complete item (with rich text), asked for only when a FULL rendering is not cached; null
     *             when the item changed since the entry was made
     */
    public Rendered item(Entry e, Lang lang, Shape shape, boolean preview, long generation, Function<String, Entry> resolve,
                  Function<Entry, Item> full) {
        String key = e.id() + '|' + lang + '|' + shape + '|' + preview;
        Rendered r = cache.get(key);
        if (r != null && r.generation() == generation) {
            return r;
        }
        Item item = shape == Shape.FULL ? full.apply(e) : e.item;
        if (item == null) {
            // the repository has moved on since this index: answer from the index's own values, and cache nothing
            return rendered(json(e, e.item, lang, shape, preview, resolve), -1);
        }
        r = rendered(json(e, item, lang, shape, preview, resolve), generation);
        if (cachedBytes.addAndGet(r.bytes().length + 2L * key.length() + 160) > CACHE_BYTES) {
            // a bound on the heap, not a policy: at 100k items both languages' renderings would take ~300 MB
            cache.clear();
            cachedBytes.set(0);
        }
        cache.put(key, r);
        return r;
    }

    public Rendered rendered(Object value, long generation) {
        try {
            byte[] bytes = mapper.writeValueAsBytes(value);
            return new Rendered(generation, bytes, etag(bytes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    /** A strong ETag of a body: {@link BodyHash}'s 32 hex digits (two CRCs and the length), quoted. */
    public static String etag(byte[] bytes) {
        return "\"" + BodyHash.hex(bytes) + "\"";
    }

    String itemUrl(Entry e) {
        return config.basePath() + "/" + config.segment(e.type) + "/" + e.id();
    }

    /** The JSON object of one item. */
    public Map<String, Object> json(Entry e, Item item, Lang lang, Shape shape, boolean preview, Function<String, Entry> resolve) {
        ContentType type = e.type;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", item.id());
        out.put("type", type.name());
        out.put("name", item.name());
        out.put("url", itemUrl(e));
        out.put("lang", lang.tag());
        List<String> fallbacks = new ArrayList<>();
        values(type, type.properties(), item.values(), lang, shape, preview, resolve, out, "", fallbacks);
        if (Fields.isEvent(type)) {
            out.put("timeZone", ContentModel.ZONE.getId());
        }
        out.put("created", date(item.created()));
        out.put("lastModified", date(item.lastModified()));
        out.put("fallbacks", fallbacks);
        Object original = item.values().get(Fields.ORIGINAL_LANGUAGE);
        if (original instanceof String o && !o.equals(lang.tag())) {
            // written in the other language: shown (partly) in it when fields fell back, else a translation
            out.put("languageNote", messages.get(lang, fallbacks.isEmpty() ? "exchange.delivery.translated"
                    : "exchange.delivery.originalLanguage", messages.get(lang, "exchange.option." + o)));
        }
        Map<String, String> translations = new LinkedHashMap<>();
        for (Lang l : Lang.values()) {
            translations.put(l.tag(), itemUrl(e) + "?lang=" + l.tag());
        }
        out.put("translations", translations);
        if (preview) {
            out.put("moderationState", item.values().get(ContentModel.MODERATION_STATE));
            out.put("revision", item.revision());
        }
        return out;
    }

    private void values(ContentType type, List<PropertyDef> props, Map<String, Object> values, Lang lang, Shape shape,
                        boolean preview, Function<String, Entry> resolve, Map<String, Object> out, String prefix,
                        List<String> fallbacks) {
        for (PropertyDef p : props) {
            if (p.privateField() || p.name().equals(ContentModel.MODERATION_STATE)
                    || (shape == Shape.SUMMARY && p.type() == PropertyType.RICH_TEXT)) {
                continue;
            }
            Object v = values.get(p.name());
            String field = prefix + p.name();
            if (v == null) {
                out.put(p.name(), p.multiple() ? List.of() : null);
                continue;
            }
            if (p.i18n()) {
                Map<?, ?> m = (Map<?, ?>) v;
                Object mine = m.get(lang.tag());
                if (mine == null) {
                    fallbacks.add(field);
                    mine = m.get(lang.other().tag());
                }
                out.put(p.name(), mine);
            } else if (p.type() == PropertyType.SUB_MODEL) {
                SubModel sm = type.subModel(p.target());
                List<Map<String, Object>> parts = new ArrayList<>();
                int i = 0;
                for (Object part : (List<?>) v) {
                    Map<String, Object> po = new LinkedHashMap<>();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> pv = (Map<String, Object>) part;
                    values(type, sm.properties(), pv, lang, shape, preview, resolve, po, field + "[" + i++ + "].", fallbacks);
                    parts.add(po);
                }
                out.put(p.name(), parts);
            } else if (p.type() == PropertyType.REFERENCE) {
                List<Object> refs = new ArrayList<>();
                for (Object id : v instanceof List<?> l ? l : List.of(v)) {
                    Entry target = resolve.apply((String) id);
                    if (target != null && (preview || target.published)) {
                        Map<String, Object> ref = new LinkedHashMap<>();
                        ref.put("id", target.id());
                        ref.put("type", target.type.name());
                        ref.put("url", itemUrl(target));
                        ref.put("title", Entry.text(target.item, Fields.TITLE, lang));
                        ref.put("summary", Entry.text(target.item, Fields.SUMMARY, lang));
                        refs.add(ref);
                    }
                }
                out.put(p.name(), p.multiple() ? refs : refs.isEmpty() ? null : refs.get(0));
            } else if (v instanceof OffsetDateTime d) {
                out.put(p.name(), date(d));
            } else if (v instanceof List<?> l) {
                out.put(p.name(), l);
            } else {
                out.put(p.name(), v);
            }
        }
    }

    static String date(OffsetDateTime d) {
        return d == null ? null : Dates.iso(d);
    }

    /** Renders a list page: one pass straight into JSON bytes, no intermediate map per item, nothing cached. */
    public Rendered list(Delivery.Page page, ListQuery q, Lang lang, boolean preview, Function<String, Entry> resolve) {
        Buffer out = BUFFER.get();
        out.reset();
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("total", page.total());
            g.writeNumberField("offset", q.offset());
            g.writeNumberField("limit", q.limit());
            g.writeStringField("lang", lang.tag());
            g.writeFieldName("facets");
            facets(g, page.facets());
            g.writeFieldName("items");
            g.writeStartArray();
            Summaries s = new Summaries(g, lang, preview, resolve);
            for (Entry e : page.items()) {
                s.write(e);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
        byte[] bytes = out.toByteArray();
        out.release();
        return new Rendered(page.generation(), bytes, etag(bytes));
    }

    /**
     * The facet counts as {@code writeValueAsString} wrote them before: a name with a character outside the BMP goes
     * through it still (a UTF-8 generator would escape its surrogate pair, a string writer does not).
     */
    private void facets(JsonGenerator g, Map<String, Map<String, Integer>> facets) throws java.io.IOException {
        for (Map.Entry<String, Map<String, Integer>> f : facets.entrySet()) {
            boolean astral = surrogates(f.getKey());
            if (f.getValue() instanceof FacetIndex.Counts c) {
                for (int i = 0; i < c.size() && !astral; i++) {
                    astral = surrogates(c.value(i));
                }
            } else if (f.getValue() != null) {
                for (String value : f.getValue().keySet()) {
                    astral |= surrogates(value);
                }
            }
            if (astral) {
                g.writeRawValue(mapper.writeValueAsString(facets));
                return;
            }
        }
        g.writeStartObject();
        for (Map.Entry<String, Map<String, Integer>> f : facets.entrySet()) {
            g.writeFieldName(f.getKey());
            if (f.getValue() == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            if (f.getValue() instanceof FacetIndex.Counts c) {
                // the index's own arrays: no map entry or boxed count per value
                for (int i = 0; i < c.size(); i++) {
                    g.writeFieldName(c.value(i));
                    g.writeNumber(c.count(i));
                }
                g.writeEndObject();
                continue;
            }
            for (Map.Entry<String, Integer> c : f.getValue().entrySet()) {
                g.writeFieldName(c.getKey());
                if (c.getValue() == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(c.getValue().intValue());
                }
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static boolean surrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A growable byte buffer kept per thread for list renderings (a large one is not kept). */
    private static final class Buffer extends java.io.ByteArrayOutputStream {
        Buffer() {
            super(32 << 10);
        }

        void release() {
            if (buf.length > (1 << 20)) {
                buf = new byte[32 << 10];
            }
        }
    }

    private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);

    /** Property names of the item object itself: a type with a property of one of these names renders through maps. */
    private static final java.util.Set<String> OWN_KEYS = java.util.Set.of("id", "type", "name", "url", "lang", "timeZone",
            "created", "lastModified", "fallbacks", "languageNote", "translations", "moderationState", "revision");
    /** By type name: the address of the type's items up to their id ({@link #itemUrl} without the id). */
    private final Map<String, String> typeUrls = new ConcurrentHashMap<>();

    private String typeUrl(ContentType type) {
        String u = typeUrls.get(type.name());
        if (u == null) {
            u = config.basePath() + "/" + config.segment(type) + "/";
            typeUrls.put(type.name(), u);
        }
        return u;
    }

    /** By type name (a record's hash code walks all its properties). */
    private final Map<String, Boolean> streamable = new ConcurrentHashMap<>();

    /** Whether the summaries of {@code type} can be streamed: none of its shown properties has the name of an own key. */
    boolean streamable(ContentType type) {
        Boolean s = streamable.get(type.name());
        if (s == null) {
            s = type.properties().stream().noneMatch(p -> OWN_KEYS.contains(p.name()) && !p.privateField()
                    && !p.name().equals(ContentModel.MODERATION_STATE));
            streamable.put(type.name(), s);
        }
        return s;
    }

    /**
     * The SUMMARY objects of one list, written straight to its generator: the same JSON as {@link #json} with
     * {@link Shape#SUMMARY} (same keys, same order, same values), without its maps.
     */
    private final class Summaries {
        private final JsonGenerator g;
        private final Lang lang;
        private final boolean preview;
        private final Function<String, Entry> resolve;
        private final List<String> fallbacks = new ArrayList<>();
        private final StringBuilder sb = new StringBuilder(128);
        private final Entry.TextBytes text = new Entry.TextBytes();
        private final char[] date = new char[Dates.LENGTH];
        private char[] chars = new char[128];
        /** languageNote texts of this list: by fallbacks (0: none, 1: some) and original language. */
        private Map<String, String> notes;

        Summaries(JsonGenerator g, Lang lang, boolean preview, Function<String, Entry> resolve) {
            this.g = g;
            this.lang = lang;
            this.preview = preview;
            this.resolve = resolve;
        }

        void write(Entry e) throws java.io.IOException {
            ContentType type = e.type;
            Item item = e.item;
            if (!streamable(type)) {
                mapper.writeValue(g, json(e, item, lang, Shape.SUMMARY, preview, resolve));
                return;
            }
            fallbacks.clear();
            g.writeStartObject();
            g.writeStringField("id", item.id());
            g.writeStringField("type", type.name());
            g.writeStringField("name", item.name());
            g.writeFieldName("url");
            url(e, null);
            g.writeStringField("lang", lang.tag());
            values(type, type.properties(), item.values(), "");
            if (Fields.isEvent(type)) {
                g.writeStringField("timeZone", ContentModel.ZONE.getId());
            }
            g.writeFieldName("created");
            date(item.created());
            g.writeFieldName("lastModified");
            date(item.lastModified());
            g.writeFieldName("fallbacks");
            g.writeStartArray();
            for (String f : fallbacks) {
                g.writeString(f);
            }
            g.writeEndArray();
            Object original = item.values().get(Fields.ORIGINAL_LANGUAGE);
            if (original instanceof String o && !o.equals(lang.tag())) {
                g.writeStringField("languageNote", note(fallbacks.isEmpty(), o));
            }
            g.writeFieldName("translations");
            g.writeStartObject();
            for (Lang l : Lang.values()) {
                g.writeFieldName(l.tag());
                url(e, l);
            }
            g.writeEndObject();
            if (preview) {
                g.writeFieldName("moderationState");
                value(item.values().get(ContentModel.MODERATION_STATE));
                g.writeFieldName("revision");
                value(item.revision());
            }
            g.writeEndObject();
        }

        private String note(boolean translated, String original) {
            if (notes == null) {
                notes = new java.util.HashMap<>();
            }
            return notes.computeIfAbsent((translated ? "t|" : "o|") + original, k -> messages.get(lang,
                    translated ? "exchange.delivery.translated" : "exchange.delivery.originalLanguage",
                    messages.get(lang, "exchange.option." + original)));
        }

        /** The item's address ({@link #itemUrl}), with {@code ?lang=} when {@code l} is given, as a JSON string. */
        private void url(Entry e, Lang l) throws java.io.IOException {
            sb.setLength(0);
            sb.append(typeUrl(e.type)).append(e.id());
            if (l != null) {
                sb.append("?lang=").append(l.tag());
            }
            int n = sb.length();
            if (chars.length < n) {
                chars = new char[Math.max(n, chars.length * 2)];
            }
            sb.getChars(0, n, chars, 0);
            g.writeString(chars, 0, n);
        }

        private void values(ContentType type, List<PropertyDef> props, Map<String, Object> values, String prefix)
                throws java.io.IOException {
            for (PropertyDef p : props) {
                if (p.privateField() || p.name().equals(ContentModel.MODERATION_STATE) || p.type() == PropertyType.RICH_TEXT) {
                    continue;
                }
                if (p.i18n()) {
                    g.writeFieldName(p.name());
                    int found = Entry.localizedBytes(values, p.name(), lang.tag(), text);
                    if (found == 0) {
                        fallbacks.add(prefix + p.name());
                        found = Entry.localizedBytes(values, p.name(), lang.other().tag(), text);
                        if (found == 0) {
                            g.writeNull();
                            continue;
                        }
                    }
                    if (found == 1) {
                        utf8(text);
                        continue;
                    }
                    Object mine = Entry.localized(values, p.name(), lang.tag());
                    if (mine == Entry.ABSENT) {
                        nothing(p);
                        continue;
                    }
                    if (mine == null) {
                        fallbacks.add(prefix + p.name());
                        mine = Entry.localized(values, p.name(), lang.other().tag());
                    }
                    value(mine);
                    continue;
                }
                Object v = values.get(p.name());
                g.writeFieldName(p.name());
                if (v == null) {
                    nothing(p);
                } else if (p.type() == PropertyType.SUB_MODEL) {
                    SubModel sm = type.subModel(p.target());
                    String field = prefix + p.name();
                    g.writeStartArray();
                    int i = 0;
                    for (Object part : (List<?>) v) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> pv = (Map<String, Object>) part;
                        g.writeStartObject();
                        values(type, sm.properties(), pv, field + "[" + i++ + "].");
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                } else if (p.type() == PropertyType.REFERENCE) {
                    references(p, v);
                } else if (v instanceof OffsetDateTime d) {
                    date(d);
                } else {
                    value(v);
                }
            }
        }

        /**
         * A text from its UTF-8 bytes, as {@code writeString} writes it: a text with a character outside the BMP (a
         * four-byte sequence) goes through a string, since {@code writeString} escapes its surrogate pair.
         */
        private void utf8(Entry.TextBytes t) throws java.io.IOException {
            byte[] b = t.bytes;
            for (int i = 0; i < t.length; i++) {
                if ((b[i] & 0xf8) == 0xf0) {
                    g.writeString(new String(b, 0, t.length, java.nio.charset.StandardCharsets.UTF_8));
                    return;
                }
            }
            g.writeUTF8String(b, 0, t.length);
        }

        private void date(OffsetDateTime d) throws java.io.IOException {
            if (d == null) {
                g.writeNull();
            } else if (Dates.iso(d, date)) {
                g.writeString(date, 0, Dates.LENGTH);
            } else {
                g.writeString(Dates.slow(d));
            }
        }

        private void nothing(PropertyDef p) throws java.io.IOException {
            if (p.multiple()) {
                g.writeStartArray();
                g.writeEndArray();
            } else {
                g.writeNull();
            }
        }

        private void references(PropertyDef p, Object v) throws java.io.IOException {
            boolean any = false;
            for (Object id : v instanceof List<?> l ? l : List.of(v)) {
                Entry target = resolve.apply((String) id);
                if (target == null || !(preview || target.published)) {
                    continue;
                }
                if (!any && p.multiple()) {
                    g.writeStartArray();
                }
                any = true;
                g.writeStartObject();
                g.writeStringField("id", target.id());
                g.writeStringField("type", target.type.name());
                g.writeFieldName("url");
                url(target, null);
                g.writeFieldName("title");
                value(Entry.text(target.item, Fields.TITLE, lang));
                g.writeFieldName("summary");
                value(Entry.text(target.item, Fields.SUMMARY, lang));
                g.writeEndObject();
                if (!p.multiple()) {
                    return; // the first shown reference only
                }
            }
            if (p.multiple()) {
                if (!any) {
                    g.writeStartArray();
                }
                g.writeEndArray();
            } else if (!any) {
                g.writeNull();
            }
        }

        /** A plain value as Jackson writes it (strings, numbers, booleans, lists of them; anything else through the mapper). */
        private void value(Object v) throws java.io.IOException {
            if (v == null) {
                g.writeNull();
            } else if (v instanceof String s) {
                g.writeString(s);
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else if (v instanceof Long n) {
                g.writeNumber(n.longValue());
            } else if (v instanceof Integer n) {
                g.writeNumber(n.intValue());
            } else if (v instanceof List<?> l) {
                g.writeStartArray();
                for (Object o : l) {
                    value(o);
                }
                g.writeEndArray();
            } else {
                mapper.writeValue(g, v);
            }
        }
    }
}
