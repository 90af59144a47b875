package wales.exchange.content;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;
import wales.exchange.model.SubModel;

/**
 * Converts loosely typed input (JSON-like maps) to the model's canonical value shapes, collecting every problem as a
 * {@link FieldError}. Canonical shapes are those of {@link Item#values()}.
 */
final class Values {
    static final int MAX_ITEMS = 100;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}");
    private static final Pattern DOI = Pattern.compile("10\\.\\d{4,9}/\\S+");
    /**
     * Rich text keeps formatting, blocks, headings, lists, tables and http(s)/mailto links; scripts, styles, event
     * handlers, iframes and images from other sites go (images belong in the DAM, as assets).
     */
    static final PolicyFactory RICH_TEXT = Sanitizers.FORMATTING.and(Sanitizers.BLOCKS).and(Sanitizers.LINKS)
            .and(Sanitizers.TABLES).and(new HtmlPolicyBuilder().allowElements("h2", "h3", "h4", "figure", "figcaption", "abbr")
                    .allowAttributes("title").onElements("abbr").allowAttributes("lang").globally().toFactory());
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Values() {
    }

    static boolean isId(String s) {
        return s != null && ID.matcher(s).matches();
    }

    /** Canonical value of one property, or null (with errors added) when it does not fit. */
    static Object convert(PropertyDef p, Object raw, String field, SubModelLookup subModels, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        if (p.type() == PropertyType.SUB_MODEL) {
            return convertSubModels(subModels.get(p.target()), raw, field, p.multiple(), errors);
        }
        if (p.multiple()) {
            if (!(raw instanceof List<?> list)) {
                errors.add(new FieldError(field, "list"));
                return null;
            }
            if (list.size() > MAX_ITEMS) {
                errors.add(new FieldError(field, "tooMany", MAX_ITEMS));
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Object v = convertSingle(p, list.get(i), field + "[" + i + "]", errors);
                if (v != null && !out.contains(v)) {
                    out.add(v);
                }
            }
            return out.isEmpty() ? null : List.copyOf(out);
        }
        if (p.i18n()) {
            if (raw instanceof String s) {
                raw = Map.of(Lang.EN.tag(), s);
            }
            if (!(raw instanceof Map<?, ?> map)) {
                errors.add(new FieldError(field, "i18n"));
                return null;
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (Lang.parse(key).isEmpty() || key.contains("-")) {
                    errors.add(new FieldError(field + "." + key, "language"));
                    continue;
                }
                Object v = convertSingle(p, e.getValue(), field + "." + key, errors);
                if (v != null) {
                    out.put(key, (String) v);
                }
            }
            return out.isEmpty() ? null : Map.copyOf(out);
        }
        return convertSingle(p, raw, field, errors);
    }

    private static List<Map<String, Object>> convertSubModels(SubModel sm, Object raw, String field, boolean multiple,
                                                              List<FieldError> errors) {
        List<?> list = raw instanceof List<?> l ? l : multiple ? null : List.of(raw);
        if (list == null) {
            errors.add(new FieldError(field, "list"));
            return null;
        }
        if (list.size() > MAX_ITEMS) {
            errors.add(new FieldError(field, "tooMany", MAX_ITEMS));
            return null;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String f = field + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                errors.add(new FieldError(f, "object"));
                continue;
            }
            Map<String, Object> converted = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                PropertyDef sp = sm.property(key);
                if (sp == null) {
                    errors.add(new FieldError(f + "." + safeName(key), "unknownField"));
                    continue;
                }
                Object v = convert(sp, e.getValue(), f + "." + key, name -> null, errors);
                if (v != null) {
                    converted.put(key, v);
                }
            }
            for (PropertyDef sp : sm.properties()) {
                if (!converted.containsKey(sp.name()) && sp.defaultValue() != null) {
                    converted.put(sp.name(), sp.defaultValue());
                }
                if (sp.required() && !converted.containsKey(sp.name())) {
                    errors.add(new FieldError(f + "." + sp.name(), "required"));
                }
            }
            out.add(Map.copyOf(converted));
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /** Field names echoed in errors are cut and stripped so hostile input cannot flood or forge a message. */
    static String safeName(String key) {
        String s = key.replaceAll("[^A-Za-z0-9_.\\[\\]-]", "?");
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    private static Object convertSingle(PropertyDef p, Object raw, String field, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        switch (p.type()) {
            case STRING, RICH_TEXT, ASSET, REFERENCE: {
                if (!(raw instanceof String s)) {
                    errors.add(new FieldError(field, "text"));
                    return null;
                }
                s = p.type() == PropertyType.RICH_TEXT ? RICH_TEXT.sanitize(s).strip() : s.strip();
                if (s.isEmpty()) {
                    return null;
                }
                if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
                    errors.add(new FieldError(field, "control"));
                    return null;
                }
                int length = s.codePointCount(0, s.length());
                if (length > p.maxLength()) {
                    errors.add(new FieldError(field, "maxLength", p.maxLength(), length));
                    return null;
                }
                if (p.enumerated() && !p.options().contains(s)) {
                    errors.add(new FieldError(field, "option", String.join(", ", p.options())));
                    return null;
                }
                if (p.type() == PropertyType.REFERENCE && !isId(s)) {
                    errors.add(new FieldError(field, "reference", p.target()));
                    return null;
                }
                if (p.format() != null && !formatOk(p.format(), s)) {
                    errors.add(new FieldError(field, "format." + p.format()));
                    return null;
                }
                return s;
            }
            case BOOLEAN:
                if (raw instanceof Boolean b) {
                    return b;
                }
                if ("true".equals(raw) || "false".equals(raw)) {
                    return Boolean.valueOf((String) raw);
                }
                errors.add(new FieldError(field, "boolean"));
                return null;
            case LONG:
                try {
                    if (raw instanceof Number n && !(raw instanceof Double) && !(raw instanceof Float)
                            && !(raw instanceof BigDecimal)) {
                        return n.longValue();
                    }
                    if (raw instanceof String s) {
                        return Long.parseLong(s.strip());
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                errors.add(new FieldError(field, "long"));
                return null;
            case DOUBLE:
            case DECIMAL:
                try {
                    BigDecimal d = raw instanceof Number n ? new BigDecimal(n.toString())
                            : raw instanceof String s ? new BigDecimal(s.strip()) : null;
                    if (d != null) {
                        return p.type() == PropertyType.DOUBLE ? (Object) d.doubleValue() : d;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                errors.add(new FieldError(field, "number"));
                return null;
            case DATE: {
                OffsetDateTime d = date(raw);
                if (d == null) {
                    errors.add(new FieldError(field, "date"));
                }
                return d;
            }
            default:
                throw new IllegalStateException("unexpected type " + p.type());
        }
    }

    /**
     * A date from an {@link OffsetDateTime}, {@link ZonedDateTime}, {@link Instant}, {@link Calendar}, or an ISO 8601
     * text: with an offset, as a local date-time in Europe/London, or as a date (midnight in Europe/London).
     */
    static OffsetDateTime date(Object raw) {
        Instant instant = null;
        if (raw instanceof OffsetDateTime o) {
            instant = o.toInstant();
        } else if (raw instanceof ZonedDateTime z) {
            instant = z.toInstant();
        } else if (raw instanceof Instant i) {
            instant = i;
        } else if (raw instanceof Calendar c) {
            instant = c.toInstant();
        } else if (raw instanceof java.util.Date d) {
            instant = d.toInstant();
        } else if (raw instanceof String s) {
            s = s.strip();
            try {
                instant = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e1) {
                try {
                    instant = LocalDateTime.parse(s).atZone(ContentModel.ZONE).toInstant();
                } catch (DateTimeParseException e2) {
                    try {
                        instant = LocalDate.parse(s).atStartOfDay(ContentModel.ZONE).toInstant();
                    } catch (DateTimeParseException e3) {
                        return null;
                    }
                }
            }
        }
        if (instant == null) {
            return null;
        }
        int year = instant.atZone(ContentModel.ZONE).getYear();
        if (year < 1000 || year > 9999) {
            return null;
        }
        return instant.atZone(ContentModel.ZONE).toOffsetDateTime();
    }

    private static boolean formatOk(String format, String s) {
        switch (format) {
            case "email":
                return EMAIL.matcher(s).matches();
            case "doi":
                return DOI.matcher(s).matches();
            case "uri":
                try {
                    URI u = new URI(s);
                    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                    return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null;
                } catch (URISyntaxException e) {
                    return false;
                }
            default:
                return true;
        }
    }

    /** Looks sub-models up by name. */
    interface SubModelLookup {
        SubModel get(String name);
    }
}
