package wales.exchange.model;

import java.util.List;
import java.util.Map;

/**
 * One content type loaded from {@code contentTypes/<name>.yaml}.
 *
 * @param name      definition name (file name without .yaml), e.g. {@code caseStudy}
 * @param source    file it was read from, for messages
 * @param workspace JCR workspace
 * @param rootPath  folder holding the items
 * @param nodeType  JCR primary type of an item
 * @param namespaces JCR namespaces the type declares (prefix to URI)
 */
public record ContentType(String name, String source, String workspace, String rootPath, String nodeType,
                          Map<String, String> namespaces, List<PropertyDef> properties,
                          Map<String, PropertyDef> byName, Map<String, SubModel> subModels) {

    public PropertyDef property(String propertyName) {
        return byName.get(propertyName);
    }

    public SubModel subModel(String subModelName) {
        return subModels.get(subModelName);
    }
}
