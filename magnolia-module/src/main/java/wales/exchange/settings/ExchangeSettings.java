package wales.exchange.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.intake.IntakeConfig;
import wales.exchange.jcr.EmbeddedRepository;

/**
 * The module's settings, one source for both hosts: every setting is an {@link Option} of {@link #OPTIONS}, read through
 * a {@link SettingsLookup} of the host (the standalone server: flags and environment, {@link SettingsLookup#flagsAndEnvironment};
 * Magnolia: the module configuration under {@code /modules/exchange/config} and environment,
 * {@link SettingsLookup#moduleConfigAndEnvironment}) or a {@link Builder}, and checked here, in {@link #read}, once:
 * a bad value is an {@link IllegalArgumentException} with one line naming where it came from (flag, variable, node
 * property). What both hosts derive from the settings (preview tokens, the delivery configuration, the intake's) is
 * made here too, once.
 */
public record ExchangeSettings(int port, Path data, boolean inMemory, Set<String> corsOrigins, String previewSecret, boolean demo,
                       int rateLimit, String pageUrl, String bind, TrustedProxies trustedProxies, boolean accessLog,
                       Duration idleTimeout, Duration requestTimeout, int maxConnections, String publicUrl,
                       Set<String> allowedHosts, int searchClientShare, Smtp smtp, String adminPassword,
                       Intake intake, EmbeddedRepository.Cluster cluster, int warmUp) {
    public static final int DEFAULT_RATE_LIMIT = 100;
    public static final String DEFAULT_BIND = "0.0.0.0";
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final int DEFAULT_SEARCH_CLIENT_SHARE = 4;
    /** Requests of the standalone server's JIT warm-up after a start (docs/operations.md, "Warm-up"); 0: none. */
    public static final int DEFAULT_WARM_UP = 3000;
    public static final int MIN_PREVIEW_SECRET = 32;
    public static final int DEFAULT_SMTP_PORT = 587;

    /**
     * Where notification mail goes (docs/notifications.md). {@link #OFF} (no host): nothing is sent, notices stay in the
     * outbox until a start with a host. STARTTLS is required unless turned off.
     */
    public record Smtp(String host, int port, String from, String user, String password, boolean startTls) {
        public static final Smtp OFF = new Smtp(null, DEFAULT_SMTP_PORT, null, null, null, true);

        public boolean enabled() {
            return host != null;
        }

        @Override
        public String toString() { // never the password
            return enabled() ? "smtp://" + (user == null ? "" : user + "@") + host + ":" + port : "off";
        }
    }
    public static final int MIN_ADMIN_PASSWORD = 12;
    /** The cluster database's password: from this variable only (a flag would show in the process list). */
    public static final String CLUSTER_DB_PASSWORD = "EXCHANGE_CLUSTER_DB_PASSWORD";

    /**
     * One setting: its flag, environment variable, value placeholder (null for a switch), default and meaning. Its
     * {@link #key} names it in Magnolia's module configuration ({@code /modules/exchange/config/<key>}).
     */
    public record Option(String flag, String env, String value, String defaultValue, String meaning) {
        /** Transport and storage of the standalone server: Magnolia's servlet container and repository decide these. */
        private static final Set<String> SERVER_ONLY = Set.of("--port", "--bind", "--data", "--in-memory", "--no-demo",
                "--access-log", "--idle-timeout", "--request-timeout", "--max-connections", "--search-client-share",
                "--cluster-db-url", "--cluster-db-user", "--cluster-node-id", "--cluster-sync-delay", "--cluster-janitor-hours",
                "--cluster-db-password", "--warm-up",
                // inside Magnolia the moderation API's users are Magnolia's (MagnoliaAuthenticator): no module admin user
                "--admin-password");

        /** The property name in Magnolia's module configuration: the flag in camel case ({@code --cors-origins}: corsOrigins). */
        public String key() {
            StringBuilder b = new StringBuilder();
            boolean upper = false;
            for (char c : flag.substring(2).toCharArray()) {
                if (c == '-') {
                    upper = true;
                } else {
                    b.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
            return b.toString();
        }

        /** True for a setting only the standalone server has (Magnolia's container or repository decides it there). */
        public boolean serverOnly() {
            return SERVER_ONLY.contains(flag);
        }
    }

    /** Every setting, in the order of {@code --help} and of README.md's table. */
    public static final List<Option> OPTIONS = List.of(
            new Option("--port", "EXCHANGE_PORT", "N", "8080", "HTTP port (0: any free port)"),
            new Option("--bind", "EXCHANGE_BIND", "ADDRESS", DEFAULT_BIND, "address to listen on (0.0.0.0: all interfaces)"),
            new Option("--data", "EXCHANGE_DATA", "DIR", "./data", "Jackrabbit repository directory"),
            new Option("--in-memory", "EXCHANGE_IN_MEMORY", null, "off", "keep everything in memory (nothing survives a stop)"),
            new Option("--cors-origins", "EXCHANGE_CORS_ORIGINS", "a,b", "none", "browser origins allowed to read the API (* for any)"),
            new Option("--preview-secret", "EXCHANGE_PREVIEW_SECRET", "S", "random per start",
                    "HMAC secret of preview tokens (at least " + MIN_PREVIEW_SECRET + " characters)"),
            new Option("--no-demo", "EXCHANGE_NO_DEMO", null, "off", "do not install demo content into an empty repository"),
            new Option("--page-url", "EXCHANGE_PAGE_URL", "PATTERN", "API address",
                    "items' public web pages for JSON-LD and iCalendar, e.g. https://www.exchangewales.org/{segment}/{name}"),
            new Option("--public-url", "EXCHANGE_PUBLIC_URL", "URL", "none",
                    "the one trusted base of absolute URLs (JSON-LD url, iCalendar URL), e.g. https://api.exchangewales.org"),
            new Option("--allowed-hosts", "EXCHANGE_ALLOWED_HOSTS", "a,b", String.join(",", DeliveryConfig.LOCAL_HOSTS),
                    "without --public-url: Host names (any port) trusted as that base; others get 421"),
            new Option("--rate-limit", "EXCHANGE_RATE_LIMIT", "N", Integer.toString(DEFAULT_RATE_LIMIT),
                    "requests per second per client address (bursts of 2N)"),
            new Option("--trusted-proxies", "EXCHANGE_TRUSTED_PROXIES", "a,b", "none",
                    "addresses or CIDRs of reverse proxies whose X-Forwarded-For / Forwarded name the client"),
            new Option("--forwarded-header", "EXCHANGE_FORWARDED_HEADER", "NAME", "x-forwarded-for",
                    "the header trusted proxies name the client in: x-forwarded-for or forwarded (the other is ignored)"),
            new Option("--access-log", "EXCHANGE_ACCESS_LOG", null, "off", "one line per request (Combined Log Format, logger exchange.access)"),
            new Option("--idle-timeout", "EXCHANGE_IDLE_TIMEOUT", "SECONDS", Long.toString(DEFAULT_IDLE_TIMEOUT.toSeconds()),
                    "close a connection idle (no request, nothing read or written) this long"),
            new Option("--request-timeout", "EXCHANGE_REQUEST_TIMEOUT", "SECONDS", Long.toString(DEFAULT_REQUEST_TIMEOUT.toSeconds()),
                    "close a connection whose request line and headers take longer than this to arrive"),
            new Option("--max-connections", "EXCHANGE_MAX_CONNECTIONS", "N", Integer.toString(DEFAULT_MAX_CONNECTIONS),
                    "open connections at most (64 per client address); a request on one more is a 503 problem"),
            new Option("--search-client-share", "EXCHANGE_SEARCH_CLIENT_SHARE", "N", Integer.toString(DEFAULT_SEARCH_CLIENT_SHARE),
                    "full-text searches one client may have running or queued at once; beyond, a 503 problem"),
            new Option("--warm-up", "EXCHANGE_WARM_UP", "N", Integer.toString(DEFAULT_WARM_UP),
                    "requests the server asks itself once ready (lists, and items they name; at most 30 s, one background thread), so that the first clients meet compiled code; 0: none"),
            new Option("--smtp-host", "EXCHANGE_SMTP_HOST", "HOST", "none (off)",
                    "SMTP server for notification mail; without it nothing is sent and notices stay in the outbox"),
            new Option("--smtp-port", "EXCHANGE_SMTP_PORT", "N", Integer.toString(DEFAULT_SMTP_PORT), "SMTP port"),
            new Option("--smtp-from", "EXCHANGE_SMTP_FROM", "ADDRESS", "none", "sender address of notification mail (needed with --smtp-host)"),
            new Option("--smtp-user", "EXCHANGE_SMTP_USER", "NAME", "none", "SMTP user name (with --smtp-password)"),
            new Option("--smtp-password", "EXCHANGE_SMTP_PASSWORD", "S", "none",
                    "SMTP password (prefer the variable: a flag is visible to other users of the machine)"),
            new Option("--smtp-starttls", "EXCHANGE_SMTP_STARTTLS", null, "on",
                    "require STARTTLS (=false only for a relay on this machine or a private network)"),
            new Option("--admin-password", "EXCHANGE_ADMIN_PASSWORD", "P", "none",
                    "password of the moderation API's user admin (role administrator), set at each start (at least "
                            + MIN_ADMIN_PASSWORD + " characters)"),
            new Option("--intake-secret", "EXCHANGE_INTAKE_SECRET", "S", "random per start",
                    "HMAC secret of contributors' status links and form tokens (at least " + IntakeConfig.MIN_SECRET + " characters)"),
            new Option("--intake-retention-days", "EXCHANGE_INTAKE_RETENTION_DAYS", "N", Long.toString(IntakeConfig.DEFAULT_RETENTION.toDays()),
                    "days personal data of contributions and comments is kept before the purge deletes it"),
            new Option("--intake-min-fill-seconds", "EXCHANGE_INTAKE_MIN_FILL_SECONDS", "N", Long.toString(IntakeConfig.DEFAULT_MIN_FILL.toSeconds()),
                    "a form sent sooner after its form token is treated as a bot's (answered 202, not stored); 0: no check"),
            new Option("--intake-address-limit", "EXCHANGE_INTAKE_ADDRESS_LIMIT", "N", Integer.toString(IntakeConfig.DEFAULT_PER_ADDRESS),
                    "submissions, uploads and reports per client address per hour; beyond, 429"),
            new Option("--intake-email-limit", "EXCHANGE_INTAKE_EMAIL_LIMIT", "N", Integer.toString(IntakeConfig.DEFAULT_PER_EMAIL),
                    "submissions per email address per day; beyond, 429"),
            new Option("--intake-max-attachment-kb", "EXCHANGE_INTAKE_MAX_ATTACHMENT_KB", "N",
                    Long.toString(IntakeConfig.DEFAULT_MAX_ATTACHMENT / 1024), "largest attachment accepted, in KiB; beyond, 413"),
            new Option("--post-moderated-boards", "EXCHANGE_POST_MODERATED_BOARDS", "a,b", "none",
                    "comment boards published at once and moderated after (resources, events, case-studies, home); others are pre-moderated"),
            new Option("--cluster-db-url", "EXCHANGE_CLUSTER_DB_URL", "URL", "none (one node)",
                    "cluster mode: JDBC URL of the shared PostgreSQL database, e.g. jdbc:postgresql://db.internal:5432/exchange "
                            + "(password in " + CLUSTER_DB_PASSWORD + " only)"),
            new Option("--cluster-db-user", "EXCHANGE_CLUSTER_DB_USER", "NAME", "exchange", "cluster mode: database user"),
            new Option("--cluster-node-id", "EXCHANGE_CLUSTER_NODE_ID", "ID", "none (needed in cluster mode)",
                    "cluster mode: this node's id, unique in the cluster and the same at each start (letters, digits, . _ -)"),
            new Option("--cluster-sync-delay", "EXCHANGE_CLUSTER_SYNC_DELAY", "MS",
                    Long.toString(EmbeddedRepository.Cluster.DEFAULT_SYNC_DELAY_MILLIS),
                    "cluster mode: milliseconds between two reads of the cluster journal (changes from other nodes)"),
            new Option("--cluster-janitor-hours", "EXCHANGE_CLUSTER_JANITOR_HOURS", "N",
                    Integer.toString(EmbeddedRepository.Cluster.DEFAULT_JANITOR_HOURS),
                    "cluster mode: hours between two trims of the cluster journal (records every node has read are deleted;"
                            + " first at the next 03:00); 0: never trimmed"));

    /**
     * Settings read from an environment variable only, never a flag (a flag shows in the process list): not in
     * {@link #OPTIONS}, so {@link #option} does not know their flag.
     */
    public static final List<Option> ENVIRONMENT_ONLY = List.of(
            new Option("--cluster-db-password", CLUSTER_DB_PASSWORD, "S", "none", "cluster mode: the database password"));

    /** Settings of the public intake (see {@link IntakeConfig}). */
    public record Intake(String secret, int retentionDays, int minFillSeconds, int perAddress, int perEmail, int maxAttachmentKb,
                         Set<String> postModerated) {
        public static final Intake DEFAULTS = new Intake(null, (int) IntakeConfig.DEFAULT_RETENTION.toDays(),
                (int) IntakeConfig.DEFAULT_MIN_FILL.toSeconds(), IntakeConfig.DEFAULT_PER_ADDRESS, IntakeConfig.DEFAULT_PER_EMAIL,
                (int) (IntakeConfig.DEFAULT_MAX_ATTACHMENT / 1024), Set.of());

        public Intake {
            postModerated = Set.copyOf(postModerated);
        }

        /** The module's configuration: the secret's bytes, or a random one per start. */
        public IntakeConfig config() {
            return new IntakeConfig(secret == null ? IntakeConfig.randomSecret() : secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    Duration.ofSeconds(minFillSeconds), Duration.ofDays(retentionDays), perAddress, perEmail, maxAttachmentKb * 1024L,
                    postModerated);
        }
    }

    public ExchangeSettings {
        corsOrigins = Set.copyOf(corsOrigins);
        bind = bind == null ? DEFAULT_BIND : bind;
        trustedProxies = trustedProxies == null ? TrustedProxies.NONE : trustedProxies;
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        allowedHosts = allowedHosts == null ? DeliveryConfig.LOCAL_HOSTS : Set.copyOf(allowedHosts);
        smtp = smtp == null ? Smtp.OFF : smtp;
        intake = intake == null ? Intake.DEFAULTS : intake;
        if (cluster != null && inMemory) {
            throw new IllegalArgumentException("--cluster-db-url and --in-memory exclude each other (a cluster node keeps its index on disk)");
        }
    }

    /** The option of a flag ({@code --port}), or null. */
    public static Option option(String flag) {
        return OPTIONS.stream().filter(o -> o.flag().equals(flag)).findFirst().orElse(null);
    }

    /** A builder: typed setters, checked by the same {@link #read} as the hosts' lookups. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads and checks every setting from a host's lookup (in Magnolia, options of the standalone server only, such as
     * {@code port}, are not asked for: see {@link Option#serverOnly}).
     */
    public static ExchangeSettings read(SettingsLookup lookup) {
        Reader r = new Reader(lookup);
        int port = r.get("--port", "8080", s -> wholeNumber(s, 0, 65535));
        String bind = r.get("--bind", DEFAULT_BIND, s -> {
            if (!TrustedProxies.isAddressLiteral(s)) {
                throw new IllegalArgumentException("must be an IP address such as 0.0.0.0, 127.0.0.1 or ::");
            }
            return s;
        });
        Path data = r.get("--data", "data", s -> {
            if (s.isBlank()) {
                throw new IllegalArgumentException("must be a directory");
            }
            return Path.of(s);
        });
        boolean inMemory = r.get("--in-memory", "false", ExchangeSettings::bool);
        Set<String> origins = r.get("--cors-origins", "", ExchangeSettings::corsOrigins);
        String secret = r.get("--preview-secret", null, s -> {
            if (s.length() < MIN_PREVIEW_SECRET) {
                throw new IllegalArgumentException("must have at least " + MIN_PREVIEW_SECRET + " characters, got " + s.length());
            }
            return s;
        });
        boolean noDemo = r.get("--no-demo", "false", ExchangeSettings::bool);
        String pageUrl = r.get("--page-url", null, DeliveryConfig::validPageUrlPattern);
        String publicUrl = r.get("--public-url", null, DeliveryConfig::validPublicUrl);
        Set<String> allowedHosts = r.get("--allowed-hosts", String.join(",", DeliveryConfig.LOCAL_HOSTS), s -> {
            Set<String> set = new LinkedHashSet<>();
            for (String h : s.split(",")) {
                String t = h.strip().toLowerCase(java.util.Locale.ROOT);
                if (!t.isEmpty() && !t.equals("*") && !t.matches("[a-z0-9.-]{1,253}|\\[[0-9a-f:.]{2,45}\\]")) {
                    throw new IllegalArgumentException("must be host names or addresses without port, such as localhost,api.example.org, got '" + h + "'");
                }
                if (!t.isEmpty()) {
                    set.add(t);
                }
            }
            return set;
        });
        int rateLimit = r.get("--rate-limit", Integer.toString(DEFAULT_RATE_LIMIT), s -> wholeNumber(s, 1, 1_000_000));
        TrustedProxies proxies = r.get("--trusted-proxies", "", TrustedProxies::parse)
                .withHeader(r.get("--forwarded-header", "x-forwarded-for", s -> {
                    TrustedProxies.NONE.withHeader(s); // checks the name
                    return s;
                }));
        boolean accessLog = r.get("--access-log", "false", ExchangeSettings::bool);
        Duration idle = r.get("--idle-timeout", Long.toString(DEFAULT_IDLE_TIMEOUT.toSeconds()),
                s -> Duration.ofSeconds(wholeNumber(s, 1, 86_400)));
        Duration request = r.get("--request-timeout", Long.toString(DEFAULT_REQUEST_TIMEOUT.toSeconds()),
                s -> Duration.ofSeconds(wholeNumber(s, 1, 3_600)));
        int maxConnections = r.get("--max-connections", Integer.toString(DEFAULT_MAX_CONNECTIONS), s -> wholeNumber(s, 1, 1_000_000));
        return new ExchangeSettings(port, data, inMemory, origins, secret, !noDemo, rateLimit, pageUrl, bind, proxies, accessLog, idle,
                request, maxConnections, publicUrl, allowedHosts,
                r.get("--search-client-share", Integer.toString(DEFAULT_SEARCH_CLIENT_SHARE), v -> wholeNumber(v, 1, 1_000)),
                smtp(r), adminPassword(r), intake(r), cluster(r, lookup, inMemory),
                r.get("--warm-up", Integer.toString(DEFAULT_WARM_UP), v -> wholeNumber(v, 0, 100_000)));
    }

    /** Cluster mode (docs/operations.md, "Cluster"): all or nothing; the password from the environment only. */
    private static EmbeddedRepository.Cluster cluster(Reader r, SettingsLookup lookup, boolean inMemory) {
        String url = r.get("--cluster-db-url", null, s -> {
            if (!s.strip().matches("jdbc:postgresql://[^\\s/?#]+(:[0-9]{1,5})?/[^\\s/?#]+(\\?\\S*)?")) {
                throw new IllegalArgumentException("must be a PostgreSQL JDBC URL such as jdbc:postgresql://db.internal:5432/exchange, got '" + s + "'");
            }
            return s.strip();
        });
        String user = r.get("--cluster-db-user", "exchange", s -> {
            if (!s.strip().matches("[A-Za-z0-9_.-]{1,63}")) {
                throw new IllegalArgumentException("must be a database user name (letters, digits, _ . -), got '" + s + "'");
            }
            return s.strip();
        });
        String nodeId = r.get("--cluster-node-id", null, s -> {
            if (!s.strip().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new IllegalArgumentException("must be 1 to 64 letters, digits, . _ - (unique in the cluster), got '" + s + "'");
            }
            return s.strip();
        });
        long syncDelay = r.get("--cluster-sync-delay", Long.toString(EmbeddedRepository.Cluster.DEFAULT_SYNC_DELAY_MILLIS),
                s -> wholeNumber(s, 50, 60_000));
        int janitorHours = r.get("--cluster-janitor-hours", Integer.toString(EmbeddedRepository.Cluster.DEFAULT_JANITOR_HOURS),
                s -> wholeNumber(s, 0, EmbeddedRepository.Cluster.MAX_JANITOR_HOURS));
        SettingsLookup.Found password = lookup.find(ENVIRONMENT_ONLY.get(0));
        if (url == null) {
            if (nodeId != null) {
                throw new IllegalArgumentException("--cluster-node-id needs --cluster-db-url (EXCHANGE_CLUSTER_DB_URL)");
            }
            return null;
        }
        if (inMemory) {
            throw new IllegalArgumentException("--cluster-db-url and --in-memory exclude each other (a cluster node keeps its index on disk)");
        }
        if (nodeId == null) {
            throw new IllegalArgumentException("--cluster-db-url needs --cluster-node-id (EXCHANGE_CLUSTER_NODE_ID), unique in the cluster");
        }
        if (password == null || password.value().isEmpty()) {
            throw new IllegalArgumentException("--cluster-db-url needs the database password in " + CLUSTER_DB_PASSWORD
                    + " (never a flag: flags show in the process list)");
        }
        return new EmbeddedRepository.Cluster(url, user, password.value(), nodeId, syncDelay, janitorHours);
    }

    private static final java.util.regex.Pattern MAIL_ADDRESS =
            java.util.regex.Pattern.compile("[^\\s@<>()\\[\\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

    /** The SMTP settings: all checked together (a host needs a sender address; a user needs a password and STARTTLS). */
    private static Smtp smtp(Reader r) {
        String host = r.get("--smtp-host", null, s -> {
            if (!s.strip().matches("[A-Za-z0-9.-]{1,253}|\\[[0-9a-fA-F:.]{2,45}\\]")) {
                throw new IllegalArgumentException("must be a host name or address, got '" + s + "'");
            }
            return s.strip();
        });
        int port = r.get("--smtp-port", Integer.toString(DEFAULT_SMTP_PORT), s -> wholeNumber(s, 1, 65535));
        String from = r.get("--smtp-from", null, s -> {
            if (!MAIL_ADDRESS.matcher(s.strip()).matches()) {
                throw new IllegalArgumentException("must be an email address such as exchange@example.org, got '" + s + "'");
            }
            return s.strip();
        });
        String user = r.get("--smtp-user", null, s -> s.isBlank() ? null : s);
        String password = r.get("--smtp-password", null, s -> s.isEmpty() ? null : s);
        boolean startTls = r.get("--smtp-starttls", "true", ExchangeSettings::bool);
        if (host == null) {
            return Smtp.OFF;
        }
        if (from == null) {
            throw new IllegalArgumentException("--smtp-host needs --smtp-from (EXCHANGE_SMTP_FROM), the sender address");
        }
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("--smtp-user and --smtp-password (EXCHANGE_SMTP_PASSWORD) go together");
        }
        if (user != null && !startTls && !(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"))) {
            throw new IllegalArgumentException("--smtp-starttls=false with --smtp-user would send the password in clear to " + host);
        }
        return new Smtp(host, port, from, user, password, startTls);
    }

    private static String adminPassword(Reader r) {
        return r.get("--admin-password", null, v -> {
            if (v.length() < MIN_ADMIN_PASSWORD || v.length() > 200) {
                throw new IllegalArgumentException("must have " + MIN_ADMIN_PASSWORD + " to 200 characters, got " + v.length());
            }
            return v;
        });
    }

    private static Intake intake(Reader r) {
        String secret = r.get("--intake-secret", null, s -> {
            if (s.length() < IntakeConfig.MIN_SECRET) {
                throw new IllegalArgumentException("must have at least " + IntakeConfig.MIN_SECRET + " characters, got " + s.length());
            }
            return s;
        });
        Set<String> boards = r.get("--post-moderated-boards", "", s -> {
            Set<String> set = new LinkedHashSet<>();
            for (String b : s.split(",")) {
                String t = b.strip();
                if (t.isEmpty()) {
                    continue;
                }
                if (!t.matches("[a-z0-9][a-z0-9-]{0,59}")) {
                    throw new IllegalArgumentException("must be board names such as resources,events,home, got '" + t + "'");
                }
                set.add(t);
            }
            return set;
        });
        return new Intake(secret,
                r.get("--intake-retention-days", Long.toString(IntakeConfig.DEFAULT_RETENTION.toDays()), v -> wholeNumber(v, 1, 3650)),
                r.get("--intake-min-fill-seconds", Long.toString(IntakeConfig.DEFAULT_MIN_FILL.toSeconds()), v -> wholeNumber(v, 0, 3600)),
                r.get("--intake-address-limit", Integer.toString(IntakeConfig.DEFAULT_PER_ADDRESS), v -> wholeNumber(v, 1, 100_000_000)),
                r.get("--intake-email-limit", Integer.toString(IntakeConfig.DEFAULT_PER_EMAIL), v -> wholeNumber(v, 1, 100_000_000)),
                r.get("--intake-max-attachment-kb", Long.toString(IntakeConfig.DEFAULT_MAX_ATTACHMENT / 1024), v -> wholeNumber(v, 1, 1024 * 1024)),
                boards);
    }

    private static int wholeNumber(String s, int min, int max) {
        try {
            if (!s.strip().matches("[0-9]{1,9}")) {
                throw new NumberFormatException(s); // ASCII digits only: parseInt also takes other scripts' digits
            }
            int n = Integer.parseInt(s.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("must be a whole number from " + min + " to " + max + ", got '" + s + "'");
    }

    private static boolean bool(String s) {
        return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off", "" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + s + "'");
        };
    }

    /** The browser origins of {@code --cors-origins}: {@code *} or {@code http(s)://host[:port]}, comma-separated. */
    public static Set<String> corsOrigins(String commaSeparated) {
        Set<String> set = new LinkedHashSet<>();
        for (String o : commaSeparated.split(",")) {
            String t = o.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.equals("*") && !t.matches("https?://[^/\\s?#]+")) {
                throw new IllegalArgumentException("must be * or origins such as https://www.exchangewales.org (no path), got '" + t + "'");
            }
            set.add(t);
        }
        return set;
    }

    /** The delivery API's configuration from these settings (both hosts). */
    public DeliveryConfig deliveryConfig() {
        return DeliveryConfig.defaults().withCorsOrigins(corsOrigins).withPageUrlPattern(pageUrl).withPublicUrl(publicUrl)
                .withAllowedHosts(allowedHosts);
    }

    /** The preview secret's bytes, or a random one per start when none is set (tokens of other processes are refused). */
    public byte[] previewKey() {
        if (previewSecret != null) {
            return previewSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        byte[] key = new byte[MIN_PREVIEW_SECRET];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    /** Typed setters for every setting; {@link #build} checks them with {@link #read}, as a host's values are. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder() {
            // a server built in code (tests, embedding) does not warm up unless asked: its requests would compete with
            // the caller's first ones
            values.put("--warm-up", "0");
        }

        /** Any option by its flag, as text (e.g. {@code set("--rate-limit", "5")}). */
        public Builder set(String flag, String value) {
            if (option(flag) == null) {
                throw new IllegalArgumentException("unknown option " + flag);
            }
            values.put(flag, value);
            return this;
        }

        public Builder port(int port) {
            return set("--port", Integer.toString(port));
        }

        public Builder data(Path dir) {
            return set("--data", dir.toString());
        }

        public Builder inMemory() {
            return set("--in-memory", "true");
        }

        public Builder noDemo() {
            return set("--no-demo", "true");
        }

        public Builder previewSecret(String secret) {
            return set("--preview-secret", secret);
        }

        public Builder corsOrigins(String commaSeparated) {
            return set("--cors-origins", commaSeparated);
        }

        public Builder pageUrl(String pattern) {
            return set("--page-url", pattern);
        }

        public Builder publicUrl(String url) {
            return set("--public-url", url);
        }

        public Builder rateLimit(int perSecond) {
            return set("--rate-limit", Integer.toString(perSecond));
        }

        public ExchangeSettings build() {
            return read(option -> values.containsKey(option.flag())
                    ? new SettingsLookup.Found(values.get(option.flag()), option.flag()) : null);
        }
    }

    /** Reads each value through its check; a failed check becomes one line naming where the value came from. */
    private record Reader(SettingsLookup lookup) {
        <T> T get(String flag, String fallback, Function<String, T> check) {
            Option o = option(flag);
            SettingsLookup.Found found = lookup.find(o);
            if (found == null) {
                return fallback == null ? null : check.apply(fallback);
            }
            try {
                return check.apply(found.value());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(found.source() + " " + e.getMessage());
            }
        }
    }
}
