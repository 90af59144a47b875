package wales.exchange.model;

import java.util.List;

/**
 * One property of a content type or sub-model: Magnolia's keys from {@code contentTypes/<type>.yaml}, the module's from
 * {@code exchange-model/<type>.yaml}.
 *
 * @param name        JCR property name (i18n variants are stored as {@code name_cy})
 * @param type        value type
 * @param target      referenced content type (REFERENCE) or sub-model name (SUB_MODEL), otherwise null
 * @param multiple    multi-valued
 * @param required    must have a value
 * @param i18n        one value per language
 * @param options     allowed values (empty: free)
 * @param maxLength   longest text value, in characters (0: no limit beyond the module's default)
 * @param format      extra check for text: uri, email, doi (null: none)
 * @param facet       counted in delivery facets and filterable by value
 * @param searchable  included in full-text search
 * @param privateField never shown on delivery routes
 * @param defaultValue value used on create when none is given (null: none)
 */
public record PropertyDef(String name, PropertyType type, String target, boolean multiple, boolean required,
                          boolean i18n, List<String> options, int maxLength, String format, boolean facet,
                          boolean searchable, boolean privateField, Object defaultValue) {

    public boolean enumerated() {
        return !options.isEmpty();
    }
}
