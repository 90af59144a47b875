package wales.exchange.intake;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

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

    private HtmlCleaner() {
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
