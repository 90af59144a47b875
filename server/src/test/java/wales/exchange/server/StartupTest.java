package wales.exchange.server;

import wales.exchange.settings.ExchangeSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Main's logic in-process: arguments and environment in, exit code and stderr out. Bad settings never start anything. */
class StartupTest {
    static final String SECRET = "test-secret-0123456789abcdef-0123456789";

    record Run(int code, String out, String err, List<ExchangeServer> servers) {
        String errLines() {
            return err.strip();
        }
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<ExchangeServer> servers = new ArrayList<>();
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                servers::add);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), servers);
    }

    static void assertOneLineError(Run r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.servers()).isEmpty();
        assertThat(r.errLines()).doesNotContain("\n").doesNotContain("Exception").isEqualTo(message);
    }

    @Test
    void badFlagsAreOneClearLineAndExitCode2() {
        assertOneLineError(run(Map.of(), "--port", "abc"), "--port must be a whole number from 0 to 65535, got 'abc'");
        assertOneLineError(run(Map.of(), "--port=70000"), "--port must be a whole number from 0 to 65535, got '70000'");
        assertOneLineError(run(Map.of(), "--port"), "--port needs a value (N)");
        assertOneLineError(run(Map.of(), "--colour", "blue"), "unknown option '--colour' (see --help)");
        assertOneLineError(run(Map.of("EXCHANGE_SEARCH_CLIENT_SHARE", "0"), "--in-memory"),
                "EXCHANGE_SEARCH_CLIENT_SHARE must be a whole number from 1 to 1000, got '0'");
        assertOneLineError(run(Map.of(), "--forwarded-header", "via"), "--forwarded-header must be x-forwarded-for or forwarded, got 'via'");
        assertOneLineError(run(Map.of(), "--port", "٨٠٨٠"), "--port must be a whole number from 0 to 65535, got '٨٠٨٠'");
        assertOneLineError(run(Map.of(), "--preview-secret", "short"), "--preview-secret must have at least 32 characters, got 5");
        assertOneLineError(run(Map.of(), "--rate-limit=0"), "--rate-limit must be a whole number from 1 to 1000000, got '0'");
        assertOneLineError(run(Map.of(), "--bind", "example.org"), "--bind must be an IP address such as 0.0.0.0, 127.0.0.1 or ::");
        assertOneLineError(run(Map.of(), "--trusted-proxies", "10.0.0.0/33"), "--trusted-proxies has a bad prefix length in '10.0.0.0/33' (0 to 32)");
        assertOneLineError(run(Map.of(), "--idle-timeout=0"), "--idle-timeout must be a whole number from 1 to 86400, got '0'");
        assertOneLineError(run(Map.of(), "--in-memory=maybe"), "--in-memory takes no value (or =true / =false), got 'maybe'");
    }

    @Test
    void badIntakeSettingsAreOneClearLineAndGoodOnesArrive() {
        assertOneLineError(run(Map.of(), "--intake-secret", "short"), "--intake-secret must have at least 32 characters, got 5");
        assertOneLineError(run(Map.of(), "--intake-retention-days=0"), "--intake-retention-days must be a whole number from 1 to 3650, got '0'");
        assertOneLineError(run(Map.of("EXCHANGE_INTAKE_EMAIL_LIMIT", "lots")),
                "EXCHANGE_INTAKE_EMAIL_LIMIT must be a whole number from 1 to 100000000, got 'lots'");
        assertOneLineError(run(Map.of(), "--post-moderated-boards", "events,Home Page"),
                "--post-moderated-boards must be board names such as resources,events,home, got 'Home Page'");
        ExchangeSettings s = Settings.parse(new String[] {"--intake-min-fill-seconds", "0", "--post-moderated-boards", "events, home"},
                Map.of("EXCHANGE_INTAKE_RETENTION_DAYS", "30", "EXCHANGE_INTAKE_MAX_ATTACHMENT_KB", "512"));
        wales.exchange.intake.IntakeConfig c = s.intake().config();
        assertThat(c.minFillTime()).isZero();
        assertThat(c.retention()).isEqualTo(java.time.Duration.ofDays(30));
        assertThat(c.maxAttachmentBytes()).isEqualTo(512 * 1024L);
        assertThat(c.postModerated()).containsExactlyInAnyOrder("events", "home");
        assertThat(Settings.help()).contains("--intake-secret", "EXCHANGE_POST_MODERATED_BOARDS");
    }

    @Test
    void badEnvironmentValuesNameTheVariable() {
        assertOneLineError(run(Map.of("EXCHANGE_RATE_LIMIT", "-5")), "EXCHANGE_RATE_LIMIT must be a whole number from 1 to 1000000, got '-5'");
        assertOneLineError(run(Map.of("EXCHANGE_PORT", "http")), "EXCHANGE_PORT must be a whole number from 0 to 65535, got 'http'");
        assertOneLineError(run(Map.of("EXCHANGE_IN_MEMORY", "maybe")), "EXCHANGE_IN_MEMORY must be true or false, got 'maybe'");
        assertOneLineError(run(Map.of("EXCHANGE_PREVIEW_SECRET", "x")), "EXCHANGE_PREVIEW_SECRET must have at least 32 characters, got 1");
        assertOneLineError(run(Map.of("EXCHANGE_CORS_ORIGINS", "https://a.example/path")),
                "EXCHANGE_CORS_ORIGINS must be * or origins such as https://www.exchangewales.org (no path), got 'https://a.example/path'");
        // the flag wins over the variable, and then the flag is what a message names
        assertOneLineError(run(Map.of("EXCHANGE_PORT", "8080"), "--port", "x"), "--port must be a whole number from 0 to 65535, got 'x'");
    }

    @Test
    void helpListsEveryFlagWithItsVariableAndDefaultAndTheSubcommands() {
        for (String h : List.of("--help", "-h")) {
            Run r = run(Map.of(), "--port", "abc", h);
            assertThat(r.code()).isZero();
            assertThat(r.servers()).isEmpty();
            for (ExchangeSettings.Option o : ExchangeSettings.OPTIONS) {
                assertThat(r.out()).contains(o.flag(), o.env(), "default " + o.defaultValue());
            }
            assertThat(r.out()).contains("preview-token", "--hours", "--help", "import [--data DIR] [--strict] FILE", "export [--data DIR] [--type T]");
        }
    }

    @Test
    void previewTokensLiveAtMostAWeek() {
        Run ok = run(Map.of("EXCHANGE_PREVIEW_SECRET", SECRET), "preview-token", "--hours=2");
        assertThat(ok.code()).isZero();
        assertThat(ok.out().strip()).matches("\\d+\\.[A-Za-z0-9_-]{43}");
        assertOneLineError(run(Map.of("EXCHANGE_PREVIEW_SECRET", SECRET), "preview-token", "--hours", "1000"),
                "--hours must be a whole number from 1 to 168 (preview tokens live at most 7 days), got '1000'");
        assertOneLineError(run(Map.of("EXCHANGE_PREVIEW_SECRET", SECRET), "preview-token", "--hours", "soon"),
                "--hours must be a whole number from 1 to 168 (preview tokens live at most 7 days), got 'soon'");
        assertOneLineError(run(Map.of(), "preview-token"), "set EXCHANGE_PREVIEW_SECRET (or --preview-secret) to the server's secret first");
        assertOneLineError(run(Map.of(), "preview-token", "--preview-secret", "short"), "--preview-secret must have at least 32 characters, got 5");
    }

    @Test
    void aPortInUseIsFoundBeforeTheRepositoryIsBuilt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Run r = run(Map.of(), "--port", Integer.toString(taken.getLocalPort()), "--bind", "127.0.0.1", "--data", data.toString());
            assertOneLineError(r, "cannot listen on 127.0.0.1 port " + taken.getLocalPort() + ": the port is in use");
        }
        assertThat(data).as("no repository was created").doesNotExist();
    }

    @Test
    void restartOnTheSameDataSaysTheDemoContentIsAlreadyThere(@TempDir Path dir) throws Exception {
        String data = dir.resolve("data").toString();
        String[] args = {"--port=0", "--bind=127.0.0.1", "--data=" + data, "--access-log"};
        String first = TransportHardeningTest.logOf(() -> {
            Run r = run(Map.of(), args);
            assertThat(r.code()).as(r.err()).isZero();
            ExchangeServer s = r.servers().get(0);
            assertThat(s.demoItemsInstalled()).isPositive();
            assertThat(RawHttp.send(s.port(), "GET /.rest/exchange/v1/health HTTP/1.1\r\nHost: x\r\nUser-Agent: startup-test\r\n").status())
                    .isEqualTo(200);
            s.close();
        });
        assertThat(first).contains("no EXCHANGE_PREVIEW_SECRET set: a random preview secret is used, so preview tokens from other processes will be refused");
        assertThat(first).containsPattern("ExChange ready at http://127\\.0\\.0\\.1:\\d+/\\.rest/exchange/v1/ \\(listening on 127\\.0\\.0\\.1, file .*, \\d+ demo items installed");
        // the access log: one Combined Log Format line per request, logger exchange.access
        assertThat(first).containsPattern("access - 127\\.0\\.0\\.1 - - \\[[^]]+\\] \"GET /\\.rest/exchange/v1/health HTTP/1\\.1\" 200 \\d+ \"-\" \"startup-test\"");
        assertThat(first).contains("ExChange stopped");

        String second = TransportHardeningTest.logOf(() -> {
            Run r = run(Map.of("EXCHANGE_PREVIEW_SECRET", SECRET), args);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.servers().get(0).demoItemsInstalled()).isZero();
            r.servers().get(0).close();
        });
        assertThat(second).contains("demo content already present").doesNotContain("0 items installed", "0 demo items installed")
                .doesNotContain("no EXCHANGE_PREVIEW_SECRET");
        assertThat(Files.list(dir.resolve("data"))).isNotEmpty();
    }
}
