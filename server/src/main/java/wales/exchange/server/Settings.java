package wales.exchange.server;

import java.util.Arrays;
import java.util.Map;
import wales.exchange.settings.ExchangeSettings;
import wales.exchange.settings.ExchangeSettings.Option;
import wales.exchange.settings.SettingsLookup;

/**
 * The standalone server's lookup of the module's settings ({@link ExchangeSettings}, one source for both hosts): each
 * a flag ({@code --name V} or {@code --name=V}) and an environment variable, the flag wins; {@code --help} lists them.
 * Everything is checked in {@link ExchangeSettings#read}, before anything starts: a bad value is an
 * {@link IllegalArgumentException} with one line that names the flag (or the variable it came from).
 */
public final class Settings {
    /** The cluster database's password: from this variable only (a flag would show in the process list). */
    public static final String CLUSTER_DB_PASSWORD = ExchangeSettings.CLUSTER_DB_PASSWORD;

    private Settings() {
    }

    /** True when {@code args} ask for the usage text. */
    public static boolean wantsHelp(String[] args) {
        return Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"));
    }

    /** The usage text of {@code --help}. */
    public static String help() {
        StringBuilder b = new StringBuilder();
        b.append("Usage: java -jar exchange-server.jar [options]\n")
                .append("       java -jar exchange-server.jar preview-token [--hours H] [--preview-secret S]\n")
                .append("       java -jar exchange-server.jar import|export ...\n\n")
                .append("Runs the ExChange delivery API (").append(ExchangeServer.API_PATH).append("). Each option is a flag (--name V or\n")
                .append("--name=V) and an environment variable; the flag wins.\n\nOptions:\n");
        for (Option o : ExchangeSettings.OPTIONS) {
            String flag = o.flag() + (o.value() == null ? "" : " " + o.value());
            b.append(String.format("  %-26s %-26s default %s%n      %s%n", flag, o.env() + (o.value() == null ? "=true" : ""),
                    o.defaultValue(), o.meaning()));
        }
        for (Option o : ExchangeSettings.ENVIRONMENT_ONLY) {
            b.append(String.format("  %-26s %-26s default %s%n      %s (environment only: a flag would show in the process list)%n",
                    "", o.env(), o.defaultValue(), o.meaning()));
        }
        b.append("  -h, --help                 this text\n\nSubcommands:\n")
                .append("  preview-token [--hours H]  print a preview token (X-Exchange-Preview) for the secret in\n")
                .append("                             EXCHANGE_PREVIEW_SECRET or --preview-secret, valid H hours (1 to ")
                .append(Main.MAX_TOKEN_HOURS).append(", default 24)\n")
                .append("  import [--data DIR] [--strict] FILE|-\n")
                .append("                             import items from JSON lines (docs/import-export.md)\n")
                .append("  export [--data DIR] [--type T]\n")
                .append("                             write items as JSON lines to standard output\n");
        return b.toString();
    }

    /** The settings of these flags and environment variables. */
    public static ExchangeSettings parse(String[] args, Map<String, String> env) {
        return ExchangeSettings.read(SettingsLookup.flagsAndEnvironment(args, env));
    }
}
