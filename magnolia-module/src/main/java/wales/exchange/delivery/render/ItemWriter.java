package wales.exchange.delivery.render;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import wales.exchange.content.Item;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.Exchange;
import wales.exchange.delivery.index.Entry;
import wales.exchange.delivery.index.Utf8Text;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.Fields;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;
import wales.exchange.model.SubModel;

/**
 * The JSON of one whole item (an item answer, {@code GET /{type}/{id}}), written straight to bytes: the same bytes as
 * {@link Renderer#json} with {@link Renderer.Shape#FULL} serialised by the same mapper (ItemWriterTest compares them),
 * without building the map tree first or looking up a serialiser per value. Nothing is cached here: the
 * {@code ResponseCache} keeps public item answers, and a second copy of the same bytes (the renderer's per-item cache)
 * only made the heap churn when the items asked for outnumber what it holds (JFR, 2026-12-01).
 */
@Singleton
public final class ItemWriter {
    private final ObjectMapper mapper;
    private final Messages messages;
    private final DeliveryConfig config;
    /** The map rendering, for a type with a property named like an item's own key ({@link Renderer#streamable}). */
    private final Renderer maps;

    @Inject
    public ItemWriter(@Exchange ObjectMapper mapper, Messages messages, DeliveryConfig config) {
        this.mapper = mapper;
        this.messages = messages;
        this.config = config;
        this.maps = new Renderer(mapper, messages, config);
    }

    /**
     * The rendering of entry {@code e}'s whole item, valid for {@code generation}; generation -1 (never to be cached)
     * when the item changed since the entry was made ({@code full} answered null): then the index's own values are shown.
     *
     * @param full the entry's complete item (with rich text, whose long texts may be {@link Utf8Text}s:
     *             {@code DeliveryIndex#fullForJson}), or null when the repository moved on
     */
    public Renderer.Rendered item(Entry e, Lang lang, boolean preview, long generation, Function<String, Entry> resolve,
                                  Function<Entry, Item> full) {
        Item item = full.apply(e);
        byte[] bytes = bytes(e, item == null ? e.item : item, lang, preview, resolve);
        return new Renderer.Rendered(item == null ? -1 : generation, bytes, Renderer.etag(bytes));
    }

    /** A thread's output buffer, kept between answers while it is at most this large (one copy per answer, not two). */
    static final int KEPT_BUFFER = 64 << 10;
    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    /** A ByteArrayOutputStream whose array can be kept for the next answer. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(8 << 10);
        }

        boolean small() {
            return buf.length <= KEPT_BUFFER;
        }
    }

    /** The JSON bytes of {@code item} (entry {@code e}'s) in {@code lang}. */
    public byte[] bytes(Entry e, Item item, Lang lang, boolean preview, Function<String, Entry> resolve) {
        Buffer out = BUFFERS.get();
        out.reset();
        try (JsonGenerator g = mapper.createGenerator(out)) {
            write(g, e, item, lang, preview, resolve);
        } catch (IOException x) {
            BUFFERS.remove();
            throw new UncheckedIOException("cannot render JSON", x);
        }
        byte[] bytes = out.toByteArray();
        if (!out.small()) {
            BUFFERS.remove(); // an unusually large item: its buffer is not kept
        }
        return bytes;
    }

    private void write(JsonGenerator g, Entry e, Item item, Lang lang, boolean preview, Function<String, Entry> resolve)
            throws IOException {
        ContentType type = e.type;
        if (!maps.streamable(type)) {
            // a property named id, url, name, created...: the map has one key for both (the property's value in the
            // key's place), as the list route renders it; written field by field the key would come twice
            mapper.writeValue(g, maps.json(e, item, lang, Renderer.Shape.FULL, preview, resolve));
            return;
        }
        String url = itemUrl(type, e.id());
        g.writeStartObject();
        g.writeStringField("id", item.id());
        g.writeStringField("type", type.name());
        g.writeStringField("name", item.name());
        g.writeStringField("url", url);
        g.writeStringField("lang", lang.tag());
        List<String> fallbacks = new ArrayList<>(2);
        values(g, type, type.properties(), item.values(), lang, preview, resolve, "", fallbacks);
        if (Fields.isEvent(type)) {
            g.writeStringField("timeZone", ContentModel.ZONE.getId());
        }
        g.writeStringField("created", Renderer.date(item.created()));
        g.writeStringField("lastModified", Renderer.date(item.lastModified()));
        g.writeArrayFieldStart("fallbacks");
        for (String f : fallbacks) {
            g.writeString(f);
        }
        g.writeEndArray();
        Object original = item.values().get(Fields.ORIGINAL_LANGUAGE);
        if (original instanceof String o && !o.equals(lang.tag())) {
            g.writeStringField("languageNote", messages.get(lang, fallbacks.isEmpty() ? "exchange.delivery.translated"
                    : "exchange.delivery.originalLanguage", messages.get(lang, "exchange.option." + o)));
        }
        g.writeObjectFieldStart("translations");
        for (Lang l : Lang.values()) {
            g.writeStringField(l.tag(), url + "?lang=" + l.tag());
        }
        g.writeEndObject();
        if (preview) {
            g.writeFieldName("moderationState");
            value(g, item.values().get(ContentModel.MODERATION_STATE));
            g.writeNumberField("revision", item.revision());
        }
        g.writeEndObject();
    }

