package wales.exchange.delivery.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import wales.exchange.content.Item;
import wales.exchange.delivery.index.TextIndex;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/**
 * The inverted search index of {@link TypeIndex} on 400 synthetic bilingual resources, no repository: it finds what a
 * scan of every entry's forms finds (Welsh mutations, English stems, titles, dense and rare words), and a word never
 * asked for before reads postings only, never the entries.
 */
class SearchPostingsTest {
    private static final int N = 400;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] EN = {"care", "caring", "carers", "education", "educational", "educating", "children",
        "child", "hospital", "hospitals", "social", "workers", "working", "community", "practice", "older", "people",
        "report", "reports", "wales", "cardiff", "training", "trained", "policy", "policies", "family", "families"};
    private static final String[] CY = {"gofal", "ofal", "chymuned", "gymuned", "cymuned", "plant", "mhlant", "phlant",
        "blant", "Caerdydd", "Nghaerdydd", "Gaerdydd", "ysbytai", "gweithwyr", "cymdeithasol", "addysg", "hŷn", "grŵp",
        "tîm", "teulu", "deulu", "nheulu", "theulu", "llyfr", "lyfr", "rhieni", "rieni", "mam", "fam", "hysbyty"};
    private final ContentType resource = ModelLoader.fromClasspath(getClass().getClassLoader()).get("resource");
    private final List<Entry> entries = new ArrayList<>();

    SearchPostingsTest() {
        Random random = new Random(11);
        for (int i = 0; i < N; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            Map<String, String> title = new LinkedHashMap<>();
            title.put("en", words(random, EN, 1 + random.nextInt(3)) + " " + i);
            if (i % 5 != 0) { // every fifth has no Welsh title: Welsh search reads the English one
                title.put("cy", words(random, CY, 1 + random.nextInt(3)));
            }
            v.put("title", title);
            Map<String, String> summary = new LinkedHashMap<>();
            summary.put("en", words(random, EN, random.nextInt(12)));
            summary.put("cy", words(random, CY, random.nextInt(12)));
            v.put("summary", summary);
            v.put("kind", resource.property("kind").options().get(0));
            v.put(ContentModel.MODERATION_STATE, ContentModel.PUBLISHED);
            Item item = new Item("resource", String.format("00000000-0000-0000-0000-%012d", i), "/resources/r" + i, "r" + i, 1,
                    OffsetDateTime.ofInstant(T0, ZoneOffset.UTC), "e", OffsetDateTime.ofInstant(T0.plusSeconds(i), ZoneOffset.UTC), "e", v);
            entries.add(new Entry(item, resource));
        }
    }

    private static String words(Random random, String[] from, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(from[random.nextInt(from.length)]).append(' ');
        }
        return b.toString().strip();
    }

    /** What the index answered before it had postings: a binary search in every entry's sorted forms. */
    private final Map<String, Entry.Forms> forms = new java.util.HashMap<>();

    private BitSet scan(TypeIndex index, Lang lang, boolean title, int[] forms) {
        BitSet out = new BitSet();
        for (int i = 0; i < index.entries.length; i++) {
            Entry e = index.entries[i];
            Entry.Forms ef = this.forms.computeIfAbsent(e.id(), k -> Entry.forms(e.item, resource));
            int[] text = title ? ef.title()[lang.ordinal()] : ef.all()[lang.ordinal()];
            for (int f : forms) {
                if (Arrays.binarySearch(text, f) >= 0) {
                    out.set(i);
                }
            }
        }
        return out;
    }

    @Test
    void findsWhatAScanOfEveryEntryFinds() {
        TypeIndex index = new TypeIndex(resource, entries);
        List<String> queries = new ArrayList<>(List.of(EN));
        queries.addAll(List.of(CY));
        queries.addAll(List.of("educate", "carer", "hosp", "gymdeithasol", "chaerdydd", "ngofal", "grwp", "hyn", "tim",
                "lyfrau", "17", "399", "unknownword", "ddim"));
        int nonEmpty = 0;
        for (Lang lang : Lang.values()) {
            for (String q : queries) {
                for (int[] forms : TextIndex.query(q, lang)) {
                    for (boolean title : new boolean[] {true, false}) {
                        BitSet expected = scan(index, lang, title, forms);
                        assertThat(index.withAnyForm(lang, title, forms)).as("%s %s title=%s", lang, q, title).isEqualTo(expected);
                        nonEmpty += expected.isEmpty() ? 0 : 1;
                    }
                }
            }
        }
        assertThat(nonEmpty).isGreaterThan(100); // the comparison is not between empty sets
    }

    @Test
    void welshMutationsAndEnglishStemsAreFoundThroughThePostings() {
        TypeIndex index = new TypeIndex(resource, entries);
        BitSet caerdydd = any(index, Lang.CY, "caerdydd");
        assertThat(caerdydd).isEqualTo(any(index, Lang.CY, "nghaerdydd")).isEqualTo(any(index, Lang.CY, "gaerdydd"));
        assertThat(caerdydd.cardinality()).isGreaterThan(10);
        for (int i = caerdydd.nextSetBit(0); i >= 0; i = caerdydd.nextSetBit(i + 1)) {
            String text = (String.valueOf(index.entries[i].item.values().get("title")) + index.entries[i].item.values().get("summary"));
            assertThat(text).containsAnyOf("Caerdydd", "Nghaerdydd", "Gaerdydd");
        }
        assertThat(any(index, Lang.CY, "plant")).isEqualTo(any(index, Lang.CY, "mhlant"));
        assertThat(any(index, Lang.EN, "educating")).isEqualTo(any(index, Lang.EN, "education"));
        assertThat(any(index, Lang.EN, "educating").cardinality()).isPositive();
        // a dense word (on most entries: a bitset) and a rare one (a few positions)
        assertThat(any(index, Lang.EN, "care").cardinality()).isGreaterThan(N / 32);
        assertThat(any(index, Lang.EN, "399").cardinality()).isEqualTo(1);
    }

    private static BitSet any(TypeIndex index, Lang lang, String word) {
        return index.withAnyForm(lang, false, TextIndex.query(word, lang)[0]);
    }

    @Test
    void aWordNeverAskedForReadsPostingsNotEntries() {
        TypeIndex index = new TypeIndex(resource, entries);
        long afterBuild = index.textReads.get();
        for (String w : List.of("care", "gofal", "nghaerdydd", "zzyzx", "qwertyuiop", "educating")) {
            for (Lang lang : Lang.values()) {
                for (int[] forms : TextIndex.query(w, lang)) {
                    index.withAnyForm(lang, false, forms);
                    index.withAnyForm(lang, true, forms);
                }
            }
        }
        assertThat(index.textReads.get()).isEqualTo(afterBuild);
    }

    @Test
    void emptyIndexAndPostingsSize() {
        TypeIndex empty = new TypeIndex(resource, List.of());
        assertThat(empty.withAnyForm(Lang.EN, false, TextIndex.query("care", Lang.EN)[0]).cardinality()).isZero();
        TypeIndex index = new TypeIndex(resource, entries);
        long forward = 0;
        for (Entry e : entries) {
            Entry.Forms f = Entry.forms(e.item, resource);
            for (Lang l : Lang.values()) {
                forward += 4L * (f.title()[l.ordinal()].length + f.all()[l.ordinal()].length);
            }
        }
        // the postings hold each (form, entry) pair once, as the entries' forms do, plus the forms themselves
        assertThat(index.postingsBytes()).isLessThan(2 * forward + 4096);
        assertThat(index.searchForms(Lang.CY)).isGreaterThan(CY.length);
    }
}
