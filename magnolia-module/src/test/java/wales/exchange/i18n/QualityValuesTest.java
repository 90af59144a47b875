package wales.exchange.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** q-values (RFC 9110 §12.4.2): a malformed one makes its element ignored, never an error. */
class QualityValuesTest {
    static double q(String element) {
        return QualityValues.of(element.split(";"));
    }

    @Test
    void wellFormedValues() {
        assertThat(q("cy")).isEqualTo(1);
        assertThat(q("cy;q=1")).isEqualTo(1);
        assertThat(q("cy;q=1.000")).isEqualTo(1);
        assertThat(q("cy;q=0")).isEqualTo(0);
        assertThat(q("cy; q=0.8")).isEqualTo(0.8);
        assertThat(q("cy;Q=0.125")).isEqualTo(0.125);
        assertThat(q("cy;q=0.")).isEqualTo(0);
    }

    @Test
    void malformedValuesMarkTheElementAsIgnored() {
        for (String bad : new String[] {"cy;q=", "cy;q=2", "cy;q=Infinity", "cy;q=NaN", "cy;q=-1", "cy;q=abc", "cy;q=1.5",
                "cy;q=0.1234", "cy;q=1e0", "cy;q=0x1p-1", "cy;q=.5", "cy;q=0.5d", "cy;q=\u0660.5", "cy;q=1.001"}) {
            assertThat(q(bad)).as(bad).isEqualTo(QualityValues.MALFORMED);
        }
    }

    @Test
    void acceptLanguageIgnoresMalformedElements() {
        for (String h : new String[] {"cy;q=", "cy;q=2", "cy;q=Infinity", "cy;q=NaN", "cy;q=-1", "cy;q=abc", ";q=0.5", ",,", ";", "cy;;"}) {
            assertThat(Lang.fromAcceptLanguage(h)).as(h).isEqualTo(h.equals("cy;;") ? Lang.CY : Lang.EN);
        }
        assertThat(Lang.fromAcceptLanguage("en;q=abc, cy;q=0.2")).isEqualTo(Lang.CY);
        assertThat(Lang.fromAcceptLanguage("cy;q=NaN, en;q=0.1")).isEqualTo(Lang.EN);
        assertThat(Lang.fromAcceptLanguage("cy-GB,cy;q=0.9,en;q=0.5")).isEqualTo(Lang.CY);
        assertThat(Lang.fromAcceptLanguage("en;q=0, cy;q=0")).isEqualTo(Lang.EN);
    }
}
