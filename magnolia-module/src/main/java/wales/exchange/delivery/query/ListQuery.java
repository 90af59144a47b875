package wales.exchange.delivery.query;

import wales.exchange.delivery.index.TextIndex;
import wales.exchange.model.Fields;
import wales.exchange.delivery.index.TypeIndex;
import wales.exchange.delivery.index.Entry;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import wales.exchange.content.FieldError;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;

/**
 * A parsed list request. Parameters: {@code lang}, {@code q}, {@code sort} ({@code -prop} descending, {@code title},
 * {@code lastModified}), {@code offset}, {@code limit}, events' {@code from}/{@code to}/{@code past}, and filters
 * {@code prop=v}, {@code prop[op]=v} with op in eq, ne, in (comma list), gt, gte, lt, lte (dates and numbers).
 * Property names come from the model only; anything else is a 400 with the offending parameter named.
 */
public record ListQuery(String q, String sort, int offset, int limit, List<Filter> filters, Instant from, Instant to,
                        Boolean past) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    public static final int MAX_OFFSET = 10_000;
    public static final int MAX_QUERY = 200;
    /** Words in one search, and characters in one search word, at most. */
    public static final int MAX_QUERY_WORDS = 10;
    public static final int MAX_WORD_LENGTH = 40;
    static final Set<String> RESERVED = Set.of("lang", "q", "sort", "offset", "limit", "preview");
    static final Set<String> EVENT_PARAMS = Set.of("from", "to", "past");
    private static final Pattern FILTER = Pattern.compile("([A-Za-z][A-Za-z0-9]{0,63})(?:\\[([a-z-]{1,8})\\])?");
    private static final Set<String> OPS = Set.of("eq", "ne", "in", "gt", "gte", "lt", "lte");
    private static final Pattern ASCII_NUMBER = Pattern.compile("[0-9]{1,9}");
    /** A decimal number as filters take it: ASCII digits, optional sign and fraction (no exponent, NaN or hex). */
    private static final Pattern ASCII_DECIMAL = Pattern.compile("-?[0-9]{1,15}(\\.[0-9]{1,15})?");

    /** One filter on a model property. {@code values} are keys as in {@link Entry#keys}. */
    public record Filter(PropertyDef property, String op, List<String> values, Double number) {
    }

    public static ListQuery parse(ContentType type, Map<String, List<String>> params, boolean isEvents) {
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getValue().size() > 1) {
                errors.add(new FieldError(safe(e.getKey()), "repeated", safe(e.getKey())));
            }
        }
        String q = first(params, "q");
        if (q != null && q.length() > MAX_QUERY) {
            errors.add(new FieldError("q", "query", MAX_QUERY));
        } else if (q != null) {
            // the work of a search grows with its words and their forms: bound both
            List<String> words = TextIndex.words(q);
            if (words.size() > MAX_QUERY_WORDS) {
                errors.add(new FieldError("q", "queryWords", MAX_QUERY_WORDS));
            } else if (words.stream().anyMatch(w -> w.length() > MAX_WORD_LENGTH)) {
                errors.add(new FieldError("q", "queryWord", MAX_WORD_LENGTH));
            }
        }
        int limit = number(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors, "limit");
        int offset = number(params, "offset", 0, 0, MAX_OFFSET, errors, "offset");
        String sort = first(params, "sort");
        if (sort != null) {
            String name = sort.startsWith("-") ? sort.substring(1) : sort;
            PropertyDef p = type.property(name);
            boolean ok = name.equals(Fields.TITLE) || name.equals("lastModified") || (p != null && TypeIndex.sortable(p));
            if (!ok) {
                errors.add(new FieldError("sort", "sort", safe(sort)));
            }
        }
        Instant from = null;
        Instant to = null;
        Boolean past = null;
        if (isEvents) {
            from = instant(params, "from", errors);
            to = instant(params, "to", errors);
            String p = first(params, "past");
            if (p != null) {
                if (!p.equals("true") && !p.equals("false")) {
                    errors.add(new FieldError("past", "past"));
                } else {
                    past = Boolean.valueOf(p);
                }
            }
        }
        List<Filter> filters = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String key = e.getKey();
            if (RESERVED.contains(key) || (isEvents && EVENT_PARAMS.contains(key))) {
                continue;
            }
            Matcher m = FILTER.matcher(key);
            PropertyDef p = m.matches() ? type.property(m.group(1)) : null;
            if (p == null || !TypeIndex.filterable(p)) {
                errors.add(new FieldError(safe(key), "unknown", safe(m.matches() ? m.group(1) : key)));
                continue;
            }
            String op = m.group(2) == null ? "eq" : m.group(2);
            boolean ordered = TypeIndex.ordered(p) && !p.multiple();
            if (!OPS.contains(op) || (!ordered && Set.of("gt", "gte", "lt", "lte").contains(op))) {
                errors.add(new FieldError(safe(key), "operator", safe(op), p.name()));
                continue;
            }
            String raw = e.getValue().isEmpty() ? "" : e.getValue().get(0);
            List<String> vals = op.equals("in") ? List.of(raw.split(",", -1)) : List.of(raw);
            if (vals.size() > 50) {
                errors.add(new FieldError(safe(key), "value", "…", p.name()));
                continue;
            }
            List<String> keys = new ArrayList<>();
            Double number = null;
            for (String v : vals) {
                String k = key(p, v.strip());
                if (k == null) {
                    errors.add(new FieldError(safe(key), "value", safe(v), p.name()));
                } else {
                    keys.add(k);
                }
            }
            if (ordered && !keys.isEmpty()) {
                number = Double.valueOf(keys.get(0));
            }
            filters.add(new Filter(p, op, List.copyOf(keys), number));
        }
        if (!errors.isEmpty()) {
            throw new ParamException(errors);
        }
        return new ListQuery(q == null || q.isBlank() ? null : q, sort, offset, limit, List.copyOf(filters), from, to, past);
    }

    /** The index key of a request value, or null when it is not a valid value of the property. */
    private static String key(PropertyDef p, String v) {
        if (v.isEmpty() || v.length() > 300) {
            return null;
        }
        switch (p.type()) {
            case DATE: {
                OffsetDateTime d = DateParam.parse(v);
                return d == null ? null : Long.toString(d.toInstant().toEpochMilli());
            }
            case BOOLEAN:
                return v.equals("true") || v.equals("false") ? v : null;
            case LONG:
            case DOUBLE:
            case DECIMAL:
                if (!ASCII_DECIMAL.matcher(v).matches() || (p.type() == PropertyType.LONG && v.indexOf('.') >= 0)) {
                    return null;
                }
                double d = Double.parseDouble(v);
                return p.type() == PropertyType.LONG ? Long.toString((long) d) : Double.toString(d);
            default:
                return p.enumerated() && !p.options().contains(v) ? null : v;
        }
    }

    private static Instant instant(Map<String, List<String>> params, String name, List<FieldError> errors) {
        String v = first(params, name);
        if (v == null) {
            return null;
        }
        OffsetDateTime d = DateParam.parse(v);
        if (d == null) {
            errors.add(new FieldError(name, "value", safe(v), name));
            return null;
        }
        return d.toInstant();
    }

    private static int number(Map<String, List<String>> params, String name, int dflt, int min, int max,
                              List<FieldError> errors, String code) {
        String v = first(params, name);
        if (v == null) {
            return dflt;
        }
        // ASCII digits only: Integer.parseInt also takes other scripts' digits (٥, ３) and a sign
        String s = v.strip();
        if (ASCII_NUMBER.matcher(s).matches()) {
            int n = Integer.parseInt(s);
            if (n >= min && n <= max) {
                return n;
            }
        }
        errors.add(new FieldError(name, code, max));
        return dflt;
    }

    static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Parameter names and values echoed in errors: short and printable. */
    public static String safe(String s) {
        String t = s.replaceAll("[^\\p{L}\\p{N} ._:,\\[\\]-]", "?");
        return t.length() > 64 ? t.substring(0, 64) + "…" : t;
    }
}
