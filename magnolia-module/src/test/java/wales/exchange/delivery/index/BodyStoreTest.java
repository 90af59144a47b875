package wales.exchange.delivery.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.content.Item;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/**
 * The item body store without a repository: records appended and read back, a damaged record (CRC), a record of another
 * revision or item, a file cut short, a compaction into a new file that replaces the old one, and an entry made
 * through it keeping no rich text yet giving its full item back.
 */
class BodyStoreTest {
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentType resource = model.get("resource");

    private static Map<String, Object> body(String en) {
        return Map.of("body", Map.of("en", en, "cy", "<p>Corff " + en + "</p>"));
    }

    @Test
    void appendsAndReadsBackRecords(@TempDir Path dir) throws Exception {
        try (BodyStore store = BodyStore.create(dir.resolve(BodyStore.FILE))) {
            long a = store.append("a", 1, body("<p>first</p>"));
            Map<String, Object> big = body("x".repeat(600_000)); // more than the write buffer
            long b = store.append("b", 7, big);
            long c = store.append("c", 2, Map.of());
            store.flush();
            assertThat(store.read("a", 1, a)).isEqualTo(body("<p>first</p>"));
            assertThat(store.read("b", 7, b)).isEqualTo(big);
            assertThat(store.read("c", 2, c)).isEmpty();
            assertThat(Files.size(store.file())).isEqualTo(store.size());
            // the same file opened again (a restart with the snapshot that recorded its id)
            try (BodyStore again = BodyStore.open(store.file(), store.id())) {
                assertThat(again).isNotNull();
                assertThat(again.read("b", 7, b)).isEqualTo(big);
            }
            assertThat(BodyStore.open(store.file(), store.id() + 1)).as("another snapshot's file").isNull();
            assertThat(BodyStore.open(dir.resolve("missing"), store.id())).isNull();
        }
    }

    @Test
    void readsLongTextsAsTheirUtf8BytesForAJsonWriterAndReusesNoBytesAcrossReads(@TempDir Path dir) throws Exception {
        String longWelsh = "<p>Ŵyr a wyresau ar Ynys Môn: \"gofal\" \uD83D\uDE00 " + "llŷn ".repeat(80) + "</p>";
        try (BodyStore store = BodyStore.create(dir.resolve(BodyStore.FILE))) {
            long a = store.append("a", 1, body(longWelsh));
            long b = store.append("b", 1, body("<p>short</p>"));
            long c = store.append("c", 1, body("x".repeat(200_000))); // more than a thread's kept read buffer
            store.flush();
            Map<String, Object> texts = store.read("a", 1, a, true);
            Map<?, ?> m = (Map<?, ?>) texts.get("body");
            assertThat(m.get("en")).isEqualTo(new Utf8Text(longWelsh.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(m.get("en").toString()).isEqualTo(longWelsh);
            assertThat(m.get("cy")).isInstanceOf(Utf8Text.class);
            assertThat(((Map<?, ?>) store.read("b", 1, b, true).get("body")).get("en")).as("a short text is a String")
                    .isEqualTo("<p>short</p>");
            assertThat(store.read("a", 1, a)).as("read as text").isEqualTo(body(longWelsh));
            // each read decodes from the thread's buffer: values of an earlier read keep their bytes
            Map<String, Object> shortOne = store.read("b", 1, b, true);
            Map<String, Object> large = store.read("c", 1, c, true);
            assertThat(shortOne).isEqualTo(body("<p>short</p>"));
            assertThat(((Map<?, ?>) large.get("body")).get("en").toString()).isEqualTo("x".repeat(200_000));
            assertThat(m.get("en").toString()).isEqualTo(longWelsh);
            assertThat(store.read("a", 2, a, true)).as("another revision").isNull();
        }
    }

    @Test
    void aDamagedRecordOrAnotherRevisionReadsAsNothing(@TempDir Path dir) throws Exception {
        try (BodyStore store = BodyStore.create(dir.resolve(BodyStore.FILE))) {
            long a = store.append("a", 1, body("<p>one</p>"));
            long b = store.append("b", 1, body("<p>two</p>"));
            store.flush();
            assertThat(store.read("a", 2, a)).as("the entry is of a newer revision").isNull();
            assertThat(store.read("b", 1, a)).as("another item's record").isNull();
            assertThat(store.read("a", 1, BodyStore.NONE)).isNull();
            // one byte changed inside a's payload: its CRC fails, b still reads
            try (FileChannel ch = FileChannel.open(store.file(), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {'#'}), BodyStore.offset(a) + 30);
            }
            assertThat(store.read("a", 1, a)).isNull();
            assertThat(store.read("b", 1, b)).isEqualTo(body("<p>two</p>"));
            // the file cut short in the middle of b
            try (FileChannel ch = FileChannel.open(store.file(), StandardOpenOption.WRITE)) {
                ch.truncate(BodyStore.offset(b) + 10);
            }
            assertThat(store.read("b", 1, b)).isNull();
        }
    }

    @Test
    void compactionKeepsOnlyLiveRecordsInANewFile(@TempDir Path dir) throws Exception {
        BodyStore store = BodyStore.create(dir.resolve(BodyStore.FILE));
        List<BodyStore.Live> live = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            for (int rev = 1; rev <= 4; rev++) { // three superseded revisions of each
                long ref = store.append("i" + i, rev, body("<p>item " + i + " revision " + rev + "</p>"));
                if (rev == 4) {
                    live.add(new BodyStore.Live("i" + i, rev, ref));
                }
            }
        }
        store.flush();
        long before = store.size();
        BodyStore.Compacted c = store.compact(live);
        BodyStore next = c.store();
        assertThat(next.size()).isLessThan(before / 3);
        assertThat(Files.size(dir.resolve(BodyStore.FILE))).isEqualTo(next.size());
        assertThat(Files.exists(dir.resolve(BodyStore.FILE + ".compact"))).isFalse();
        for (BodyStore.Live l : live) {
            assertThat(next.read(l.itemId(), 4, c.moved(l.ref()))).isEqualTo(body("<p>item " + l.itemId().substring(1) + " revision 4</p>"));
            // readers of the older snapshot still read the old file
            assertThat(store.read(l.itemId(), 4, l.ref())).isNotNull();
        }
        assertThat(BodyStore.open(dir.resolve(BodyStore.FILE), next.id())).isNotNull();
        // appends go on in the new file
        long more = next.append("z", 1, body("<p>z</p>"));
        next.flush();
        assertThat(next.read("z", 1, more)).isEqualTo(body("<p>z</p>"));
        store.close();
        next.close();
    }

