package wales.exchange.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelLoaderTest {

    @Test
    void loadsEveryContentTypeOfTheLightModule() {
        ContentModel model = ModelLoader.fromDirectory(Path.of("../light-modules/exchange/contentTypes"));
        assertThat(model.types()).extracting(ContentType::name)
                .containsExactlyInAnyOrder("resource", "event", "caseStudy", "contribution", "comment");
        ContentType event = model.get("event");
        assertThat(event.workspace()).isEqualTo("exchange");
        assertThat(event.rootPath()).isEqualTo("/events");
        assertThat(event.nodeType()).isEqualTo("exchange:event");
        assertThat(event.property("title").i18n()).isTrue();
        assertThat(event.property("startDate").type()).isEqualTo(PropertyType.DATE);
        assertThat(event.property("status").options()).containsExactly("scheduled", "postponed", "rescheduled", "cancelled", "moved-online");
        assertThat(event.property("speakers").type()).isEqualTo(PropertyType.SUB_MODEL);
        assertThat(event.subModel("speaker").property("role").options()).containsExactly("presenter", "chair");
        assertThat(model.get("caseStudy").property("relatedResources").target()).isEqualTo("resource");
        assertThat(model.get("contribution").property("contributorEmail").privateField()).isTrue();
        assertThat(model.get("contribution").property("category").options()).hasSize(5);
    }

    @Test
    void classPathAndDirectoryGiveTheSameModel() {
        ContentModel fromJarLayout = ModelLoader.fromClasspath(getClass().getClassLoader());
        ContentModel fromDir = ModelLoader.fromDirectory(Path.of("../light-modules/exchange/contentTypes"));
        assertThat(fromJarLayout.types()).extracting(ContentType::name)
                .containsExactlyElementsOf(fromDir.types().stream().map(ContentType::name).toList());
        assertThat(fromJarLayout.get("resource").properties()).isEqualTo(fromDir.get("resource").properties());
    }

    @Test
    void yamlSyntaxErrorNamesFileAndLine() {
        String yaml = "datasource:\n  workspace: exchange\nmodel:\n  properties:\n    - name: title\n      type: [String\n";
        assertThatThrownBy(() -> ModelLoader.parse("contentTypes/broken.yaml", yaml))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("contentTypes/broken.yaml:")
                .hasMessageContaining("YAML syntax error");
    }

    @Test
    void unknownPropertyTypeNamesFileAndLine() {
        String yaml = "datasource:\n  workspace: exchange\nmodel:\n  properties:\n    - name: title\n    - name: when\n      type: Dat\n";
        assertThatThrownBy(() -> ModelLoader.parse("contentTypes/thing.yaml", yaml))
                .hasMessageStartingWith("contentTypes/thing.yaml:7: property when has unknown type 'Dat'");
    }

    @Test
    void unknownKeysAndMissingPartsAreRefused() {
        assertThatThrownBy(() -> ModelLoader.parse("a.yaml", "datasource:\n  workspace: x\nmodel:\n  properties:\n    - name: t\n      requried: true\n"))
                .hasMessageStartingWith("a.yaml:6: unknown key 'requried'");
        assertThatThrownBy(() -> ModelLoader.parse("b.yaml", "model:\n  properties:\n    - name: t\n"))
                .hasMessageStartingWith("b.yaml:1: missing required key 'datasource'");
        assertThatThrownBy(() -> ModelLoader.parse("c.yaml", "datasource:\n  workspace: x\nmodel:\n  properties:\n    - name: t\n    - name: t\n"))
                .hasMessageStartingWith("c.yaml:6: property t is defined twice");
        assertThatThrownBy(() -> ModelLoader.parse("d.yaml", "datasource:\n  workspace: x\nmodel:\n  properties:\n    - name: title_cy\n"))
                .hasMessageContaining("title_cy");
        assertThatThrownBy(() -> ModelLoader.parse("e.yaml", "datasource:\n  workspace: x\nmodel:\n  properties:\n    - name: kind\n      options: [a, b]\n      default: c\n"))
                .hasMessageStartingWith("e.yaml:7:");
    }

    @Test
    void referenceToUnknownTypeIsRefused() {
        ContentType t = ModelLoader.parse("x.yaml", "datasource:\n  workspace: x\nmodel:\n  properties:\n    - name: r\n      type: reference:nothing\n");
        assertThatThrownBy(() -> new ContentModel(java.util.List.of(t))).hasMessageContaining("unknown content type nothing");
    }

    @Test
    void privateFieldsCannotBeSearchedOrCounted() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelLoader.parse("p.yaml",
                "datasource:\n  workspace: x\nmodel:\n  properties:\n    - name: email\n      private: true\n      searchable: true\n"))
                .hasMessageContaining("a private property cannot be searchable");
    }
}
