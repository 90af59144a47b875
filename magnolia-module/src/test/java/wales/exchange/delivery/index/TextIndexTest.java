package wales.exchange.delivery.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import wales.exchange.i18n.Lang;

class TextIndexTest {

    private static boolean finds(String query, String text, Lang lang) {
        int[] doc = TextIndex.index(text, lang);
        for (int[] word : TextIndex.query(query, lang)) {
            if (java.util.Arrays.stream(word).noneMatch(form -> java.util.Arrays.binarySearch(doc, form) >= 0)) {
                return false;
            }
        }
        return TextIndex.query(query, lang).length > 0;
    }

    @Test
    void welshMutatedFormsFindTheRadicalAndEachOther() {
        assertThat(finds("gath", "Mae'r gath yn cysgu", Lang.CY)).isTrue();           // same form
        assertThat(finds("cath", "fy nghath i", Lang.CY)).isTrue();                   // nasal ngh → c
        assertThat(finds("cath", "ei chath hi", Lang.CY)).isTrue();                   // aspirate ch → c
        assertThat(finds("gath", "cath fach", Lang.CY)).isTrue();                     // soft g ← c
        assertThat(finds("ofalwyr", "gofalwyr ifanc", Lang.CY)).isTrue();             // soft: g dropped
        assertThat(finds("nhad", "fy nhad", Lang.CY)).isTrue();
        assertThat(finds("tad", "fy nhad", Lang.CY)).isTrue();                        // nasal nh → t
        assertThat(finds("plant", "ein mhlant", Lang.CY)).isTrue();                   // nasal mh → p
        assertThat(finds("lles", "at ddibenion les", Lang.CY)).isTrue();              // soft ll → l
        assertThat(finds("llety", "mewn lety diogel", Lang.CY)).isTrue();             // soft ll → l
        assertThat(finds("ysgol", "plant ysgol", Lang.CY)).isTrue();
        assertThat(finds("ceffyl", "gweminar ar-lein", Lang.CY)).isFalse();
    }

    @Test
    void accentsAndCaseAreFolded() {
        assertThat(finds("grwp", "grŵp mawr", Lang.CY)).isTrue();
        assertThat(finds("GRŴP", "grwp mawr", Lang.CY)).isTrue();
        assertThat(finds("ty", "Tŷ Hafan", Lang.CY)).isTrue();
        assertThat(finds("cafe", "Café society", Lang.EN)).isTrue();
    }

    @Test
    void englishIsStemmed() {
        assertThat(finds("carer", "young carers in Wales", Lang.EN)).isTrue();
        assertThat(finds("studies", "a longitudinal study", Lang.EN)).isTrue();
        assertThat(finds("supporting", "how we support them", Lang.EN)).isTrue();
        assertThat(finds("hospital", "social workers", Lang.EN)).isFalse();
    }

    @Test
    void htmlIsStrippedBeforeIndexing() {
        assertThat(TextIndex.words("<p>One&nbsp;<b>two’s</b></p><script>x</script><style>p{}</style>")).containsExactly("one", "twos");
        assertThat(finds("script", "<script>alert(1)</script>", Lang.EN)).isFalse();
        assertThat(finds("alert", "<script>alert(1)</script>", Lang.EN)).isFalse();
        assertThat(finds("nbsp", "a&nbsp;b", Lang.EN)).isFalse();
    }
}