    @Test
    void aCompactedStoreIsPublishedAsTheSameStateWithEntriesMoved(@TempDir Path dir) throws Exception {
        BodyStore store = BodyStore.create(dir.resolve(BodyStore.FILE));
        OffsetDateTime t = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (int rev = 1; rev <= 3; rev++) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("title", Map.of("en", "Title " + i));
                v.put("body", Map.of("en", "<p>body" + i + " revision " + rev + "</p>"));
                v.put(ContentModel.MODERATION_STATE, ContentModel.PUBLISHED);
                Entry e = Entry.stored(new Item("resource", "id-" + i, "/resources/r" + i, "r" + i, rev, t, "e", t, "e", v),
                        resource, store);
                if (rev == 3) {
                    entries.add(e);
                }
            }
        }
        store.flush();
        Snapshot s = Snapshot.of(List.of(resource), entries, 5, 9);
        List<BodyStore.Live> live = new ArrayList<>();
        s.entries().forEach(e -> live.add(new BodyStore.Live(e.id(), e.item.revision(), e.body)));
        BodyStore.Compacted c = store.compact(live);
        Snapshot moved = s.relocated(e -> e.relocated(c.store(), c.moved(e.body)));
        assertThat(moved.generation()).isEqualTo(5);
        assertThat(moved.sequence()).isEqualTo(9);
        assertThat(moved.index("resource").entries).extracting(Entry::id)
                .containsExactly(java.util.Arrays.stream(s.index("resource").entries).map(Entry::id).toArray(String[]::new));
        for (int i = 0; i < 20; i++) {
            Entry e = moved.entry("id-" + i).orElseThrow();
            assertThat(e.bodies).isSameAs(c.store());
            assertThat(e.fromBody().values().get("body")).isEqualTo(Map.of("en", "<p>body" + i + " revision 3</p>"));
        }
        // search still finds the rich text of every entry (postings kept as they were)
        assertThat(moved.index("resource").withAnyForm(wales.exchange.i18n.Lang.EN, false,
                TextIndex.query("body7", wales.exchange.i18n.Lang.EN)[0]).cardinality()).isEqualTo(1);
        store.close();
        c.store().close();
    }

    @Test
    void anEntryKeepsNoRichTextYetGivesItsFullItemBack() throws Exception {
        try (BodyStore store = BodyStore.temporary()) {
            assertThat(Files.exists(store.file())).as("removed at once, readable through the channel").isFalse();
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("title", Map.of("en", "Title", "cy", "Teitl"));
            v.put("body", Map.of("en", "<p>Body</p>", "cy", "<p>Corff</p>"));
            v.put("kind", resource.property("kind").options().get(0));
            v.put(ContentModel.MODERATION_STATE, ContentModel.PUBLISHED);
            OffsetDateTime t = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
            Item full = new Item("resource", "id-1", "/resources/a", "a", 3, t, "e", t, "e", v);
            Entry e = Entry.stored(full, resource, store);
            assertThat(e.item.values()).doesNotContainKey("body");
            assertThat(e.fromBody()).as("not flushed yet: nothing readers may see").isNull();
            store.flush();
            Item back = e.fromBody();
            assertThat(back.values()).isEqualTo(v);
            assertThat(back.revision()).isEqualTo(3);
            assertThat(back.path()).isEqualTo("/resources/a");
            assertThat(new Entry(full, resource).fromBody()).as("no store: read from the repository").isNull();
        }
    }

    /**
     * Review (h5): a FileChannel is closed for every thread when one thread is interrupted in a read or write on it
     * (ClosedByInterruptException). A request thread interrupted while reading a body (or the writer, which stop()
     * interrupts, while appending or compacting) then makes every later read of every item fall back to the
     * repository, and every append fail, until a restart.
     */
    @Test
    void oneInterruptedReaderDoesNotCloseTheFileForAllOthers(@TempDir Path dir) throws Exception {
        try (BodyStore store = BodyStore.create(dir.resolve(BodyStore.FILE))) {
            long a = store.append("a", 1, body("<p>first</p>"));
            store.flush();
            Thread reader = new Thread(() -> {
                Thread.currentThread().interrupt(); // e.g. a request cancelled, a pool shut down
                store.read("a", 1, a);
            });
            reader.start();
            reader.join();
            assertThat(store.read("a", 1, a)).as("another thread's read").isEqualTo(body("<p>first</p>"));
            long b = store.append("b", 1, body("<p>second</p>"));
            store.flush();
            assertThat(store.read("b", 1, b)).as("an append after it").isEqualTo(body("<p>second</p>"));
        }
    }
}
