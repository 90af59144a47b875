package wales.exchange.notify;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import wales.exchange.i18n.Lang;

/**
 * One email to send: to whom, in which of the two languages, which {@link Template}, and its parameters (exactly the
 * template's, none blank). Checked when built, so that a notice that could never be rendered fails in the caller's
 * code, before its save, instead of in the outbox.
 */
public record Notice(String to, Lang lang, Template template, Map<String, String> params) {
    /** A plain address (local@domain), one line, no display name; the SMTP server has the final word. */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>()\\[\\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

    public Notice {
        if (to == null || to.length() > 254 || !ADDRESS.matcher(to).matches()) {
            throw new IllegalArgumentException("not an email address: " + to);
        }
        if (lang == null || template == null || params == null) {
            throw new IllegalArgumentException("a notice needs a language, a template and parameters");
        }
        if (!params.keySet().equals(new java.util.HashSet<>(template.params()))) {
            throw new IllegalArgumentException("template " + template.key() + " takes parameters " + template.params()
                    + ", got " + new TreeMap<>(params).keySet());
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() == null || e.getValue().isBlank()) {
                throw new IllegalArgumentException("template " + template.key() + ": parameter " + e.getKey() + " is empty");
            }
        }
        params = Map.copyOf(params);
    }

    /** A notice with parameters given as name, value pairs. */
    public static Notice of(String to, Lang lang, Template template, String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("parameters come in name, value pairs");
        }
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            params.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return new Notice(to, lang, template, params);
    }
}
