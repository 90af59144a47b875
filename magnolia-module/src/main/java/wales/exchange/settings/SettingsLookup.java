package wales.exchange.settings;

import java.util.LinkedHashMap;
import java.util.Map;
import wales.exchange.settings.ExchangeSettings.Option;

/**
 * Where a host finds the raw text of a setting, and says where it came from (for the one-line error of a bad value).
 * {@link ExchangeSettings#read} checks every value, whatever the host.
 */
@FunctionalInterface
public interface SettingsLookup {
    /** A setting's raw text and its source: a flag, a variable or a module-configuration property. */
    record Found(String value, String source) {
    }

    /** The text of {@code option}, or null when the host has none (its default applies). */
    Found find(Option option);

    /**
     * The standalone server: flags ({@code --name V}, {@code --name=V}, a switch alone or {@code =true|false}), then
     * environment variables; the flag wins. An unknown flag or a missing value is an {@link IllegalArgumentException}.
     */
    static SettingsLookup flagsAndEnvironment(String[] args, Map<String, String> env) {
        Map<Option, Found> found = new LinkedHashMap<>();
        for (Option o : java.util.stream.Stream.concat(ExchangeSettings.OPTIONS.stream(), ExchangeSettings.ENVIRONMENT_ONLY.stream()).toList()) {
            String v = env.get(o.env());
            if (v != null) {
                found.put(o, new Found(v, o.env()));
            }
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                inline = a.substring(eq + 1);
            }
            Option o = ExchangeSettings.option(name);
            if (o == null) {
                throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
            }
            String v;
            if (o.value() == null) {
                if (inline != null && !inline.equals("true") && !inline.equals("false")) {
                    throw new IllegalArgumentException(o.flag() + " takes no value (or =true / =false), got '" + inline + "'");
                }
                v = inline == null ? "true" : inline;
            } else if (inline != null) {
                v = inline;
            } else if (i + 1 < args.length) {
                v = args[++i];
            } else {
                throw new IllegalArgumentException(o.flag() + " needs a value (" + o.value() + ")");
            }
            found.put(o, new Found(v, o.flag()));
        }
        return found::get;
    }

    /**
     * Magnolia: the module's configuration ({@code /modules/exchange/config}, one property per setting named by
     * {@link Option#key}, e.g. {@code corsOrigins}), then environment variables; the configuration wins. Settings of
     * the standalone server only ({@link Option#serverOnly}) are not read: their defaults apply. A configuration
     * property that names no setting, or one of the server only, is an {@link IllegalArgumentException}.
     *
     * @param configPath where {@code config} was read, for messages
     */
    static SettingsLookup moduleConfigAndEnvironment(String configPath, Map<String, String> config, Map<String, String> env) {
        for (String key : config.keySet()) {
            Option o = ExchangeSettings.OPTIONS.stream().filter(x -> x.key().equals(key)).findFirst().orElse(null);
            if (o == null) {
                throw new IllegalArgumentException(configPath + "/" + key + " is not an ExChange setting (see docs/install-magnolia.md)");
            }
            if (o.serverOnly()) {
                throw new IllegalArgumentException(configPath + "/" + key + " is a setting of the standalone server only");
            }
        }
        return o -> {
            if (o.serverOnly()) {
                return null;
            }
            String v = config.get(o.key());
            if (v != null) {
                return new Found(v, configPath + "/" + o.key());
            }
            v = env.get(o.env());
            return v == null ? null : new Found(v, o.env());
        };
    }
}
