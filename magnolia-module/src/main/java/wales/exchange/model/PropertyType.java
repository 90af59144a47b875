package wales.exchange.model;

import java.util.Locale;

/** The value types a content-type property may have (Magnolia's model types plus references and sub-models). */
public enum PropertyType {
    STRING, RICH_TEXT, BOOLEAN, LONG, DOUBLE, DECIMAL, DATE, ASSET, REFERENCE, SUB_MODEL;

    /** Parses a built-in Magnolia type name (case-insensitive, as Magnolia accepts {@code Asset} and {@code asset}). */
    static PropertyType builtIn(String yamlType) {
        switch (yamlType.toLowerCase(Locale.ROOT)) {
            case "string": return STRING;
            case "richtext": return RICH_TEXT;
            case "boolean": return BOOLEAN;
            case "long": return LONG;
            case "double": return DOUBLE;
            case "decimal": return DECIMAL;
            case "date": return DATE;
            case "asset": return ASSET;
            default: return null;
        }
    }

    public boolean isText() {
        return this == STRING || this == RICH_TEXT;
    }
}
