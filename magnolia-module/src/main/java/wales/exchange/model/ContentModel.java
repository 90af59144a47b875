package wales.exchange.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every content type of the module, keyed by definition name. Immutable. */
public final class ContentModel {
    /** The module's own workflow property: only items in {@link #PUBLISHED} are delivered publicly. */
    public static final String MODERATION_STATE = "moderationState";
    public static final String PUBLISHED = "published";
    /** Every date of the model is an instant interpreted and rendered in this zone. */
    public static final java.time.ZoneId ZONE = java.time.ZoneId.of("Europe/London");

    private final Map<String, ContentType> types;

    public ContentModel(List<ContentType> types) {
        this.types = types.stream().collect(Collectors.toMap(ContentType::name, Function.identity(),
                (a, b) -> { throw new ModelException("content type " + a.name() + " defined twice"); }, TreeMap::new));
        for (ContentType type : types) {
            for (PropertyDef p : type.properties()) {
                if (p.type() == PropertyType.REFERENCE && !this.types.containsKey(p.target())) {
                    throw new ModelException(type.source() + ": property " + p.name() + " refers to unknown content type "
                            + p.target());
                }
            }
        }
    }

    public Collection<ContentType> types() {
        return types.values();
    }

    public Optional<ContentType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public ContentType get(String name) {
        ContentType t = types.get(name);
        if (t == null) {
            throw new IllegalArgumentException("unknown content type " + name);
        }
        return t;
    }

    /** The type whose items have this JCR primary type, if any. */
    public Optional<ContentType> byNodeType(String nodeType) {
        return types.values().stream().filter(t -> t.nodeType().equals(nodeType)).findFirst();
    }
}
