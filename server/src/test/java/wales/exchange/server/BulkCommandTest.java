package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.content.ContentService;
import wales.exchange.content.DemoContent;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.model.ModelLoader;

/** The import and export commands as a user runs them: arguments in; exit code, stdout and stderr out. */
class BulkCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    private Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BulkCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("EXCHANGE_DATA", dir.resolve("from-env").toString()));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final String GOOD = "{\"type\":\"resource\",\"id\":\"00000000-0000-4000-8000-000000000001\",\"state\":\"published\","
            + "\"title\":{\"en\":\"Report\",\"cy\":\"Adroddiad\"},\"kind\":\"report\"}";
    private static final String GOOD_EVENT = "{\"type\":\"event\",\"title\":\"Webinar\",\"startDate\":\"2025-03-12T10:00\"}";
    private static final String BAD = "{\"type\":\"event\",\"title\":{\"en\":\"Webinar\",\"fr\":\"Webinaire\"},\"allDay\":\"often\"}";

    @Test
    void anImportOpensTheRepositoryWithSmallItemStateCachesAndAServerWithJackrabbitsDefault() throws Exception {
        BulkCommand command = new BulkCommand(System.out, System.err);
        try (EmbeddedRepository repo = command.openForImport(dir.resolve("data"))) {
            assertThat(repo.itemStateCacheMemory()).isEqualTo(BulkCommand.IMPORT_ITEM_STATE_CACHE).isEqualTo(1 << 20);
            // the caches are only smaller: what is written is read back as ever
            Session s = repo.login();
            ContentService service = new ContentService(ModelLoader.fromClasspath(getClass().getClassLoader()), Clock.systemUTC());
            new wales.exchange.content.transfer.JsonLinesImporter(service, 200, "import")
                    .run(s, new java.io.StringReader(GOOD + "\n"), new wales.exchange.content.transfer.JsonLinesImporter.Listener() { });
            assertThat(service.read(s, "resource", "00000000-0000-4000-8000-000000000001").values().get("kind")).isEqualTo("report");
            s.logout();
        }
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(dir.resolve("data"))) {
            assertThat(repo.itemStateCacheMemory()).as("Jackrabbit's default, for the server").isEqualTo(16L << 20);
        }
    }

    @Test
    void importReportsBadLinesInEnglishWithLineAndFieldAndWritesTheRest() throws Exception {
        Path file = dir.resolve("items.jsonl");
        Files.writeString(file, GOOD + "\n" + BAD + "\n{\"type\":\"webinar\"}\n" + GOOD_EVENT + "\n");
        Path data = dir.resolve("data");

        Result r = run("", "import", "--data", data.toString(), file.toString());
        assertThat(r.code).isEqualTo(1);
        assertThat(r.out).isEmpty();
        assertThat(r.err).contains("line 2: title.fr: Only the languages en and cy are allowed.")
                .contains("line 2: allDay: Give true or false.")
                .contains("line 3: type: Give one of the content types: caseStudy, comment, contribution, event, resource.")
                .contains("4/4 lines").contains("lines/s").contains("ETA")
                .contains("4 lines in").contains("2 created, 0 updated, 0 unchanged (skipped), 2 rejected");

        Result again = run("", "import", "--data", data.toString(), file.toString());
        assertThat(again.err).contains("0 created, 0 updated, 2 unchanged (skipped), 2 rejected").contains("node identifiers of the repository read in");

        Result export = run("", "export", "--data", data.toString());
        assertThat(export.code).isZero();
        assertThat(export.out.lines()).hasSize(2);
        assertThat(export.out).contains("\"title\":{\"en\":\"Report\",\"cy\":\"Adroddiad\"}").contains("\"state\":\"draft\"");
        assertThat(export.err).contains("exported 2 items").contains("event 1").contains("resource 1");

        Result events = run("", "export", "--data", data.toString(), "--type", "event");
        assertThat(events.out.lines()).singleElement().asString().contains("\"type\":\"event\"");
    }

    @Test
    void strictWritesNothingWhenAnyLineIsBad() throws Exception {
        Path file = dir.resolve("items.jsonl");
        Files.writeString(file, GOOD + "\n" + BAD + "\n");
        Path data = dir.resolve("data");
        Result r = run("", "import", "--strict", "--data", data.toString(), file.toString());
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("line 2: allDay: Give true or false.").contains("1 of 2 lines rejected; nothing written (--strict)");
        assertThat(run("", "export", "--data", data.toString()).out).isEmpty();

        Files.writeString(file, GOOD + "\n" + GOOD_EVENT + "\n");
        Result ok = run("", "import", "--strict", "--data", data.toString(), file.toString());
        assertThat(ok.code).isZero();
        assertThat(ok.err).contains("2 created");
    }

    /** Line {@code i}: a resource, with an id, or (every fifth) without one so that its id is derived from its content. */
    private static String line(int i) {
        String id = i % 5 == 0 ? "" : "\"id\":\"00000000-0000-4000-8000-" + String.format("%012d", i) + "\",";
        return "{\"type\":\"resource\"," + id + "\"state\":\"published\",\"title\":{\"en\":\"Report " + i
                + "\",\"cy\":\"Adroddiad " + i + "\"},\"kind\":\"report\",\"body\":\"<p>Text " + i + "</p>\"}";
    }

    private static String lines(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            sb.append(line(i)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void strictWithAnErrorInTheLastLineOfABigBatchWritesNothing() throws Exception {
        Path file = dir.resolve("items.jsonl");
        Files.writeString(file, lines(1, 300) + BAD + "\n");
        Path data = dir.resolve("data");
        Result r = run("", "import", "--strict", "--batch", "1000", "--data", data.toString(), file.toString());
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("line 301: allDay: Give true or false.").contains("1 of 301 lines rejected; nothing written (--strict)");
        assertThat(run("", "export", "--data", data.toString()).out).isEmpty();
    }

    @Test
    void aKillNineMidImportThenTheSameImportAgainGivesEveryLineOnce() throws Exception {
        Path data = dir.resolve("data");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "import", "--batch", "50", "--data", data.toString(), "-").start();
        java.util.concurrent.CountDownLatch rejected = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.contains("line 121: allDay")) {
                        rejected.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                // the process is gone
            }
        }, "import-stderr");
        reader.setDaemon(true);
        reader.start();
        // lines 1-120, then a bad line: once it is reported, batches of 50 have saved lines 1-100 and 101-120 are pending
        String input = lines(1, 120) + BAD + "\n" + lines(122, 200);
        java.io.OutputStream stdin = p.getOutputStream();
        stdin.write((lines(1, 120) + BAD + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        assertThat(rejected.await(120, java.util.concurrent.TimeUnit.SECONDS)).as("line 121 reported").isTrue();
        assertThat(p.isAlive()).isTrue();   // waiting for more input, a batch half written to the session
        assertThat(new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor()).isZero();
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        Path file = dir.resolve("items.jsonl");
        Files.writeString(file, input);
        Result again = run("", "import", "--batch", "50", "--data", data.toString(), file.toString());
        assertThat(again.code).as(again.err).isEqualTo(1);
        // the two saved batches are skipped, the lost one and the rest created: 199 good lines, each once
        assertThat(again.err).contains("200 lines in").contains("99 created, 0 updated, 100 unchanged (skipped), 1 rejected");
        Result export = run("", "export", "--data", data.toString());
        assertThat(export.out.lines()).hasSize(199);
        for (int i = 1; i <= 200; i++) {
            if (i != 121) {
                assertThat(export.out).as("line %d", i).containsOnlyOnce("\"Report " + i + "\"");
            }
        }
    }

    @Test
    void importReadsStandardInputWithACountAndRateAndDefaultsToEXCHANGE_DATA() {
        Result r = run(GOOD + "\n" + GOOD_EVENT + "\n", "import", "-");
        assertThat(r.code).isZero();
        assertThat(r.err).contains("importing 2 lines").contains("lines/s").doesNotContain("ETA").contains("2 created");
        assertThat(run("", "export").out.lines()).hasSize(2);   // EXCHANGE_DATA
        Result strict = run(GOOD + "\n", "import", "--strict", "-");
        assertThat(strict.code).isZero();
        assertThat(strict.err).contains("1 unchanged");
    }

    @Test
    void exportOfTheDemoContentImportsIntoAnEmptyRepositoryAndExportsIdentically() throws Exception {
        Path demo = dir.resolve("demo");
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(demo)) {
            Session s = repo.login();
            new DemoContent(new ContentService(ModelLoader.fromClasspath(getClass().getClassLoader()), Clock.systemUTC())).install(s);
            s.logout();
        }
        Result first = run("", "export", "--data", demo.toString());
        assertThat(first.code).isZero();
        assertThat(first.out.lines().count()).isGreaterThanOrEqualTo(12);
        Path file = dir.resolve("demo.jsonl");
        Files.writeString(file, first.out);
        Path copy = dir.resolve("copy");
        Result imported = run("", "import", "--data", copy.toString(), file.toString());
        assertThat(imported.code).as(imported.err).isZero();
        Result second = run("", "export", "--data", copy.toString());
        assertThat(second.out).isEqualTo(first.out);
    }

    @Test
    void usageAndInputErrorsExitWith2() throws Exception {
        assertThat(run("", "import").code).isEqualTo(2);
        Result unknown = run("", "import", "--frobnicate", "x");
        assertThat(unknown.code).isEqualTo(2);
        assertThat(unknown.err).contains("unknown argument --frobnicate").contains("usage:");
        assertThat(run("", "import", "--type", "event", "x").err).contains("--type is an export option");
        assertThat(run("", "export", "--strict").code).isEqualTo(2);
        Result missing = run("", "import", "--data", dir.resolve("d").toString(), dir.resolve("nope.jsonl").toString());
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("cannot read");
        Result type = run("", "export", "--data", dir.toString(), "--type", "webinar");
        assertThat(type.code).isEqualTo(2);
        assertThat(type.err).contains("unknown content type webinar");
        assertThat(run("", "export", "--data", dir.resolve("none").toString()).err).contains("no repository in");

        Path latin1 = dir.resolve("latin1.jsonl");
        Files.write(latin1, (GOOD + "\n{\"type\":\"event\",\"title\":\"Caf\u00e9\"}\n").getBytes(StandardCharsets.ISO_8859_1));
        Result bytes = run("", "import", "--data", dir.resolve("d2").toString(), latin1.toString());
        assertThat(bytes.code).isEqualTo(2);
        assertThat(bytes.err).contains("import stopped after line").contains("run the same command again");
    }

    @Test
    void countsLinesWithAndWithoutAFinalBreak() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "a\nb\nc");
        assertThat(BulkCommand.countLines(f)).isEqualTo(3);
        Files.writeString(f, "a\nb\n");
        assertThat(BulkCommand.countLines(f)).isEqualTo(2);
        Files.writeString(f, "");
        assertThat(BulkCommand.countLines(f)).isZero();
    }

    @Test
    void aServerStartedAfterAnImportListsEveryImportedItem() throws Exception {
        Path data = dir.resolve("data");
        wales.exchange.settings.ExchangeSettings settings = wales.exchange.settings.ExchangeSettings.builder().port(0).data(data)
                .previewSecret(DeliveryApiTest.SECRET).build();
        try (ExchangeServer server = ExchangeServer.start(settings)) {
            assertThat(IndexCatchUpTest.get(server, "/events/00000000-0000-4000-8000-000000000001")).startsWith("404");
        }
        // a clean stop left a snapshot of the delivery index; the import (server stopped) must not let it be trusted
        assertThat(wales.exchange.delivery.index.FileSnapshotStore.inDataDirectory(data).file()).exists();
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 120; i++) {
            sb.append("{\"type\":\"event\",\"id\":\"00000000-0000-4000-8000-").append(String.format("%012d", i))
                    .append("\",\"state\":\"published\",\"title\":\"Imported ").append(i).append("\",\"startDate\":\"2031-03-")
                    .append(String.format("%02d", 1 + i % 28)).append("T10:00:00Z\"}\n");
        }
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, sb.toString());
        Result r = run("", "import", "--batch", "50", "--data", data.toString(), file.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.err).contains("120 created");
        try (ExchangeServer server = ExchangeServer.start(settings)) {
            assertThat(IndexCatchUpTest.index(server).loadedFrom()).isEqualTo("the repository");
            String list = IndexCatchUpTest.get(server, "/events?q=imported&limit=100") + IndexCatchUpTest.get(server, "/events?q=imported&limit=100&offset=100");
            for (int i = 1; i <= 120; i++) {
                String id = "00000000-0000-4000-8000-" + String.format("%012d", i);
                assertThat(list).as("event %d listed", i).contains(id);
                assertThat(IndexCatchUpTest.get(server, "/events/" + id)).as("event %d", i).startsWith("200").contains("Imported " + i + "\"");
            }
        }
    }
}
