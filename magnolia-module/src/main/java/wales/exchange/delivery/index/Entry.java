package wales.exchange.delivery.index;

import wales.exchange.model.Fields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wales.exchange.content.Item;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;

/** One item in the read model, with what queries need precomputed. Immutable. */
public final class Entry {
    public final Item item;
    public final ContentType type;
    public final boolean published;
    public final Instant lastModified;
    /** Filterable property → its values as strings (dates as epoch millis). */
    public final Map<String, List<String>> keys = new LinkedHashMap<>();
    /** Per language: searchable forms of title (weight 3) and of all searchable text (weight 1). */
    public final Map<Lang, int[]> titleText = new EnumMap<>(Lang.class);
    public final Map<Lang, int[]> allText = new EnumMap<>(Lang.class);

    /**
     * @param full the item with all its values; the entry keeps it without rich text (bodies are read from the
     *             repository when a full item is rendered), which is most of an item's memory
     */
    public Entry(Item full, ContentType type) {
        this(light(full, type), type, null, null, full);
    }

    /**
     * An entry read back from a saved snapshot ({@link FileSnapshotStore}): {@code light} is the item as an entry keeps
     * it (no rich text), the search forms are the ones computed when it was made.
     */
    Entry(Item light, ContentType type, Map<Lang, int[]> titleText, Map<Lang, int[]> allText) {
        this(light, type, titleText, allText, light);
    }

    private Entry(Item light, ContentType type, Map<Lang, int[]> titleForms, Map<Lang, int[]> allForms, Item item) {
        this.item = light;
        this.type = type;
        this.published = ContentModel.PUBLISHED.equals(item.values().get(ContentModel.MODERATION_STATE));
        this.lastModified = item.lastModified() == null ? Instant.EPOCH : item.lastModified().toInstant();
        for (PropertyDef p : type.properties()) {
            if (TypeIndex.filterable(p) && item.values().get(p.name()) != null) {
                Object v = item.values().get(p.name());
                List<String> ks = new ArrayList<>();
                for (Object o : v instanceof List<?> l ? l : List.of(v)) {
                    ks.add(key(p, o));
                }
                keys.put(p.name(), List.copyOf(ks));
            }
        }
        if (titleForms != null) {
            titleText.putAll(titleForms);
            allText.putAll(allForms);
            return;
        }
        for (Lang l : Lang.values()) {
            StringBuilder all = new StringBuilder();
            String title = "";
            for (PropertyDef p : type.properties()) {
                if (p.searchable()) {
                    String text = text(item, p.name(), l);
                    text = text == null ? "" : text;
                    all.append(text).append(" <br> ");
                    if (p.name().equals(Fields.TITLE)) {
                        title = text;
                    }
                }
            }
            titleText.put(l, TextIndex.index(title, l));
            allText.put(l, TextIndex.index(all.toString(), l));
        }
    }

    private static Item light(Item full, ContentType type) {
        Map<String, Object> values = new LinkedHashMap<>(full.values());
        for (PropertyDef p : type.properties()) {
            if (p.type() == PropertyType.RICH_TEXT) {
                values.remove(p.name());
            }
        }
        return new Item(full.type(), full.id(), full.path(), full.name(), full.revision(), full.created(), full.createdBy(),
                full.lastModified(), full.lastModifiedBy(), java.util.Collections.unmodifiableMap(values));
    }

    public String id() {
        return item.id();
    }

    /** The value of an i18n text in {@code lang}, or in the other language when missing (null when neither). */
    public static String text(Item item, String property, Lang lang) {
        Object v = item.values().get(property);
        if (v instanceof Map<?, ?> m) {
            Object s = m.get(lang.tag());
            return (String) (s != null ? s : m.get(lang.other().tag()));
        }
        return v instanceof String s ? s : null;
    }

    public static String key(PropertyDef p, Object value) {
        if (p.type() == PropertyType.DATE && value instanceof java.time.OffsetDateTime d) {
            return Long.toString(d.toInstant().toEpochMilli());
        }
        return String.valueOf(value);
    }
}
