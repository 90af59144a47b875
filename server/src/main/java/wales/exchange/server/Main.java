package wales.exchange.server;

import java.time.Duration;

/** {@code java -jar exchange-server.jar [--port N] [--data DIR] [--in-memory] ...}; see {@link Settings}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.jboss.logging.provider", "slf4j"); // RESTEasy and Undertow log through SLF4J too
        if (BulkCommand.handles(args)) {   // import / export of JSON lines, see docs/import-export.md
            System.exit(BulkCommand.run(args, System.in, System.out, System.err, System.getenv()));
        }
        if (args.length > 0 && args[0].equals("preview-token")) {
            // prints a preview token for the secret in EXCHANGE_PREVIEW_SECRET (or --preview-secret), valid for N hours
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            long hours = 24;
            java.util.List<String> pass = new java.util.ArrayList<>();
            for (int i = 0; i < rest.length; i++) {
                if (rest[i].equals("--hours")) {
                    hours = Long.parseLong(rest[++i]);
                } else {
                    pass.add(rest[i]);
                }
            }
            Settings s = Settings.parse(pass.toArray(new String[0]), System.getenv());
            if (s.previewSecret() == null) {
                System.err.println("set EXCHANGE_PREVIEW_SECRET (or --preview-secret) to the server's secret first");
                System.exit(2);
            }
            System.out.println(new wales.exchange.delivery.PreviewTokens(s.previewSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.time.Clock.systemUTC()).issue(Duration.ofHours(hours)));
            return;
        }
        Settings settings;
        try {
            settings = Settings.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        long t0 = System.nanoTime();
        ExchangeServer server = ExchangeServer.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "exchange-shutdown"));
        org.slf4j.LoggerFactory.getLogger(Main.class).info("ExChange ready at http://localhost:{}/.rest/exchange/v1/ ({} storage, {} demo items installed, started in {} ms)",
                server.port(), settings.inMemory() ? "in-memory" : "file " + settings.data().toAbsolutePath(),
                server.demoItemsInstalled(), (System.nanoTime() - t0) / 1_000_000);
    }
}
