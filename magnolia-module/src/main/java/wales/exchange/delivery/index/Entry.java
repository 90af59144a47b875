package wales.exchange.delivery.index;

import wales.exchange.model.Fields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import wales.exchange.content.Item;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;

/**
 * One item in the read model: only what lists need (the item without rich text, in compact immutable maps, its
 * non-text values shared between entries). Immutable once it is in an index. Its search forms are not kept: an entry
 * made from a repository read carries them only until its type's index has taken them into its postings
 * ({@link #takeForms}).
 */
public final class Entry {
    public final Item item;
    public final ContentType type;
    public final boolean published;
    public final Instant lastModified;
    /** Where the values this entry does not keep (rich text) are: a record of {@link #bodies}, or {@link BodyStore#NONE}. */
    final BodyStore bodies;
    final long body;
    /** Search forms computed from the full item, until an index takes them (writer thread only). */
    private Forms pending;

    /** Per language: the searchable forms of the title (weight 3) and of all searchable text (weight 1). */
    record Forms(int[][] title, int[][] all) {
    }

    /**
     * @param full the item with all its values; the entry keeps it without rich text, which is most of an item's
     *             memory (an entry made with {@link #stored} finds it in the bodies file; this one reads the repository)
     */
    public Entry(Item full, ContentType type) {
        this(light(full, type), type, forms(full, type), null, BodyStore.NONE);
    }

