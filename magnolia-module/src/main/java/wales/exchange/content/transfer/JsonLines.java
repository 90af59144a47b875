package wales.exchange.content.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import wales.exchange.content.ContentService;
import wales.exchange.content.FieldError;
import wales.exchange.content.Item;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;

/**
 * The JSON-lines format of bulk import and export, without JCR: one item a line, a JSON object with
 * <ul>
 *   <li>{@code type}: the content type's name (required);</li>
 *   <li>{@code id}: the item's id, a lower-case UUID, kept (optional: a line without one gets an id derived from its
 *       content, so that running the same file again finds the same items);</li>
 *   <li>{@code state}: {@code published} or {@code draft} (default {@code draft}), the item's {@code moderationState};
 *       other workflow states as the {@code moderationState} property itself;</li>
 *   <li>{@code folder}, {@code name}: where a new item goes below the type's root (optional);</li>
 *   <li>every other key: a property of the type by its model name, with the API's value shapes (an i18n property as a
 *       string, English, or an object by language; a sub-model as a list of objects; dates as ISO 8601 text).</li>
 * </ul>
 * Parsing checks the line's frame (JSON, object, type, id, state); the properties are validated by
 * {@link ContentService}, with the API's errors.
 */
public final class JsonLines {
    public static final String TYPE = "type";
    public static final String ID = "id";
    public static final String STATE = "state";
    public static final String FOLDER = "folder";
    public static final String NAME = "name";
    /** The values {@code state} takes; any other moderation state is given as the {@code moderationState} property. */
    public static final List<String> STATES = List.of(ContentModel.PUBLISHED, "draft");
    public static final String DEFAULT_STATE = "draft";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final ContentModel model;
    private final ObjectMapper reader = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final ObjectMapper writer = JsonMapper.builder()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private final ObjectMapper canonical = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    public JsonLines(ContentModel model) {
        this.model = model;
    }

