package wales.exchange.notify;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import wales.exchange.i18n.Lang;

/**
 * The notification templates in both languages, read once from the class path ({@code wales/exchange/notify/KEY_LANG.txt}):
 * first line {@code Subject: ...}, a blank line, then the body; parameters are {@code {name}}. Every template must exist in
 * both languages and use exactly its {@link Template#params()}: checked when this is built, so a gap fails at start-up,
 * never as English mail to a Welsh reader or a mail with a hole in it.
 */
@Singleton
public final class Templates {
    static final String PATH = "wales/exchange/notify/%s_%s.txt";
    static final Pattern PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
    private final Map<Template, Map<Lang, Text>> texts = new EnumMap<>(Template.class);

    /** A rendered message: one subject line and a plain-text body. */
    public record Rendered(String subject, String body) {
    }

    private record Text(String subject, String body) {
    }

    @Inject
    public Templates() {
        this(Templates.class.getClassLoader());
    }

    public Templates(ClassLoader loader) {
        for (Template t : Template.values()) {
            Map<Lang, Text> byLang = new EnumMap<>(Lang.class);
            for (Lang l : Lang.values()) {
                String path = String.format(PATH, t.key(), l.tag());
                String raw;
                try (InputStream in = loader.getResourceAsStream(path)) {
                    if (in == null) {
                        throw new IllegalStateException("notification template missing: " + path);
                    }
                    raw = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + path, e);
                }
                if (!raw.startsWith("Subject: ") || !raw.contains("\n\n")) {
                    throw new IllegalStateException(path + ": must start with a 'Subject: ' line and a blank line");
                }
                int end = raw.indexOf('\n');
                Text text = new Text(raw.substring("Subject: ".length(), end).strip(), raw.substring(end + 2).strip() + "\n");
                Set<String> used = new LinkedHashSet<>(params(text.subject()));
                used.addAll(params(text.body()));
                if (!used.equals(new LinkedHashSet<>(t.params()))) {
                    throw new IllegalStateException(path + ": uses parameters " + used + ", the template takes " + t.params());
                }
                byLang.put(l, text);
            }
            texts.put(t, byLang);
        }
    }

    /** The parameter names in {@code text}, in order of first use. */
    static Set<String> params(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PARAM.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The notice's subject and body in its language; parameters are put in as given (line breaks removed in the subject). */
    public Rendered render(Notice notice) {
        Text text = texts.get(notice.template()).get(notice.lang());
        return new Rendered(fill(text.subject(), notice.params(), true), fill(text.body(), notice.params(), false));
    }

    private static String fill(String text, Map<String, String> params, boolean oneLine) {
        Matcher m = PARAM.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = params.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("parameter " + m.group(1) + " is not filled");
            }
            if (oneLine) {
                v = v.replaceAll("[\\r\\n\\t\\u0085\\u2028\\u2029]+", " ").strip();
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }
}