    /**
     * An entry whose values it does not keep are appended to {@code bodies} (writer thread): {@link DeliveryIndex#full}
     * reads them back from there instead of the repository. Nothing of them stays on the heap.
     */
    static Entry stored(Item full, ContentType type, BodyStore bodies) {
        Item light = light(full, type);
        if (bodies == null) {
            return new Entry(light, type, forms(full, type), null, BodyStore.NONE);
        }
        Map<String, Object> rest = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : full.values().entrySet()) {
            if (e.getValue() != null && !light.values().containsKey(e.getKey())) {
                rest.put(e.getKey(), e.getValue());
            }
        }
        long ref = bodies.append(full.id(), full.revision(), rest);
        return new Entry(light, type, forms(full, type), ref < 0 ? null : bodies, ref);
    }

    /** An entry read back from a saved snapshot ({@link FileSnapshotStore}): its index's postings come with it. */
    static Entry restored(Item light, ContentType type, BodyStore bodies, long body) {
        return new Entry(light, type, null, body < 0 ? null : bodies, bodies == null ? BodyStore.NONE : body);
    }

    /** This entry with its record moved (a compaction of the bodies file). */
    Entry relocated(BodyStore to, long ref) {
        return new Entry(item, type, null, ref < 0 ? null : to, ref < 0 ? BodyStore.NONE : ref);
    }

    private Entry(Item light, ContentType type, Forms forms, BodyStore bodies, long body) {
        this.item = light;
        this.type = type;
        this.published = ContentModel.PUBLISHED.equals(light.values().get(ContentModel.MODERATION_STATE));
        this.lastModified = light.lastModified() == null ? Instant.EPOCH : light.lastModified().toInstant();
        this.pending = forms;
        this.bodies = bodies;
        this.body = body;
    }

    /**
     * The item with every value, read from the bodies file; null when this entry has no readable record there (the
     * caller reads the repository).
     */
    Item fromBody() {
        return fromBody(false);
    }

    /** As {@link #fromBody()}; with {@code utf8}, long texts as {@link Utf8Text} (for a JSON writer). */
    Item fromBody(boolean utf8) {
        BodyStore b = bodies;
        if (b == null || body < 0) {
            return null;
        }
        Map<String, Object> rest = b.read(item.id(), item.revision(), body, utf8);
        if (rest == null) {
            return null;
        }
        return new Item(item.type(), item.id(), item.path(), item.name(), item.revision(), item.created(),
                item.createdBy(), item.lastModified(), item.lastModifiedBy(), new Merged(item.values(), rest));
    }

    /**
     * An entry's values with those read from the bodies file over them, read-only, as a copy of the first with the second
     * put in would be, without the copy: a cold item's renderer asks for a few keys, and copying decoded every text of
     * the entry and filled a map (a third of a cold item's allocation, JFR 2026-12-01). The entry's texts are decoded
     * once, when the first of them is asked for; the whole map is built only if something iterates over it.
     */
    static final class Merged extends java.util.AbstractMap<String, Object> {
        private final Map<String, Object> base;
        private final Map<String, Object> rest;
        private Map<String, Object> texts;
        private Map<String, Object> all;

        Merged(Map<String, Object> base, Map<String, Object> rest) {
            this.base = base;
            this.rest = rest;
        }

        @Override
        public Object get(Object key) {
            Object v = rest.get(key);
            if (v != null || rest.containsKey(key)) {
                return v;
            }
            if (base instanceof MappedTexts.Values m && key instanceof String k && m.isText(k)) {
                if (texts == null) {
                    texts = m.texts();
                }
                return texts.get(k);
            }
            return base.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return rest.containsKey(key) || base.containsKey(key);
        }

        @Override
        public Set<Map.Entry<String, Object>> entrySet() {
            if (all == null) {
                Map<String, Object> m = new HashMap<>(base);
                m.putAll(rest);
                all = java.util.Collections.unmodifiableMap(m);
            }
            return all.entrySet();
        }
    }

    /** The search forms this entry was made with, once (null after, and for entries read from a snapshot). */
    Forms takeForms() {
        Forms f = pending;
        pending = null;
        return f;
    }

    /** The search forms of {@code item}'s searchable text (rich text included when the item has it). */
    static Forms forms(Item item, ContentType type) {
        Lang[] langs = Lang.values();
        int[][] title = new int[langs.length][];
        int[][] all = new int[langs.length][];
        for (Lang l : langs) {
            StringBuilder text = new StringBuilder();
            String t = "";
            for (PropertyDef p : type.properties()) {
                if (p.searchable()) {
                    String s = text(item, p.name(), l);
                    s = s == null ? "" : s;
                    text.append(s).append(" <br> ");
                    if (p.name().equals(Fields.TITLE)) {
                        t = s;
                    }
                }
            }
            title[l.ordinal()] = TextIndex.index(t, l);
            all[l.ordinal()] = TextIndex.index(text.toString(), l);
        }
        return new Forms(title, all);
    }

    /** Shared copies of short repeated values (options, tags, names of people and publishers): one per JVM. */
    private static final Map<String, String> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    static String shared(String s) {
        if (s == null || s.length() > 200) {
            return s;
        }
        if (SHARED.size() > 200_000) {
            SHARED.clear(); // a bound, not a cache policy: values keep working, only sharing restarts
        }
        String prev = SHARED.putIfAbsent(s, s);
        return prev == null ? s : prev;
    }

    /** The item as an entry keeps it: no rich text, compact immutable maps and lists, repeated values shared. */
    static Item light(Item full, ContentType type) {
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<String, Object> e : full.values().entrySet()) {
            PropertyDef p = type.property(e.getKey());
            if (e.getValue() == null || (p != null && p.type() == PropertyType.RICH_TEXT)) {
                continue;
            }
            values.put(shared(e.getKey()), compact(e.getValue(), p != null && !p.i18n()));
        }
        return new Item(shared(full.type()), full.id(), full.path(), full.name(), full.revision(), full.created(),
                shared(full.createdBy()), full.lastModified(), shared(full.lastModifiedBy()),
                MappedTexts.compact(Map.copyOf(values), k -> {
                    PropertyDef p = type.property(k);
                    return p != null && p.i18n();
                }));
    }

    private static Object compact(Object v, boolean share) {
        if (v instanceof String s) {
            return share ? shared(s) : s;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                if (o != null) {
                    out.add(compact(o, share));
                }
            }
            return List.copyOf(out);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new HashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() != null) {
                    out.put(shared((String) e.getKey()), compact(e.getValue(), false));
                }
            }
            return Map.copyOf(out);
        }
        return v;
    }

    public String id() {
        return item.id();
    }

    /** The value of an i18n text in {@code lang}, or in the other language when missing (null when neither). */
    public static String text(Item item, String property, Lang lang) {
        if (item.values() instanceof MappedTexts.Values mv && mv.isText(property)) {
            String s = mv.text(property, lang.tag());
            return s != null ? s : mv.text(property, lang.other().tag());
        }
        Object v = item.values().get(property);
        if (v instanceof Map<?, ?> m) {
            Object s = m.get(lang.tag());
            return (String) (s != null ? s : m.get(lang.other().tag()));
        }
        return v instanceof String s ? s : null;
    }

    /** What {@link #localized} answers for a property the item has no value of. */
    public static final Object ABSENT = new Object();

    /**
     * The value of the i18n property {@code property} of {@code values} in the language {@code tag} (null when the
     * item has the property but not in that language; {@link #ABSENT} when it has no value of it). A text kept in a
     * mapped block is decoded alone, not with every other text of the item as {@code values.get} does.
     */
    public static Object localized(Map<String, Object> values, String property, String tag) {
        if (values instanceof MappedTexts.Values mv && mv.isText(property)) {
            return mv.text(property, tag);
        }
        Object v = values.get(property);
        return v == null ? ABSENT : ((Map<?, ?>) v).get(tag);
    }

    /** A reusable buffer for the UTF-8 bytes of one text ({@link #localizedBytes}). */
    public static final class TextBytes {
        public byte[] bytes = new byte[512];
        public int length;

        byte[] room(int n) {
            if (bytes.length < n) {
                bytes = new byte[Math.max(n, bytes.length * 2)];
            }
            return bytes;
        }

        void set(byte[] b) {
            System.arraycopy(b, 0, room(b.length), 0, b.length);
            length = b.length;
        }
    }

    /**
     * The UTF-8 bytes of the i18n text {@code property} of {@code values} in the language {@code tag}, copied into
     * {@code out} from the entry's text block without making a string: 1 when copied, 0 when the block has the text
     * but not in that language, -1 when the text is not in a block (then ask {@link #localized}).
     */
    public static int localizedBytes(Map<String, Object> values, String property, String tag, TextBytes out) {
        if (values instanceof MappedTexts.Values mv && mv.isText(property)) {
            return mv.textBytes(property, tag, out) ? 1 : 0;
        }
        return -1;
    }

    /** The filter keys of a filterable property's value: each value as a string (dates as epoch millis). */
    static List<String> keys(PropertyDef p, Object v) {
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(key(p, o));
            }
            return out;
        }
        return List.of(key(p, v));
    }

    public static String key(PropertyDef p, Object value) {
        if (p.type() == PropertyType.DATE && value instanceof java.time.OffsetDateTime d) {
            return Long.toString(d.toInstant().toEpochMilli());
        }
        return String.valueOf(value);
    }
}
