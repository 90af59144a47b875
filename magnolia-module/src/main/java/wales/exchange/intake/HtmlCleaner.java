package wales.exchange.intake;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;
import wales.exchange.model.Fields;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;

/**
 * The OWASP sanitizer on public input: a long text (a contribution's description, a comment's body) keeps simple
 * formatting, paragraphs and http(s) links (rel="nofollow ugc"); any other text field loses every tag and is kept as
 * plain text (entities decoded, so "a < b" stays "a < b"; plain text is escaped by whoever shows it).
 */
public final class HtmlCleaner {
    private static final PolicyFactory FORMATTED = Sanitizers.FORMATTING.and(Sanitizers.BLOCKS)
            .and(new HtmlPolicyBuilder().allowStandardUrlProtocols().allowElements("a").allowAttributes("href").onElements("a")
                    .requireRelsOnLinks("nofollow", "ugc").toFactory());
    private static final PolicyFactory NOTHING = new HtmlPolicyBuilder().toFactory();
    private static final Pattern ENTITY = Pattern.compile("&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));");

    /** Long texts of the public types that keep simple formatting (sanitized HTML); every other text field is plain text. */
    public static final Set<String> FORMATTED_FIELDS = Set.of(Fields.DESCRIPTION, Fields.BODY);

    private HtmlCleaner() {
    }

    /**
     * A value of property {@code p} of a public type (contribution, comment) cleaned as the intake cleans it: a free
     * single text field ({@link #FORMATTED_FIELDS}: {@link #formatted}, others: {@link #plain}; per language for an
     * i18n one); anything else (options, formats, lists, other types) as it is, for the model to validate.
     */
    public static Object clean(PropertyDef p, Object value) {
        if (p.type() != PropertyType.STRING || p.multiple() || p.format() != null || p.enumerated()) {
            return value;
        }
        if (value instanceof String s) {
            return FORMATTED_FIELDS.contains(p.name()) ? formatted(s) : plain(s);
        }
        if (p.i18n() && value instanceof Map<?, ?> byLang) {
            Map<Object, Object> out = new LinkedHashMap<>();
            byLang.forEach((k, v) -> out.put(k, v instanceof String s ? (FORMATTED_FIELDS.contains(p.name()) ? formatted(s) : plain(s)) : v));
            return out;
        }
        return value;
    }

    /** Sanitized HTML with simple formatting and links. */
    public static String formatted(String html) {
        return FORMATTED.sanitize(html);
    }

    /** Plain text: every tag (and script or style content) removed. */
    public static String plain(String text) {
        if (text.indexOf('<') < 0 && text.indexOf('&') < 0) {
            return text;
        }
        return decode(NOTHING.sanitize(text));
    }

    static String decode(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String r;
            if (m.group(1) != null || m.group(2) != null) {
                int cp = m.group(1) != null ? Integer.parseInt(m.group(1)) : Integer.parseInt(m.group(2), 16);
                r = Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : "";
            } else {
                r = switch (m.group(3)) {
                    case "amp" -> "&";
                    case "lt" -> "<";
                    case "gt" -> ">";
                    case "quot" -> "\"";
                    default -> "'";
                };
            }
            m.appendReplacement(b, Matcher.quoteReplacement(r));
        }
        m.appendTail(b);
        return b.toString();
    }
}
