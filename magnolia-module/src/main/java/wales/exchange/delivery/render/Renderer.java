package wales.exchange.delivery.render;

import wales.exchange.delivery.Exchange;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.query.Delivery;
import wales.exchange.delivery.query.ListQuery;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import wales.exchange.model.Fields;
import wales.exchange.delivery.index.Entry;
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
 * {@code fallbacks} list naming every field shown in the other language. Renderings are cached per item, language and
 * shape until content changes.
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

    /** A strong ETag of a body: 128 bits of {@link BodyHash}, quoted. */
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
        return d == null ? null : d.atZoneSameInstant(ContentModel.ZONE).toOffsetDateTime().format(ISO);
    }

    /** Renders a list page. */
    public Rendered list(Delivery.Page page, ListQuery q, Lang lang, boolean preview, Function<String, Entry> resolve) {
        StringBuilder sb = new StringBuilder(256 + page.items().size() * 1024);
        try {
            sb.append("{\"total\":").append(page.total()).append(",\"offset\":").append(q.offset())
                    .append(",\"limit\":").append(q.limit()).append(",\"lang\":\"").append(lang.tag())
                    .append("\",\"facets\":").append(mapper.writeValueAsString(page.facets())).append(",\"items\":[");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        byte[] head = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(head.length + page.items().size() * 1500);
        out.writeBytes(head);
        boolean first = true;
        for (Entry e : page.items()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.writeBytes(item(e, lang, Shape.SUMMARY, preview, page.generation(), resolve, x -> x.item).bytes());
        }
        out.writeBytes("]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] bytes = out.toByteArray();
        return new Rendered(page.generation(), bytes, etag(bytes));
    }
}
