package wales.exchange.server;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import wales.exchange.delivery.DeliveryConfig;

/**
 * Server settings, each a flag and an environment variable (the flag wins): {@code --port}/{@code EXCHANGE_PORT}
 * (8080), {@code --data}/{@code EXCHANGE_DATA} (./data), {@code --in-memory}/{@code EXCHANGE_IN_MEMORY},
 * {@code --cors-origins}/{@code EXCHANGE_CORS_ORIGINS} (comma list), {@code --preview-secret}/
 * {@code EXCHANGE_PREVIEW_SECRET} (at least 32 characters; default: a random one per start),
 * {@code --no-demo}/{@code EXCHANGE_NO_DEMO}, {@code --rate-limit}/{@code EXCHANGE_RATE_LIMIT} (requests per second per
 * client, bursts of twice that; default 100), {@code --page-url}/{@code EXCHANGE_PAGE_URL} (items' public web pages,
 * e.g. {@code https://www.exchangewales.org/{segment}/{name}}, for JSON-LD and iCalendar; default: their API address).
 */
public record Settings(int port, Path data, boolean inMemory, Set<String> corsOrigins, String previewSecret, boolean demo,
                       int rateLimit, String pageUrl, String publicUrl, Set<String> allowedHosts) {
    public static final int DEFAULT_RATE_LIMIT = 100;

    public Settings(int port, Path data, boolean inMemory, Set<String> corsOrigins, String previewSecret, boolean demo) {
        this(port, data, inMemory, corsOrigins, previewSecret, demo, DEFAULT_RATE_LIMIT, null, null, DeliveryConfig.LOCAL_HOSTS);
    }

    public Settings(int port, Path data, boolean inMemory, Set<String> corsOrigins, String previewSecret, boolean demo,
                    int rateLimit) {
        this(port, data, inMemory, corsOrigins, previewSecret, demo, rateLimit, null, null, DeliveryConfig.LOCAL_HOSTS);
    }

    public static Settings parse(String[] args, Map<String, String> env) {
        int port = Integer.parseInt(env.getOrDefault("EXCHANGE_PORT", "8080"));
        Path data = Path.of(env.getOrDefault("EXCHANGE_DATA", "data"));
        boolean inMemory = Boolean.parseBoolean(env.getOrDefault("EXCHANGE_IN_MEMORY", "false"));
        String cors = env.getOrDefault("EXCHANGE_CORS_ORIGINS", "");
        String secret = env.get("EXCHANGE_PREVIEW_SECRET");
        boolean demo = !Boolean.parseBoolean(env.getOrDefault("EXCHANGE_NO_DEMO", "false"));
        String pageUrl = env.get("EXCHANGE_PAGE_URL");
        String publicUrl = env.get("EXCHANGE_PUBLIC_URL");
        String hosts = env.getOrDefault("EXCHANGE_ALLOWED_HOSTS", String.join(",", DeliveryConfig.LOCAL_HOSTS));
        int rateLimit = Integer.parseInt(env.getOrDefault("EXCHANGE_RATE_LIMIT", Integer.toString(DEFAULT_RATE_LIMIT)));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--data" -> data = Path.of(value(args, ++i, "--data"));
                case "--in-memory" -> inMemory = true;
                case "--cors-origins" -> cors = value(args, ++i, "--cors-origins");
                case "--preview-secret" -> secret = value(args, ++i, "--preview-secret");
                case "--no-demo" -> demo = false;
                case "--rate-limit" -> rateLimit = Integer.parseInt(value(args, ++i, "--rate-limit"));
                case "--page-url" -> pageUrl = value(args, ++i, "--page-url");
                case "--public-url" -> publicUrl = value(args, ++i, "--public-url");
                case "--allowed-hosts" -> hosts = value(args, ++i, "--allowed-hosts");
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --port N, --data DIR, --in-memory, --cors-origins a,b, --preview-secret S, --no-demo, --rate-limit N, --page-url PATTERN)");
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535");
        }
        if (pageUrl != null && !pageUrl.matches("https?://\\S+")) {
            throw new IllegalArgumentException("--page-url must be an http(s) URL pattern, e.g. https://www.exchangewales.org/{segment}/{name}");
        }
        if (rateLimit < 1) {
            throw new IllegalArgumentException("--rate-limit must be at least 1 request per second");
        }
        if (publicUrl != null) {
            publicUrl = DeliveryConfig.validPublicUrl(publicUrl);
        }
        Set<String> allowed = new LinkedHashSet<>();
        Arrays.stream(hosts.split(",")).map(h -> h.strip().toLowerCase(java.util.Locale.ROOT)).filter(h -> !h.isEmpty()).forEach(allowed::add);
        Set<String> origins = new LinkedHashSet<>();
        Arrays.stream(cors.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(origins::add);
        return new Settings(port, data, inMemory, Set.copyOf(origins), secret, demo, rateLimit, pageUrl, publicUrl, Set.copyOf(allowed));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
