package wales.exchange.server;

import wales.exchange.settings.ExchangeSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.delivery.http.PreviewTokens;

/**
 * {@code java -jar exchange-server.jar [options]} or {@code ... preview-token [--hours H]}; see {@link ExchangeSettings} and
 * {@code --help}. Exit codes: 0 (help, a token, or the server stopped normally), 2 (a bad setting or a port in use: one
 * line on stderr, checked before anything starts), 1 (any other failure to start).
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final long MAX_TOKEN_HOURS = PreviewTokens.MAX_LIFETIME.toHours();

    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("org.jboss.logging.provider", "slf4j"); // RESTEasy and Undertow log through SLF4J too
        if (BulkCommand.handles(args)) {   // import / export of JSON lines, see docs/import-export.md
            System.exit(BulkCommand.run(args, System.in, System.out, System.err, System.getenv()));
        }
        int code = run(args, System.getenv(), System.out, System.err, server ->
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "exchange-shutdown")));
        if (code != OK) {
            System.exit(code);
        }
        // on success the server's threads keep the process alive until it is stopped
    }

    /**
     * Main's logic with its inputs given: parses {@code args} and {@code env}, prints help or a token, or starts the
     * server and hands it to {@code started}. Returns the exit code; never calls {@link System#exit}.
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Consumer<ExchangeServer> started) {
        try {
            if (Settings.wantsHelp(args)) {
                out.print(Settings.help());
                return OK;
            }
            if (args.length > 0 && args[0].equals("preview-token")) {
                return previewToken(Arrays.copyOfRange(args, 1, args.length), env, out, err);
            }
            ExchangeSettings settings = Settings.parse(args, env);
            Logger log = LoggerFactory.getLogger(Main.class);
            if (settings.previewSecret() == null) {
                log.warn("no EXCHANGE_PREVIEW_SECRET set: a random preview secret is used, so preview tokens from other processes will be refused");
            }
            long t0 = System.nanoTime();
            ExchangeServer server = ExchangeServer.start(settings, Clock.systemUTC());
            started.accept(server);
            String host = settings.bind().equals(ExchangeSettings.DEFAULT_BIND) || settings.bind().equals("::") ? "localhost"
                    : settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
            log.info("ExChange ready at http://{}:{}{} (listening on {}{}, {} storage, {}, started in {} ms)",
                    host, server.port(), ExchangeServer.API_PATH, settings.bind(),
                    settings.bind().equals(ExchangeSettings.DEFAULT_BIND) ? " = all interfaces" : "",
                    settings.inMemory() ? "in-memory" : settings.cluster() != null
                            ? settings.cluster() + ", files in " + settings.data().toAbsolutePath()
                            : "file " + settings.data().toAbsolutePath(),
                    !settings.demo() ? "no demo content" : server.demoItemsInstalled() == 0 ? "demo content already present"
                            : server.demoItemsInstalled() + " demo items installed",
                    (System.nanoTime() - t0) / 1_000_000);
            return OK;
        } catch (IllegalArgumentException | StartupException e) {
            err.println(e.getMessage());
            return USAGE;
        } catch (Exception e) {
            err.println("ExChange could not start: " + e);
            return FAILED;
        }
    }

    /** {@code preview-token [--hours H] [--preview-secret S]}: prints a token for the server's secret. */
    private static int previewToken(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        long hours = 24;
        List<String> pass = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--hours") || a.startsWith("--hours=")) {
                String v;
                if (a.startsWith("--hours=")) {
                    v = a.substring("--hours=".length());
                } else if (i + 1 < args.length) {
                    v = args[++i];
                } else {
                    throw new IllegalArgumentException("--hours needs a value (H)");
                }
                try {
                    hours = Long.parseLong(v.strip());
                } catch (NumberFormatException e) {
                    hours = -1;
                }
                if (hours < 1 || hours > MAX_TOKEN_HOURS) {
                    throw new IllegalArgumentException("--hours must be a whole number from 1 to " + MAX_TOKEN_HOURS
                            + " (preview tokens live at most 7 days), got '" + v + "'");
                }
            } else {
                pass.add(a);
            }
        }
        ExchangeSettings s = Settings.parse(pass.toArray(new String[0]), env);
        if (s.previewSecret() == null) {
            err.println("set EXCHANGE_PREVIEW_SECRET (or --preview-secret) to the server's secret first");
            return USAGE;
        }
        out.println(new PreviewTokens(s.previewSecret().getBytes(StandardCharsets.UTF_8), Clock.systemUTC()).issue(Duration.ofHours(hours)));
        return OK;
    }
}
