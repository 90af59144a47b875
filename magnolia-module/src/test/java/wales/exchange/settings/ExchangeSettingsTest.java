package wales.exchange.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 8: one source of settings for both hosts, checked in one place. The standalone server's flags and
 * environment and Magnolia's module configuration and environment give the same settings for the same values, and a
 * bad value is refused with the same rule, naming where it came from.
 */
class ExchangeSettingsTest {
    static final String PATH = "/modules/exchange/config";
    static final String SECRET = "a-preview-secret-of-at-least-32-characters";

    private static ExchangeSettings server(String... args) {
        return ExchangeSettings.read(SettingsLookup.flagsAndEnvironment(args, Map.of()));
    }

    private static ExchangeSettings magnolia(Map<String, String> config, Map<String, String> env) {
        return ExchangeSettings.read(SettingsLookup.moduleConfigAndEnvironment(PATH, config, env));
    }

    @Test
    void bothHostsGiveTheSameSettingsForTheSameValues() {
        ExchangeSettings s = server("--cors-origins", "https://a.example, https://b.example", "--page-url", "https://www.example.org/{segment}/{name}",
                "--public-url", "https://api.example.org", "--preview-secret", SECRET, "--rate-limit", "7",
                "--post-moderated-boards", "events,home", "--intake-email-limit", "3", "--trusted-proxies", "10.0.0.0/8");
        ExchangeSettings m = magnolia(Map.of("corsOrigins", "https://a.example, https://b.example", "pageUrl", "https://www.example.org/{segment}/{name}",
                "publicUrl", "https://api.example.org", "previewSecret", SECRET, "rateLimit", "7",
                "postModeratedBoards", "events,home", "intakeEmailLimit", "3", "trustedProxies", "10.0.0.0/8"), Map.of());
        assertThat(m.deliveryConfig()).isEqualTo(s.deliveryConfig());
        assertThat(m.deliveryConfig().corsOrigins()).containsExactlyInAnyOrder("https://a.example", "https://b.example");
        assertThat(m.previewKey()).isEqualTo(s.previewKey()).isEqualTo(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(m.rateLimit()).isEqualTo(s.rateLimit()).isEqualTo(7);
        assertThat(m.intake()).isEqualTo(s.intake());
        assertThat(m.intake().postModerated()).containsExactlyInAnyOrder("events", "home");
        assertThat(m.trustedProxies().toString()).isEqualTo(s.trustedProxies().toString());
    }

    @Test
    void everySettingButTheServersTransportIsReadFromMagnoliasModuleConfiguration() {
        for (ExchangeSettings.Option o : ExchangeSettings.OPTIONS) {
            if (o.serverOnly()) {
                assertThat(SettingsLookup.moduleConfigAndEnvironment(PATH, Map.of(), Map.of(o.env(), "x")).find(o)).as(o.flag()).isNull();
                assertThat(o.flag()).isIn("--port", "--bind", "--data", "--in-memory", "--no-demo", "--access-log",
                        "--idle-timeout", "--request-timeout", "--max-connections", "--search-client-share",
                        // the standalone server's cluster: Magnolia's own repository configuration clusters Magnolia
                        "--cluster-db-url", "--cluster-db-user", "--cluster-node-id", "--cluster-sync-delay",
                        "--cluster-janitor-hours", "--admin-password",
                        // the standalone server's JIT warm-up over its own listener
                        "--warm-up");
            } else {
                SettingsLookup.Found found = SettingsLookup.moduleConfigAndEnvironment(PATH, Map.of(o.key(), "x"), Map.of()).find(o);
                assertThat(found).as(o.flag()).isEqualTo(new SettingsLookup.Found("x", PATH + "/" + o.key()));
            }
        }
        assertThat(ExchangeSettings.option("--cors-origins").key()).isEqualTo("corsOrigins");
        assertThat(ExchangeSettings.option("--intake-max-attachment-kb").key()).isEqualTo("intakeMaxAttachmentKb");
    }

    /** Inside Magnolia the moderation API's users are Magnolia's: an admin password there would be read and ignored. */
    @Test
    void theAdminPasswordIsRefusedInMagnoliasModuleConfiguration() {
        assertThatThrownBy(() -> magnolia(Map.of("adminPassword", "a-long-enough-password-1234"), Map.of()))
                .hasMessage(PATH + "/adminPassword is a setting of the standalone server only");
        assertThat(magnolia(Map.of(), Map.of("EXCHANGE_ADMIN_PASSWORD", "a-long-enough-password-1234")).adminPassword())
                .as("the variable is not read inside Magnolia").isNull();
    }

    @Test
    void theModuleConfigurationWinsOverTheEnvironmentWhichFillsIn() {
        ExchangeSettings m = magnolia(Map.of("rateLimit", "9"), Map.of("EXCHANGE_RATE_LIMIT", "3", "EXCHANGE_PUBLIC_URL", "https://api.example.org",
                "EXCHANGE_PORT", "not read in Magnolia"));
        assertThat(m.rateLimit()).isEqualTo(9);
        assertThat(m.publicUrl()).isEqualTo("https://api.example.org");
    }

    @Test
    void aBadValueIsRefusedByTheSameRuleNamingWhereItCameFrom() {
        assertThatThrownBy(() -> server("--cors-origins", "https://a.example/path"))
                .hasMessageStartingWith("--cors-origins must be * or origins");
        assertThatThrownBy(() -> magnolia(Map.of("corsOrigins", "https://a.example/path"), Map.of()))
                .hasMessageStartingWith(PATH + "/corsOrigins must be * or origins");
        assertThatThrownBy(() -> magnolia(Map.of(), Map.of("EXCHANGE_CORS_ORIGINS", "https://a.example/path")))
                .hasMessageStartingWith("EXCHANGE_CORS_ORIGINS must be * or origins");
        assertThatThrownBy(() -> magnolia(Map.of("pageUrl", "javascript:x"), Map.of()))
                .hasMessageStartingWith(PATH + "/pageUrl must be an http(s) URL pattern");
        assertThatThrownBy(() -> ExchangeSettings.builder().pageUrl("javascript:x").build())
                .hasMessageStartingWith("--page-url must be an http(s) URL pattern");
        assertThatThrownBy(() -> magnolia(Map.of("previewSecret", "short"), Map.of()))
                .hasMessageStartingWith(PATH + "/previewSecret must have at least 32 characters");
        assertThatThrownBy(() -> ExchangeSettings.builder().rateLimit(0).build())
                .hasMessageStartingWith("--rate-limit must be a whole number from 1");
        assertThatThrownBy(() -> magnolia(Map.of("corsOrigin", "*"), Map.of()))
                .hasMessage(PATH + "/corsOrigin is not an ExChange setting (see docs/install-magnolia.md)");
        assertThatThrownBy(() -> magnolia(Map.of("port", "8080"), Map.of()))
                .hasMessage(PATH + "/port is a setting of the standalone server only");
    }

    @Test
    void theBuilderNamesSettingsInsteadOfPositions() {
        ExchangeSettings s = ExchangeSettings.builder().port(0).inMemory().noDemo().previewSecret(SECRET)
                .corsOrigins("*").rateLimit(5).build();
        assertThat(s.port()).isZero();
        assertThat(s.inMemory()).isTrue();
        assertThat(s.demo()).isFalse();
        assertThat(s.deliveryConfig().corsOrigins()).containsExactly("*");
        // the same defaults as the server's flags, but for the warm-up: a server built in code has none unless set
        assertThat(ExchangeSettings.builder().build().warmUp()).isZero();
        assertThat(ExchangeSettings.builder().set("--warm-up", Integer.toString(ExchangeSettings.DEFAULT_WARM_UP)).build().toString())
                .isEqualTo(server().toString());
        assertThatThrownBy(() -> ExchangeSettings.builder().set("--colour", "red")).hasMessage("unknown option --colour");
    }

    /** Issue 15: the cluster journal's janitor, daily by default, hours from the flag or the variable, 0 for none. */
    @Test
    void theClusterJournalIsTrimmedDailyByDefaultEveryNHoursOrNever() {
        Map<String, String> env = Map.of(ExchangeSettings.CLUSTER_DB_PASSWORD, "pw");
        String[] node = {"--cluster-db-url", "jdbc:postgresql://db:5432/exchange", "--cluster-node-id", "a"};
        ExchangeSettings daily = ExchangeSettings.read(SettingsLookup.flagsAndEnvironment(node, env));
        assertThat(daily.cluster().janitorHours()).isEqualTo(24);
        assertThat(daily.cluster().toString()).endsWith("(journal read every 500 ms, trimmed every 24 h from 03:00)");
        String[] six = java.util.stream.Stream.concat(java.util.Arrays.stream(node), java.util.stream.Stream.of("--cluster-janitor-hours", "6"))
                .toArray(String[]::new);
        assertThat(ExchangeSettings.read(SettingsLookup.flagsAndEnvironment(six, env)).cluster().janitorHours()).isEqualTo(6);
        Map<String, String> off = Map.of(ExchangeSettings.CLUSTER_DB_PASSWORD, "pw", "EXCHANGE_CLUSTER_JANITOR_HOURS", "0");
        ExchangeSettings never = ExchangeSettings.read(SettingsLookup.flagsAndEnvironment(node, off));
        assertThat(never.cluster().janitorHours()).isZero();
        assertThat(never.cluster().toString()).endsWith("never trimmed)");
        assertThatThrownBy(() -> ExchangeSettings.read(SettingsLookup.flagsAndEnvironment(node,
                Map.of(ExchangeSettings.CLUSTER_DB_PASSWORD, "pw", "EXCHANGE_CLUSTER_JANITOR_HOURS", "-1"))))
                .hasMessage("EXCHANGE_CLUSTER_JANITOR_HOURS must be a whole number from 0 to 8760, got '-1'");
        assertThatThrownBy(() -> server("--cluster-janitor-hours", "8761"))
                .hasMessage("--cluster-janitor-hours must be a whole number from 0 to 8760, got '8761'");
        assertThatThrownBy(() -> magnolia(Map.of("clusterJanitorHours", "6"), Map.of()))
                .hasMessage(PATH + "/clusterJanitorHours is a setting of the standalone server only");
    }

    @Test
    void withoutAPreviewSecretEachStartHasARandomOne() {
        assertThat(server().previewKey()).hasSize(32).isNotEqualTo(server().previewKey());
    }
}
