package wales.exchange.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;
import wales.exchange.model.PropertyDef;

class MessagesTest {
    private final Messages messages = new Messages();

    @Test
    void bothLanguagesHaveEveryKeyAndDiffer() {
        assertThat(messages.keys()).isNotEmpty();
        long same = messages.keys().stream().filter(k -> messages.get(Lang.EN, k).equals(messages.get(Lang.CY, k))).count();
        // identical texts are allowed only for codes such as "DOI"; Welsh is a translation, not a copy
        assertThat(same).isLessThan(3);
        assertThat(messages.get(Lang.CY, "exchange.error.maxLength", 10, 12)).isEqualTo("Defnyddiwch 10 nod ar y mwyaf (rydych wedi defnyddio 12).");
    }

    @Test
    void everyTypeFieldAndOptionOfTheModelHasALabelInBothLanguages() {
        ContentModel model = ModelLoader.fromDirectory(Path.of("../light-modules/exchange"));
        for (ContentType t : model.types()) {
            assertThat(messages.has("exchange." + t.name() + ".label")).as(t.name()).isTrue();
            java.util.List<PropertyDef> all = new java.util.ArrayList<>(t.properties());
            t.subModels().values().forEach(sm -> all.addAll(sm.properties()));
            for (PropertyDef p : all) {
                assertThat(messages.has("exchange.field." + p.name())).as("field " + p.name()).isTrue();
                for (String o : p.options()) {
                    assertThat(messages.has("exchange.option." + o)).as("option " + o).isTrue();
                }
            }
        }
    }

    @Test
    void acceptLanguageNegotiation() {
        assertThat(Lang.fromAcceptLanguage("cy-GB,cy;q=0.9,en;q=0.8")).isEqualTo(Lang.CY);
        assertThat(Lang.fromAcceptLanguage("en;q=0.5, cy;q=0.7")).isEqualTo(Lang.CY);
        assertThat(Lang.fromAcceptLanguage("fr, de")).isEqualTo(Lang.EN);
        assertThat(Lang.fromAcceptLanguage("cy;q=0, en")).isEqualTo(Lang.EN);
        assertThat(Lang.parse("CY-gb")).contains(Lang.CY);
        assertThat(Lang.parse("cym")).isEmpty();
    }
}
