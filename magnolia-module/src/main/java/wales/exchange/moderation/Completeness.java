package wales.exchange.moderation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentType;
import wales.exchange.model.Fields;
import wales.exchange.model.PropertyDef;

/**
 * The bilingual-completeness gate, free of JCR. A type with translatable (i18n) fields (resources, events, case
 * studies) cannot be approved while a Welsh field is empty that must not be: a required i18n field, or one that has
 * text in another language. Exempt: external material marked with its original language (an {@code originalLanguage}
 * set, and a {@code link}, {@code doi} or {@code file} pointing at the material), which is shown in its own language.
 */
public final class Completeness {
    private Completeness() {
    }

    /** The names of the Welsh fields still empty, in model order; empty when the item may be approved. */
    public static List<String> missingWelsh(ContentType type, Map<String, Object> values) {
        List<String> missing = new ArrayList<>();
        if (external(type, values)) {
            return missing;
        }
        for (PropertyDef p : type.properties()) {
            if (!p.i18n()) {
                continue;
            }
            Object v = values.get(p.name());
            Map<?, ?> byLang = v instanceof Map<?, ?> m ? m : Map.of();
            boolean hasAny = byLang.values().stream().anyMatch(x -> x instanceof String s && !s.isBlank());
            Object cy = byLang.get(Lang.CY.tag());
            boolean hasWelsh = cy instanceof String s && !s.isBlank();
            if ((p.required() || hasAny) && !hasWelsh) {
                missing.add(p.name());
            }
        }
        return missing;
    }

    /** External material marked with its original language. */
    public static boolean external(ContentType type, Map<String, Object> values) {
        return type.property(Fields.ORIGINAL_LANGUAGE) != null && values.get(Fields.ORIGINAL_LANGUAGE) != null
                && (values.get(Fields.LINK) != null || values.get(Fields.DOI) != null || values.get("file") != null);
    }
}