    /** A parsed line, or the reasons it cannot be one (then {@code line} is null). */
    public record Parsed(ImportLine line, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Parses one line (without its line break). Blank lines are the caller's to skip. */
    public Parsed parse(long number, String text) {
        Object json;
        try {
            json = reader.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            return failed(new FieldError("", "json", Math.max(column, 1)));
        }
        if (!(json instanceof Map<?, ?> map)) {
            return failed(new FieldError("", "jsonObject"));
        }
        List<FieldError> errors = new ArrayList<>();
        Object typeName = map.get(TYPE);
        ContentType type = typeName instanceof String s ? model.find(s).orElse(null) : null;
        if (type == null) {
            return failed(new FieldError(TYPE, "contentType", String.join(", ", typeNames())));
        }
        String id = null;
        Object rawId = map.get(ID);
        if (rawId != null) {
            if (rawId instanceof String s && ContentService.isId(s)) {
                id = s;
            } else {
                errors.add(new FieldError(ID, "id"));
            }
        }
        String folder = text(map, FOLDER, errors);
        String name = text(map, NAME, errors);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            if (!key.equals(TYPE) && !key.equals(ID) && !key.equals(STATE) && !key.equals(FOLDER) && !key.equals(NAME)) {
                values.put(key, e.getValue());
            }
        }
        if (type.property(ContentModel.MODERATION_STATE) != null) {
            Object state = map.get(STATE);
            if (state != null && values.containsKey(ContentModel.MODERATION_STATE)) {
                errors.add(new FieldError(STATE, "stateTwice"));
            } else if (state != null) {
                if (state instanceof String s && STATES.contains(s)) {
                    values.put(ContentModel.MODERATION_STATE, s);
                } else {
                    errors.add(new FieldError(STATE, "option", String.join(", ", STATES)));
                }
            } else if (!values.containsKey(ContentModel.MODERATION_STATE)) {
                values.put(ContentModel.MODERATION_STATE, DEFAULT_STATE);
            }
        } else if (map.containsKey(STATE)) {
            errors.add(new FieldError(STATE, "unknownField"));
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, List.copyOf(errors));
        }
        boolean given = id != null;
        if (!given) {
            id = derivedId(type.name(), folder, name, values);
        }
        return new Parsed(new ImportLine(number, type.name(), id, given, folder, name, values), List.of());
    }

    private static String text(Map<?, ?> map, String key, List<FieldError> errors) {
        Object v = map.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        errors.add(new FieldError(key, "text"));
        return null;
    }

    private static Parsed failed(FieldError error) {
        return new Parsed(null, List.of(error));
    }

    /**
     * The id of a line that gives none: a name-based UUID of its type and content (key order and spacing do not
     * matter), so a re-run of the same file finds the items it made the first time instead of making them again.
     */
    String derivedId(String type, String folder, String name, Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        all.put(" type", type);
        all.put(" folder", folder);
        all.put(" name", name);
        try {
            byte[] bytes = canonical.writeValueAsBytes(all);
            byte[] prefixed = new byte[bytes.length + 16];
            System.arraycopy("exchange-import\n".getBytes(StandardCharsets.US_ASCII), 0, prefixed, 0, 16);
            System.arraycopy(bytes, 0, prefixed, 16, bytes.length);
            return UUID.nameUUIDFromBytes(prefixed).toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The item as one line (no line break) that {@link #parse} reads back to the same values, location and state. */
    public String write(Item item) {
        ContentType type = model.get(item.type());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put(TYPE, item.type());
        line.put(ID, item.id());
        Object state = item.values().get(ContentModel.MODERATION_STATE);
        boolean stateLine = state instanceof String s && STATES.contains(s);
        if (stateLine) {
            line.put(STATE, state);
        }
        String prefix = type.rootPath() + "/";
        String suffix = "/" + item.name();
        if (item.path().startsWith(prefix) && item.path().endsWith(suffix) && item.path().length() > prefix.length() + suffix.length()) {
            String folder = item.path().substring(prefix.length(), item.path().length() - suffix.length());
            if (ContentService.isFolder(folder) && ContentService.isNodeName(item.name())) {
                line.put(FOLDER, folder);
                line.put(NAME, item.name());
            }
        }
        for (PropertyDef p : type.properties()) {
            Object v = item.values().get(p.name());
            if (v != null && !(stateLine && p.name().equals(ContentModel.MODERATION_STATE))) {
                line.put(p.name(), json(v));
            }
        }
        try {
            return writer.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object json(Object v) {
        if (v instanceof OffsetDateTime d) {
            return DATE.format(d);
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, json(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(json(x)));
            return out;
        }
        return v;
    }

    /**
     * The given types (all when empty) in an order where a referenced type comes before the types referring to it, so
     * that an export imports without forward references; otherwise by name.
     */
    public List<ContentType> exportOrder(Collection<String> names) {
        Set<String> wanted = new TreeSet<>(names.isEmpty() ? typeNames() : names);
        for (String n : wanted) {
            model.get(n);
        }
        Set<String> done = new LinkedHashSet<>();
        while (done.size() < wanted.size()) {
            boolean progress = false;
            for (String n : wanted) {
                if (!done.contains(n) && model.get(n).properties().stream()
                        .filter(p -> p.type() == PropertyType.REFERENCE && !p.target().equals(n) && wanted.contains(p.target()))
                        .allMatch(p -> done.contains(p.target()))) {
                    done.add(n);
                    progress = true;
                }
            }
            if (!progress) {
                wanted.stream().filter(n -> !done.contains(n)).findFirst().ifPresent(done::add);
            }
        }
        return done.stream().map(model::get).toList();
    }

    private List<String> typeNames() {
        return model.types().stream().map(ContentType::name).toList();
    }

    /** Whether a line is only white space (skipped, but counted). */
    public static boolean blank(String text) {
        return text.isBlank();
    }
}
