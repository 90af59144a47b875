package wales.exchange.delivery.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.content.Item;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/**
 * The compact index without a repository, on a few hundred synthetic resources: entries keep no search forms, so an
 * edit remaps the postings of the entries it did not touch and adds those of the entries read again; the result must
 * be what a fresh build over the same items gives. The snapshot file carries the postings and sort orders, and what it
 * reads back answers like what was saved. Value sets (lists for rare values, bitsets for common ones) filter and count
 * like a scan.
 */
class CompactIndexTest {
    private static final int N = 300;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] WORDS = {"care", "caring", "gofal", "ofal", "plant", "blant", "foster", "teulu",
        "nheulu", "school", "ysgol", "hospital", "training", "hyfforddiant", "policy", "report", "cymuned", "gymuned"};
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentType resource = model.get("resource");
    private final ContentType event = model.get("event");
    private final List<ContentType> types = List.of(resource, event);

    private Item item(int i, long revision, Random r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", Map.of("en", words(r, 3) + " t" + i, "cy", words(r, 3)));
        v.put("summary", Map.of("en", words(r, 8), "cy", words(r, 8)));
        v.put("body", Map.of("en", "<p>" + words(r, 20) + " body" + i + "</p>"));
        v.put("kind", resource.property("kind").options().get(r.nextInt(3)));
        v.put("audiences", List.of(resource.property("audiences").options().get(r.nextInt(7))));
        v.put("link", "https://example.org/" + i); // a value per item: a list of one position each
        v.put("publisher", r.nextBoolean() ? "Cardiff University" : "Llywodraeth Cymru");
        v.put("publicationDate", OffsetDateTime.ofInstant(T0.minusSeconds(r.nextInt(1_000_000)), ZoneOffset.UTC));
        v.put(ContentModel.MODERATION_STATE, i % 7 == 0 ? "draft" : ContentModel.PUBLISHED);
        return new Item("resource", String.format("00000000-0000-0000-0000-%012d", i), "/resources/r" + i, "r" + i, revision,
                OffsetDateTime.ofInstant(T0, ZoneOffset.UTC), "e", OffsetDateTime.ofInstant(T0.plusSeconds(i + revision * 1000), ZoneOffset.UTC), "e", v);
    }

    private static String words(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
        }
        return b.toString().strip();
    }

    /** Each query word's matching ids (title and all text, both languages) and each value's ids: comparable by id. */
    private Map<String, TreeSet<String>> answers(TypeIndex index) {
        Map<String, TreeSet<String>> out = new LinkedHashMap<>();
        List<String> queries = new ArrayList<>(List.of(WORDS));
        for (int i = 0; i < N + 20; i += 7) {
            queries.add("body" + i);
            queries.add("t" + i);
        }
        for (Lang l : Lang.values()) {
            for (String q : queries) {
                for (boolean title : new boolean[] {true, false}) {
                    out.put(l + q + title, ids(index, index.withAnyForm(l, title, TextIndex.query(q, l)[0])));
                }
            }
        }
        index.values.forEach((p, sets) -> {
            for (String v : sets.values()) {
                BitSet b = new BitSet();
                sets.or(v, b);
                out.put(p + "=" + v, ids(index, b));
            }
        });
        return out;
    }

    private static TreeSet<String> ids(TypeIndex index, BitSet b) {
        TreeSet<String> out = new TreeSet<>();
        b.stream().forEach(i -> out.add(index.entries[i].id()));
        return out;
    }

    @Test
    void anEditRemapsThePostingsOfTheOthersAndEqualsAFreshBuild() {
        Random r = new Random(5);
        Map<Integer, Item> items = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            items.put(i, item(i, 1, r));
            entries.add(new Entry(items.get(i), resource));
        }
        Snapshot s = Snapshot.of(types, entries, 1, 1);
        // edits (new texts, moved to the front of the default order), removals and additions
        List<Snapshot.Refresh> refreshes = new ArrayList<>();
        for (int i : new int[] {3, 50, 51, 120, 299}) {
            items.put(i, item(i, 2, r));
            refreshes.add(new Snapshot.Refresh("/resources/r" + i, List.of(new Entry(items.get(i), resource))));
        }
        for (int i : new int[] {0, 7, 200}) {
            items.remove(i);
            refreshes.add(new Snapshot.Refresh("/resources/r" + i, List.of()));
        }
        for (int i = N; i < N + 4; i++) {
            items.put(i, item(i, 1, r));
            refreshes.add(new Snapshot.Refresh("/resources/r" + i, List.of(new Entry(items.get(i), resource))));
        }
        Snapshot next = s.apply(refreshes, T0.plusSeconds(99_999), 2);
        TypeIndex edited = next.index("resource");
        assertThat(edited.textReads.get()).as("no entry's forms computed again from the entry").isZero();
        List<Entry> fresh = new ArrayList<>();
        items.values().forEach(it -> fresh.add(new Entry(it, resource)));
        TypeIndex rebuilt = new TypeIndex(resource, fresh);
        assertThat(ids(edited, allSet(edited))).isEqualTo(ids(rebuilt, allSet(rebuilt)));
        Map<String, TreeSet<String>> want = answers(rebuilt);
        assertThat(want.values().stream().filter(x -> !x.isEmpty()).count()).isGreaterThan(50);
        assertThat(answers(edited)).isEqualTo(want);
        // the old snapshot still answers as before the edit
        assertThat(s.index("resource").withAnyForm(Lang.EN, false, TextIndex.query("body0", Lang.EN)[0]).cardinality()).isEqualTo(1);
        assertThat(edited.withAnyForm(Lang.EN, false, TextIndex.query("body0", Lang.EN)[0]).cardinality()).isZero();
    }

    private static BitSet allSet(TypeIndex index) {
        BitSet b = new BitSet();
        b.set(0, index.entries.length);
        return b;
    }

    @Test
    void theSnapshotFileCarriesPostingsAndSortOrders(@TempDir Path dir) throws Exception {
        Random r = new Random(8);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            entries.add(new Entry(item(i, 1, r), resource));
        }
        Snapshot s = Snapshot.of(types, entries, 1, 1);
        FileSnapshotStore store = new FileSnapshotStore(dir);
        store.save(types, s);
        SnapshotStore.Saved saved = store.open(types);
        assertThat(saved.usable()).as(saved.reason()).isTrue();
        TypeIndex before = s.index("resource");
        TypeIndex after = saved.indexes().get("resource");
        assertThat(after.entries).extracting(Entry::id).containsExactly(java.util.Arrays.stream(before.entries).map(Entry::id).toArray(String[]::new));
        assertThat(answers(after)).isEqualTo(answers(before));
        assertThat(after.titleAscending.get(Lang.CY)).containsExactly(before.titleAscending.get(Lang.CY));
        assertThat(after.ascending.get("publicationDate")).containsExactly(before.ascending.get("publicationDate"));
        assertThat(after.ascendingKeys.get("publicationDate")).containsExactly(before.ascendingKeys.get("publicationDate"));
        assertThat(after.missing).containsOnlyKeys(before.missing.keySet());
        assertThat(after.entries[0].item.values()).doesNotContainKey("body"); // no rich text in an entry
        // the texts stay in the file (mapped), and read back as they were
        assertThat(after.entries[0].item.values()).isInstanceOf(MappedTexts.Values.class);
        for (int i = 0; i < N; i++) {
            Map<String, Object> was = before.entries[i].item.values();
            Map<String, Object> now = after.entries[i].item.values();
            for (String k : List.of("title", "summary", "kind", "link", "publicationDate", "audiences")) {
                assertThat(now.get(k)).as(k).isEqualTo(was.get(k));
            }
            assertThat(Entry.text(after.entries[i].item, "title", Lang.CY)).isEqualTo(Entry.text(before.entries[i].item, "title", Lang.CY));
            assertThat(new java.util.HashMap<>(now)).isEqualTo(new java.util.HashMap<>(was));
        }
        // a restored index takes edits like a built one
        Snapshot restored = Snapshot.restore(types, saved.indexes(), 2, 1);
        Entry changed = new Entry(item(5, 3, r), resource);
        Snapshot next = restored.apply(List.of(new Snapshot.Refresh("/resources/r5", List.of(changed))), T0, 2);
        assertThat(next.index("resource").withAnyForm(Lang.EN, false, TextIndex.query("body5", Lang.EN)[0]).cardinality()).isEqualTo(1);
        assertThat(next.index("resource").textReads.get()).isZero();
    }

    @Test
    void aSnapshotReadAheadIsWhatOpenGivesAndRemovesNothingUntilThen(@TempDir Path dir) throws Exception {
        Random r = new Random(9);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            entries.add(new Entry(item(i, 1, r), resource));
        }
        Snapshot first = Snapshot.of(types, entries, 1, 1);
        Map<String, TreeSet<String>> expected = answers(first.index("resource"));
        FileSnapshotStore store = new FileSnapshotStore(dir);
        store.save(types, first);
        assertThat(store.cleanStop()).isTrue();
        store.readAhead(types);
        // a start that fails before the index opens the store leaves the file trusted for the next start
        assertThat(store.cleanStop()).isTrue();
        SnapshotStore.Saved early = store.open(types);
        assertThat(early.usable()).as(early.reason()).isTrue();
        assertThat(store.cleanStop()).isFalse();
        assertThat(answers(early.indexes().get("resource"))).isEqualTo(expected);
        // the read ahead is taken once: after the marker is gone, open refuses the file as before
        assertThat(store.open(types).reason()).contains("did not stop cleanly");
        // read ahead for other types: open reads the file itself (and refuses it for those types)
        store.save(types, first);
        store.readAhead(types);
        assertThat(store.open(List.of(resource)).usable()).isFalse();
        // nothing to read ahead without the marker
        new FileSnapshotStore(dir.resolve("none")).readAhead(types);
    }

    @Test
    void valueSetsFilterAndCountLikeAScan() {
        Random r = new Random(3);
        int n = 1000;
        ValueSets.Builder b = new ValueSets.Builder();
        Map<String, BitSet> naive = new HashMap<>();
        for (int i = 0; i < n; i++) {
            // "common" on most positions (a bitset), "rare-k" on a few (a list)
            if (r.nextInt(10) < 8) {
                b.add("common", i);
                naive.computeIfAbsent("common", k -> new BitSet()).set(i);
            }
            String rare = "rare-" + r.nextInt(200);
            b.add(rare, i);
            naive.computeIfAbsent(rare, k -> new BitSet()).set(i);
        }
        ValueSets sets = b.build(n);
        BitSet mask = new BitSet();
        for (int i = 0; i < n; i++) {
            if (r.nextBoolean()) {
                mask.set(i);
            }
        }
        long[] words = mask.toLongArray();
        assertThat(sets.values()).isEqualTo(naive.keySet());
        naive.forEach((v, want) -> {
            BitSet got = new BitSet();
            sets.or(v, got);
            assertThat(got).as(v).isEqualTo(want);
            BitSet and = (BitSet) want.clone();
            and.and(mask);
            assertThat(sets.count(v, words)).as(v).isEqualTo(and.cardinality());
        });
        assertThat(sets.count("absent", words)).isZero();
        // a list of positions per rare value, not a bitset of every position per value
        assertThat(sets.bytes()).isLessThan(200L * (16 + 48) + 4L * n + 8L * (n / 64 + 1) + 16 + 48 + 4096);
    }
}
