package wales.exchange.model;

import java.util.List;
import java.util.Map;

/** A repeating part of a content type (e.g. an event's speakers), stored as child nodes. */
public record SubModel(String name, String nodeType, List<PropertyDef> properties, Map<String, PropertyDef> byName) {

    public PropertyDef property(String propertyName) {
        return byName.get(propertyName);
    }
}