    /** As {@code Renderer.values} for the whole item: every public property in the model's order. */
    private void values(JsonGenerator g, ContentType type, List<PropertyDef> props, Map<String, Object> values, Lang lang,
                        boolean preview, Function<String, Entry> resolve, String prefix, List<String> fallbacks)
            throws IOException {
        for (PropertyDef p : props) {
            if (p.privateField() || p.name().equals(ContentModel.MODERATION_STATE)) {
                continue;
            }
            Object v = values.get(p.name());
            g.writeFieldName(p.name());
            if (v == null) {
                if (p.multiple()) {
                    g.writeStartArray();
                    g.writeEndArray();
                } else {
                    g.writeNull();
                }
                continue;
            }
            if (p.i18n()) {
                Map<?, ?> m = (Map<?, ?>) v;
                Object mine = m.get(lang.tag());
                if (mine == null) {
                    fallbacks.add(prefix + p.name());
                    mine = m.get(lang.other().tag());
                }
                value(g, mine);
            } else if (p.type() == PropertyType.SUB_MODEL) {
                SubModel sm = type.subModel(p.target());
                String field = prefix + p.name();
                g.writeStartArray();
                int i = 0;
                for (Object part : (List<?>) v) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> pv = (Map<String, Object>) part;
                    g.writeStartObject();
                    values(g, type, sm.properties(), pv, lang, preview, resolve, field + "[" + i++ + "].", fallbacks);
                    g.writeEndObject();
                }
                g.writeEndArray();
            } else if (p.type() == PropertyType.REFERENCE) {
                references(g, p, v, lang, preview, resolve);
            } else if (v instanceof OffsetDateTime d) {
                g.writeString(Renderer.date(d));
            } else {
                value(g, v);
            }
        }
    }

    /** A reference's targets (published ones, or any in a preview) as small objects; one or null when single. */
    private void references(JsonGenerator g, PropertyDef p, Object v, Lang lang, boolean preview,
                            Function<String, Entry> resolve) throws IOException {
        boolean open = false;
        boolean any = false;
        if (p.multiple()) {
            g.writeStartArray();
            open = true;
        }
        for (Object id : v instanceof List<?> l ? l : List.of(v)) {
            Entry target = resolve.apply((String) id);
            if (target == null || !(preview || target.published)) {
                continue;
            }
            if (!p.multiple() && any) {
                continue; // a single reference shows its first target only
            }
            any = true;
            g.writeStartObject();
            g.writeStringField("id", target.id());
            g.writeStringField("type", target.type.name());
            g.writeStringField("url", itemUrl(target.type, target.id()));
            g.writeFieldName("title");
            value(g, Entry.text(target.item, Fields.TITLE, lang));
            g.writeFieldName("summary");
            value(g, Entry.text(target.item, Fields.SUMMARY, lang));
            g.writeEndObject();
        }
        if (open) {
            g.writeEndArray();
        } else if (!any) {
            g.writeNull();
        }
    }

    /** A plain value: strings and null written directly, anything else by the mapper (as its serialiser would). */
    private void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Utf8Text t) {
            if (supplementary(t.bytes())) {
                g.writeString(t.toString()); // the mapper escapes a character beyond U+FFFF as its two UTF-16 halves
            } else {
                // the same bytes as writeString of the decoded text: UTF-8 as it is, JSON's escapes where needed
                g.writeUTF8String(t.bytes(), 0, t.bytes().length);
            }
        } else if (v instanceof List<?> l && allStrings(l)) {
            g.writeStartArray();
            for (Object o : l) {
                value(g, o);
            }
            g.writeEndArray();
        } else {
            mapper.writeValue(g, v);
        }
    }

    /** True when UTF-8 {@code b} has a four-byte sequence (a character beyond U+FFFF, such as an emoji). */
    static boolean supplementary(byte[] b) {
        for (byte x : b) {
            if ((x & 0xf8) == 0xf0) {
                return true;
            }
        }
        return false;
    }

    private static boolean allStrings(List<?> l) {
        for (Object o : l) {
            if (!(o instanceof String) && !(o instanceof Utf8Text)) {
                return false;
            }
        }
        return true;
    }

    private String itemUrl(ContentType type, String id) {
        return config.basePath() + "/" + config.segment(type) + "/" + id;
    }
}
