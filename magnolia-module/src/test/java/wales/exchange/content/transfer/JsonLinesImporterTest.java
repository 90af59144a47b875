package wales.exchange.content.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.jcr.Node;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.content.ContentService;
import wales.exchange.content.DemoContent;
import wales.exchange.content.FieldError;
import wales.exchange.content.Item;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ModelLoader;

/** Import and export on real Jackrabbit: in memory, and on disk for the interrupted-and-run-again case. */
@ExtendWith(JcrExtension.class)
class JsonLinesImporterTest {
    private final ContentService service = new ContentService(ModelLoader.fromClasspath(getClass().getClassLoader()),
            Clock.fixed(Instant.parse("2025-07-01T09:00:00Z"), ZoneOffset.UTC));
    private final JsonLinesExporter exporter = new JsonLinesExporter(service);

    /** Records what the importer reports. */
    static final class Recorder implements JsonLinesImporter.Listener {
        final Map<Long, List<FieldError>> rejected = new TreeMap<>();
        final List<Integer> batches = new ArrayList<>();
        long lastLine;

        @Override
        public void line(long number) {
            assertThat(number).isEqualTo(lastLine + 1);
            lastLine = number;
        }

        @Override
        public void rejected(long number, List<FieldError> errors) {
            rejected.put(number, errors);
        }

        @Override
        public void saved(int items) {
            batches.add(items);
        }
    }

    static String resource(int i) {
        return "{\"type\":\"resource\",\"id\":\"00000000-0000-4000-8000-" + String.format("%012d", i) + "\",\"state\":\"published\","
                + "\"title\":{\"en\":\"Report " + i + "\",\"cy\":\"Adroddiad " + i + "\"},\"kind\":\"report\","
                + "\"body\":\"<p>Text " + i + "<script>alert(1)</script></p>\"}";
    }

