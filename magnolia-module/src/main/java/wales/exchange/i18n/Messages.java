package wales.exchange.i18n;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The module's message bundles ({@code exchange/i18n/exchange-messages_en.properties} and {@code _cy}), the same files
 * Magnolia uses for the admin UI labels. There is no fallback between languages: a key missing in one language is an
 * error at start-up, not English shown to a Welsh reader.
 */
@Singleton
public final class Messages {
    public static final String BUNDLE = "exchange/i18n/exchange-messages_%s.properties";
    private final Map<Lang, Properties> bundles = new EnumMap<>(Lang.class);

    public Messages() {
        this(Messages.class.getClassLoader());
    }

    public Messages(ClassLoader loader) {
        this(wales.exchange.model.DefinitionFiles.classpath(loader));
    }

    /** The bundles of the host's definitions (inside Magnolia: its resource origin, the same files its apps use). */
    @Inject
    public Messages(wales.exchange.model.DefinitionFiles files) {
        for (Lang l : Lang.values()) {
            String path = String.format(BUNDLE, l.tag()).substring(wales.exchange.model.DefinitionFiles.MODULE.length() + 1);
            Properties p = new Properties();
            try {
                String text = files.read(path);
                if (text == null) {
                    throw new IllegalStateException("message bundle missing: " + path + " in " + files.describe());
                }
                p.load(new java.io.StringReader(text));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + path + " from " + files.describe(), e);
            }
            bundles.put(l, p);
        }
        Set<String> en = bundles.get(Lang.EN).stringPropertyNames();
        Set<String> cy = bundles.get(Lang.CY).stringPropertyNames();
        if (!en.equals(cy)) {
            Set<String> onlyEn = new java.util.TreeSet<>(en);
            onlyEn.removeAll(cy);
            Set<String> onlyCy = new java.util.TreeSet<>(cy);
            onlyCy.removeAll(en);
            throw new IllegalStateException("message bundles differ: only in en " + onlyEn + ", only in cy " + onlyCy);
        }
    }

    /** The message for {@code key} in {@code lang}, with {@link MessageFormat} arguments. Unknown keys are a bug. */
    public String get(Lang lang, String key, Object... args) {
        String pattern = bundles.get(lang).getProperty(key);
        if (pattern == null) {
            throw new IllegalArgumentException("no message " + key);
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, lang.locale()).format(args);
    }

    public boolean has(String key) {
        return bundles.get(Lang.EN).containsKey(key);
    }

    public Set<String> keys() {
        return bundles.get(Lang.EN).stringPropertyNames();
    }
}