    static String file(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            sb.append(resource(i)).append('\n');
        }
        return sb.toString();
    }

    private JsonLinesImporter.Report run(Session s, String text, int batch, Recorder r) throws Exception {
        return new JsonLinesImporter(service, batch, "importer").run(s, new StringReader(text), r);
    }

    private String export(Session s) throws Exception {
        StringWriter w = new StringWriter();
        exporter.export(s, w, List.of());
        return w.toString();
    }

    @Test
    void goodLinesAreSavedInBatchesAndBadOnesReportedWithTheApisErrors(Session session) throws Exception {
        String text = file(1, 4)
                + "{\"type\":\"resource\",\"title\":\"T\",\"kind\":\"film\",\"colour\":\"red\"}\n"               // 5: unknown property
                + "{\"type\":\"event\",\"title\":\"T\",\"allDay\":\"often\",\"topics\":\"x\"}\n"   // 6: wrong value types
                + "not json\n"                                                                  // 7
                + "\n"                                                                          // 8: blank, skipped
                + "{\"type\":\"caseStudy\",\"title\":\"T\",\"consentToPublish\":true,"
                + "\"relatedResources\":[\"00000000-0000-4000-8000-000000000003\"]}\n"          // 9: refers to line 3
                + "{\"type\":\"caseStudy\",\"title\":\"T\",\"consentToPublish\":true,"
                + "\"relatedResources\":[\"11111111-0000-4000-8000-000000000003\"]}\n"          // 10: no such resource
                + "{\"type\":\"webinar\"}\n"                                                    // 11
                + resource(5).replace("\"title\":{\"en\":\"Report 5\",\"cy\":\"Adroddiad 5\"}", "\"title\":\"" + "x".repeat(301) + "\"");
        Recorder r = new Recorder();
        JsonLinesImporter.Report report = run(session, text, 2, r);

        assertThat(report).isEqualTo(new JsonLinesImporter.Report(12, 5, 0, 0, 6));
        assertThat(r.lastLine).isEqualTo(12);
        assertThat(r.rejected.keySet()).containsExactly(5L, 6L, 7L, 10L, 11L, 12L);
        assertThat(r.rejected.get(5L)).containsExactly(new FieldError("colour", "unknownField"));
        assertThat(r.rejected.get(6L)).containsExactlyInAnyOrder(new FieldError("allDay", "boolean"), new FieldError("topics", "list"));
        assertThat(r.rejected.get(7L)).extracting(FieldError::code).containsExactly("json");
        assertThat(r.rejected.get(10L)).containsExactly(new FieldError("relatedResources[0]", "reference", "resource"));
        assertThat(r.rejected.get(11L)).extracting(FieldError::code).containsExactly("contentType");
        assertThat(r.rejected.get(12L)).containsExactly(new FieldError("title.en", "maxLength", 300, 301));
        assertThat(r.batches).containsExactly(2, 2, 1);   // 5 good lines, 2 per save

        Item third = service.read(session, "resource", "00000000-0000-4000-8000-000000000003");
        assertThat(third.values()).containsEntry("body", Map.of("en", "<p>Text 3</p>"))   // sanitised
                .containsEntry("moderationState", "published");
        assertThat(third.revision()).isEqualTo(1);
        assertThat(third.createdBy()).isEqualTo("importer");
        assertThat(third.lastModifiedBy()).isEqualTo("importer");
        assertThat(third.created()).isNotNull();
        assertThat(session.hasPendingChanges()).isFalse();
    }

    @Test
    void runningAgainUpdatesWhatChangedAndSkipsWhatIsIdentical(Session session) throws Exception {
        String noIds = "{\"type\":\"event\",\"title\":\"Without id\"}\n{\"type\":\"event\",\"title\":\"Another\",\"state\":\"published\"}\n";
        assertThat(run(session, file(1, 5) + noIds, 200, new Recorder())).isEqualTo(new JsonLinesImporter.Report(7, 7, 0, 0, 0));
        String before = export(session);

        assertThat(run(session, file(1, 5) + noIds, 200, new Recorder())).isEqualTo(new JsonLinesImporter.Report(7, 0, 0, 7, 0));
        assertThat(export(session)).isEqualTo(before);

        String changed = file(1, 5).replace("Report 2\"", "Report two\"");
        assertThat(run(session, changed + noIds, 3, new Recorder())).isEqualTo(new JsonLinesImporter.Report(7, 0, 1, 6, 0));
        Item two = service.read(session, "resource", "00000000-0000-4000-8000-000000000002");
        assertThat(two.revision()).isEqualTo(2);
        assertThat(two.values().get("title")).isEqualTo(Map.of("en", "Report two", "cy", "Adroddiad 2"));
        assertThat(service.list(session, "event", 0, 100)).hasSize(2);
        assertThat(service.list(session, "resource", 0, 100)).hasSize(5);

        // a line that leaves a property out removes it: the line is the whole item
        String noBody = resource(4).replace(",\"body\":\"<p>Text 4<script>alert(1)</script></p>\"", "");
        assertThat(run(session, noBody + "\n", 200, new Recorder()).updated()).isEqualTo(1);
        assertThat(service.read(session, "resource", "00000000-0000-4000-8000-000000000004").values()).doesNotContainKey("body");
    }

    @Test
    void anIdOfAnotherTypeIsTaken(Session session) throws Exception {
        run(session, file(1, 1), 200, new Recorder());
        Recorder r = new Recorder();
        String event = "{\"type\":\"event\",\"id\":\"00000000-0000-4000-8000-000000000001\",\"title\":\"E\"}\n";
        assertThat(run(session, event, 200, r).rejected()).isEqualTo(1);
        assertThat(r.rejected.get(1L)).containsExactly(new FieldError("id", "idTaken"));
    }

    @Test
    void aNewIdTwiceInOneBatchIsOneItemWithThatIdentifier(Session session) throws Exception {
        String id = "00000000-0000-4000-8000-000000000001";
        String second = resource(1).replace("Report 1", "Report one");
        Recorder r = new Recorder();
        // both lines in one unsaved batch: the second finds the first's transient node by its id and replaces it
        assertThat(run(session, resource(1) + "\n" + second + "\n", 200, r)).isEqualTo(new JsonLinesImporter.Report(2, 1, 1, 0, 0));
        assertThat(r.batches).containsExactly(2);
        javax.jcr.Node node = session.getNodeByIdentifier(id);
        assertThat(node.getIdentifier()).isEqualTo(id);
        assertThat(node.getProperty("title").getString()).isEqualTo("Report one");
        assertThat(service.list(session, "resource", 0, 10)).hasSize(1);
        // a node that is no item (the type's folder) has an identifier too: taken, for a write and for a check
        String folderId = node.getParent().getIdentifier();
        String onFolder = resource(2).replace("00000000-0000-4000-8000-000000000002", folderId);
        Recorder taken = new Recorder();
        assertThat(run(session, onFolder + "\n", 200, taken).rejected()).isEqualTo(1);
        assertThat(taken.rejected.get(1L)).containsExactly(new FieldError("id", "idTaken"));
        Recorder checked = new Recorder();
        new JsonLinesImporter(service, 200, "importer").check(session, new StringReader(onFolder + "\n"), checked);
        assertThat(checked.rejected.get(1L)).containsExactly(new FieldError("id", "idTaken"));
    }

    @Test
    void checkValidatesEverythingAndWritesNothing(Session session) throws Exception {
        String text = file(1, 3)
                + "{\"type\":\"caseStudy\",\"title\":\"T\",\"consentToPublish\":true,\"relatedResources\":[\"00000000-0000-4000-8000-000000000002\"]}\n"
                + "{\"type\":\"event\",\"id\":\"00000000-0000-4000-8000-000000000001\",\"title\":\"Same id, other type\"}\n"
                + "{\"type\":\"event\"}\n";
        Recorder r = new Recorder();
        JsonLinesImporter.Report report = new JsonLinesImporter(service, 200, "importer").check(session, new StringReader(text), r);
        assertThat(report.rejected()).isEqualTo(2);
        assertThat(r.rejected.get(5L)).containsExactly(new FieldError("id", "idTaken"));
        assertThat(r.rejected.get(6L)).containsExactly(new FieldError("title", "required"));
        assertThat(session.nodeExists("/resources")).isFalse();
        assertThat(session.hasPendingChanges()).isFalse();
    }

    @Test
    void exportOfTheDemoContentImportsIntoAnEmptyRepositoryAndExportsTheSame(Session session) throws Exception {
        new DemoContent(service).install(session);
        // a case study referring to a resource: its type is exported after resources
        run(session, "{\"type\":\"caseStudy\",\"id\":\"22222222-0000-4000-8000-000000000001\",\"title\":{\"en\":\"Study\",\"cy\":\"Astudiaeth\"},"
                + "\"consentToPublish\":true,\"relatedResources\":[\"" + firstResourceId(session) + "\"],\"state\":\"published\"}\n", 200, new Recorder());
        String first = export(session);
        assertThat(first.lines().count()).isGreaterThanOrEqualTo(13);
        assertThat(first).contains("\"type\":\"event\"").contains("\"type\":\"resource\"").contains("\"type\":\"caseStudy\"");
        assertThat(first.indexOf("\"type\":\"resource\"")).isLessThan(first.indexOf("\"type\":\"caseStudy\""));

        try (EmbeddedRepository empty = EmbeddedRepository.inMemory()) {
            Session other = empty.login();
            try {
                Recorder r = new Recorder();
                JsonLinesImporter.Report report = run(other, first, 5, r);
                assertThat(r.rejected).isEmpty();
                assertThat(report.created()).isEqualTo(first.lines().count());
                assertThat(export(other)).isEqualTo(first);
            } finally {
                other.logout();
            }
        }
    }

    private static String firstResourceId(Session session) throws Exception {
        Node n = session.getNode("/resources");
        while (!n.isNodeType("exchange:resource")) {
            n = n.getNodes().nextNode();
        }
        return n.getIdentifier();
    }

    /** A reader that fails after {@code limit} characters, as a killed import would stop reading. */
    static final class Interrupted extends Reader {
        private final Reader in;
        private long left;

        Interrupted(String text, long limit) {
            this.in = new StringReader(text);
            this.left = limit;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            if (left <= 0) {
                throw new IOException("interrupted");
            }
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anInterruptedImportOnDiskFinishesWhenRunAgainWithoutDuplicates(@TempDir Path dir) throws Exception {
        String text = file(1, 50) + "{\"type\":\"event\",\"title\":\"No id, derived\"}\n";
        // stop in the middle of line 23: batches of 10 → lines 1-20 saved, 21-22 pending and lost
        long cut = text.indexOf(resource(23)) + 40;
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(dir)) {
            Session s = repo.login();
            Recorder r = new Recorder();
            assertThatThrownBy(() -> new JsonLinesImporter(service, 10, "importer").run(s, new Interrupted(text, cut), r))
                    .isInstanceOf(IOException.class);
            assertThat(r.batches).containsExactly(10, 10);
            assertThat(s.hasPendingChanges()).isFalse();
            s.logout();
        }
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(dir)) {
            Session s = repo.login();
            assertThat(service.list(s, "resource", 0, 100)).hasSize(20);
            JsonLinesImporter.Report again = new JsonLinesImporter(service, 10, "importer").run(s, new StringReader(text), new Recorder());
            assertThat(again).isEqualTo(new JsonLinesImporter.Report(51, 31, 0, 20, 0));
            assertThat(new JsonLinesImporter(service, 10, "importer").run(s, new StringReader(text), new Recorder()))
                    .isEqualTo(new JsonLinesImporter.Report(51, 0, 0, 51, 0));
            assertThat(service.list(s, "resource", 0, 100)).hasSize(50);
            assertThat(service.list(s, "event", 0, 100)).hasSize(1);
            s.logout();
        }
    }

    /** The session, counting look-ups by identifier. */
    static Session counting(Session s, List<String> lookedUp) {
        return failingOnce(s, lookedUp, 0);
    }

    @Test
    void withTheRepositorysKnownIdsANewIdIsNotLookedUpAndAnExistingOneIs(@TempDir Path dir) throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(dir)) {
            Session s = repo.login();
            run(s, file(1, 5), 200, new Recorder());
            KnownIds known = new KnownIds(1000);
            long nodes = repo.forEachNodeId(known::add, 1_000_000);
            assertThat(nodes).isGreaterThan(5);
            assertThat(repo.forEachNodeId(id -> { }, 5)).as("more than 5").isEqualTo(-1);
            assertThat(repo.forEachNodeId(id -> { }, nodes)).isEqualTo(nodes);
            List<String> lookedUp = new ArrayList<>();
            String id6 = "00000000-0000-4000-8000-000000000006";
            String text = file(1, 8)                                                     // 1-5 exist, 6-8 new
                    + resource(6).replace("Report 6", "Report six") + "\n"              // 9: 6 again, in the same batch
                    + "{\"type\":\"event\",\"id\":\"00000000-0000-4000-8000-000000000001\",\"title\":\"E\"}\n"; // 10: taken
            Recorder r = new Recorder();
            JsonLinesImporter.Report report = new JsonLinesImporter(service, 200, "importer").knownIds(known)
                    .run(counting(s, lookedUp), new StringReader(text), r);
            assertThat(report).isEqualTo(new JsonLinesImporter.Report(10, 3, 1, 5, 1));
            assertThat(r.rejected.get(10L)).containsExactly(new FieldError("id", "idTaken"));
            assertThat(lookedUp).containsExactly("00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002",
                    "00000000-0000-4000-8000-000000000003", "00000000-0000-4000-8000-000000000004",
                    "00000000-0000-4000-8000-000000000005", id6, "00000000-0000-4000-8000-000000000001");
            assertThat(service.read(s, "resource", id6).values().get("title")).isEqualTo(Map.of("en", "Report six", "cy", "Adroddiad 6"));
            assertThat(service.list(s, "resource", 0, 100)).hasSize(8);
            s.logout();
        }
    }

    /**
     * The session, counting look-ups by identifier in {@code lookedUp}, whose {@code getRootNode()} fails once, at call
     * {@code failAt} (never when 0).
     */
    static Session failingOnce(Session s, List<String> lookedUp, int failAt) {
        int[] calls = {0};
        return (Session) java.lang.reflect.Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("getNodeByIdentifier")) {
                        lookedUp.add((String) args[0]);
                    }
                    if (m.getName().equals("getRootNode") && ++calls[0] == failAt) {
                        throw new javax.jcr.RepositoryException("injected failure");
                    }
                    try {
                        return m.invoke(s, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aLineWrittenByTheOneByOneReplayIsKnownSoALaterDuplicateDoesNotFailItsBatch(@TempDir Path dir) throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(dir)) {
            Session s = repo.login();
            KnownIds known = new KnownIds(1000);
            repo.forEachNodeId(known::add, 1_000_000);
            List<String> lookedUp = new ArrayList<>();
            // line 2's write fails once (its folder look-up): the batch (lines 1, 2) is written again one by one; lines
            // 3-5 are new, line 6 is line 2 again (unchanged)
            String text = file(1, 5) + resource(2) + "\n";
            Recorder r = new Recorder();
            JsonLinesImporter.Report report = new JsonLinesImporter(service, 200, "importer").knownIds(known)
                    .run(failingOnce(s, lookedUp, 2), new StringReader(text), r);
            assertThat(report).isEqualTo(new JsonLinesImporter.Report(6, 5, 0, 1, 0));
            assertThat(r.rejected).isEmpty();
            String id1 = "00000000-0000-4000-8000-000000000001";
            String id2 = "00000000-0000-4000-8000-000000000002";
            // the replay looks up its two lines; then line 6 is looked up (it may exist) and found: no failed batch,
            // no replay of lines 3-6 (which would look each of them up and save them one by one)
            assertThat(lookedUp).containsExactly(id1, id2, id2);
            assertThat(r.batches).containsExactly(2, 4);
            assertThat(service.list(s, "resource", 0, 100)).hasSize(5);
            s.logout();
        }
    }

    private static boolean readerWaits() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("import-reader") && t.getState() == Thread.State.WAITING);
    }

    /** A reader of {@code lines} equal lines that counts the characters read from it. */
    static final class Counted extends Reader {
        final String line;
        final int lines;
        volatile long read;

        Counted(String line, int lines) {
            this.line = line;
            this.lines = lines;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            long total = (long) line.length() * lines;
            if (read >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - read);
            for (int i = 0; i < n; i++) {
                buf[off + i] = line.charAt((int) ((read + i) % line.length()));
            }
            read += n;
            return n;
        }

        @Override
        public void close() {
        }
    }

    /**
     * Holds the writer at line 1 until the reader has read everything or waits for room, then records how many lines
     * the reader was ahead of each line the writer took ({@link #max}).
     */
    static final class Ahead implements JsonLinesImporter.Listener {
        final Counted in;
        volatile long max;

        Ahead(Counted in) {
            this.in = in;
        }

        @Override
        public void line(long number) {
            if (number == 1) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (in.read < (long) in.line.length() * in.lines && !readerWaits() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            max = Math.max(max, in.read / in.line.length() - number);
        }
    }

    @Test
    void theReaderStaysABoundedNumberOfLinesAheadOfTheWriter(Session session) throws Exception {
        // bad lines (cheap for the writer) as fast as the reader can prepare them: it must wait for the writer, not read on
        String bad = "{\"type\":\"event\",\"title\":\"T\",\"allDay\":\"often\",\"pad\":\"" + "x".repeat(150) + "\"}\n";
        int lines = 3000;
        Counted in = new Counted(bad, lines);
        Ahead watch = new Ahead(in);
        JsonLinesImporter.Report r = new JsonLinesImporter(service, 200, "importer").run(session, in, watch);
        assertThat(r.rejected()).isEqualTo(lines);
        assertThat(watch.max).as("the reader went ahead").isGreaterThan(JsonLinesImporter.READ_AHEAD - 10);
        // queued lines, the one being prepared, and what the line reader's 64 Ki-character buffer holds
        assertThat(watch.max).isLessThanOrEqualTo(JsonLinesImporter.READ_AHEAD + 2 + (1 << 16) / bad.length() + 1);
    }

    @Test
    void theReaderStaysABoundedNumberOfCharactersAheadOfTheWriterNotOnlyOfLines(Session session) throws Exception {
        // long lines (a large unknown field: cheap for the writer, but the queued line keeps its parsed values): 256 of
        // them would be 16 M characters held at once, whatever the heap
        String big = "{\"type\":\"resource\",\"title\":{\"en\":\"T\"},\"kind\":\"report\",\"pad\":\"" + "x".repeat(64_000) + "\"}\n";
        int lines = 400;
        Counted in = new Counted(big, lines);
        Ahead watch = new Ahead(in);
        JsonLinesImporter.Report r = new JsonLinesImporter(service, 200, "importer").run(session, in, watch);
        assertThat(r.rejected()).isEqualTo(lines);
        assertThat(watch.max).as("the reader went ahead").isGreaterThan(10);
        // what the queue may hold, the line waiting for room and the line reader's 64 Ki-character buffer
        assertThat(watch.max * big.length()).as("characters read ahead of the writer")
                .isLessThanOrEqualTo(JsonLinesImporter.READ_AHEAD_CHARS + 2L * big.length() + (1 << 16));
    }

    @Test
    void anErrorOnTheReadingThreadEndsTheImportWithItInsteadOfLeavingTheWriterWaiting(Session session) {
        Error failure = new StackOverflowError("test: the reading thread failed");
        Reader in = new Reader() {
            private final Reader first = new StringReader(resource(1) + "\n");

            @Override
            public int read(char[] buf, int off, int len) throws IOException {
                int n = first.read(buf, off, len);
                if (n >= 0) {
                    return n;
                }
                throw failure;
            }

            @Override
            public void close() {
            }
        };
        Recorder r = new Recorder();
        Throwable thrown = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> org.assertj.core.api.Assertions.catchThrowable(
                        () -> new JsonLinesImporter(service, 200, "importer").run(session, in, r)));
        assertThat(thrown).isSameAs(failure);
        assertThat(r.lastLine).as("the line read before was handled").isEqualTo(1);
    }
}
