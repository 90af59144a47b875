package wales.exchange.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelLoaderTest {

    @Test
    void loadsEveryContentTypeOfTheLightModule() {
        ContentModel model = ModelLoader.fromDirectory(Path.of("../light-modules/exchange"));
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
        ContentModel fromDir = ModelLoader.fromDirectory(Path.of("../light-modules/exchange"));
        assertThat(fromJarLayout.types()).extracting(ContentType::name)
                .containsExactlyElementsOf(fromDir.types().stream().map(ContentType::name).toList());
        assertThat(fromJarLayout.get("resource").properties()).isEqualTo(fromDir.get("resource").properties());
    }

    /** A content type with Magnolia's keys only, and its metadata, as two texts. */
    private static ContentType parse(String name, String contentType, String meta) {
        return ModelLoader.parse("contentTypes/" + name + ".yaml", contentType, "exchange-model/" + name + ".yaml",
                "schema: exchange-model/1\ncontentType: " + name + "\n" + meta);
    }

    private static final String DS = "datasource:\n  $type: jcrContentTypeDatasource\n  workspace: exchange\n";

    @Test
    void yamlSyntaxErrorNamesFileAndLine() {
        String yaml = DS + "model:\n  properties:\n    - name: title\n      type: [String\n";
        assertThatThrownBy(() -> parse("broken", yaml, "properties: {title: {}}\n"))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("contentTypes/broken.yaml:")
                .hasMessageContaining("YAML syntax error");
    }

    @Test
    void unknownPropertyTypeNamesFileAndLine() {
        String yaml = DS + "model:\n  properties:\n    - name: title\n    - name: when\n      type: Dat\n";
        assertThatThrownBy(() -> parse("thing", yaml, "properties: {title: {}, when: {}}\n"))
                .hasMessageStartingWith("contentTypes/thing.yaml:8: property when has unknown type 'Dat'");
    }

    @Test
    void unknownKeysAndMissingPartsAreRefused() {
        String model = "model:\n  properties:\n    - name: t\n";
        assertThatThrownBy(() -> parse("a", DS + "model:\n  properties:\n    - name: t\n      requried: true\n", "properties: {t: {}}\n"))
                .hasMessageStartingWith("contentTypes/a.yaml:7: unknown key 'requried'");
        assertThatThrownBy(() -> parse("b", model, "properties: {t: {}}\n"))
                .hasMessageStartingWith("contentTypes/b.yaml:1: missing required key 'datasource'");
        assertThatThrownBy(() -> parse("c", DS + model + "    - name: t\n", "properties: {t: {}}\n"))
                .hasMessageStartingWith("contentTypes/c.yaml:7: property t is defined twice");
        assertThatThrownBy(() -> parse("d", DS + "model:\n  properties:\n    - name: title_cy\n", "properties: {title_cy: {}}\n"))
                .hasMessageContaining("title_cy");
        assertThatThrownBy(() -> parse("e", DS + "model:\n  properties:\n    - name: kind\n", "properties:\n  kind: {options: [a, b], default: c}\n"))
                .hasMessageStartingWith("exchange-model/e.yaml:4:");
        assertThatThrownBy(() -> parse("f", DS + model, "schema: exchange-model/2\nproperties: {t: {}}\n"))
                .hasMessageContaining("duplicate key");
        assertThatThrownBy(() -> ModelLoader.parse("contentTypes/g.yaml", DS + model, "exchange-model/g.yaml", "schema: other\ncontentType: g\nproperties: {t: {}}\n"))
                .hasMessageStartingWith("exchange-model/g.yaml:1: schema must be exchange-model/1");
    }

    /** Defect 3 (issue 13): the module's own keys in a Magnolia content type are refused, with where they belong. */
    @Test
    void theModulesOwnKeysAreRefusedInAContentType() {
        for (String key : ModelLoader.MODULE_PROPERTY_KEYS) {
            assertThatThrownBy(() -> parse("h", DS + "model:\n  properties:\n    - name: t\n      " + key + ": true\n", "properties: {t: {}}\n"))
                    .as(key).hasMessageStartingWith("contentTypes/h.yaml:7: unknown key '" + key + "'");
        }
        assertThatThrownBy(() -> parse("i", "datasource:\n  workspace: x\n  rootPath: /things\nmodel:\n  properties:\n    - name: t\n", "properties: {t: {}}\n"))
                .hasMessageStartingWith("contentTypes/i.yaml:3: unknown key 'rootPath'");
        ContentType ok = parse("j", DS + "model:\n  properties:\n    - name: t\n", "rootPath: /things\nproperties: {t: {maxLength: 5}}\n");
        assertThat(ok.rootPath()).isEqualTo("/things");
        assertThat(ok.property("t").maxLength()).isEqualTo(5);
    }

    /** Defect 3: a property in only one of the two files is refused, either way, and so is a sub-model. */
    @Test
    void aPropertyInOnlyOneOfTheTwoFilesIsRefused() {
        String ct = DS + "model:\n  properties:\n    - name: t\n    - name: u\n";
        assertThatThrownBy(() -> parse("k", ct, "properties: {t: {}}\n"))
                .hasMessageStartingWith("contentTypes/k.yaml:7: property u has no entry in exchange-model/k.yaml");
        assertThatThrownBy(() -> parse("l", ct, "properties: {t: {}, u: {}, v: {}}\n"))
                .hasMessageContaining("property v is not in contentTypes/l.yaml");
        String withSub = DS + "model:\n  properties:\n    - name: s\n      type: sm\n  subModels:\n    - name: sm\n      properties:\n        - name: x\n";
        assertThatThrownBy(() -> parse("m", withSub, "properties: {s: {}}\n"))
                .hasMessageContaining("sub-model sm has no entry under subModels in exchange-model/m.yaml");
        assertThatThrownBy(() -> parse("n", withSub, "properties: {s: {}}\nsubModels:\n  sm: {x: {}, y: {}}\n"))
                .hasMessageContaining("property y is not in contentTypes/n.yaml");
        assertThat(parse("o", withSub, "properties: {s: {}}\nsubModels:\n  sm: {x: {maxLength: 3}}\n")
                .subModel("sm").property("x").maxLength()).isEqualTo(3);
    }

    /**
     * Defect 3, read independently of the loader: every content type of the light module carries only the keys
     * Magnolia knows, and names exactly the properties (and sub-models) its exchange-model file names.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theLightModulesContentTypesCarryNoForeignKeyAndAgreeWithTheirMetadata() throws Exception {
        Path module = Path.of("../light-modules/exchange");
        java.util.List<Path> types;
        try (var files = java.nio.file.Files.list(module.resolve(ModelLoader.CONTENT_TYPES))) {
            types = files.sorted().toList();
        }
        try (var files = java.nio.file.Files.list(module.resolve(ModelLoader.MODEL))) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .isEqualTo(types.stream().map(f -> f.getFileName().toString()).toList());
        }
        var yaml = new org.yaml.snakeyaml.Yaml();
        for (Path f : types) {
            java.util.Map<String, Object> ct = yaml.load(java.nio.file.Files.readString(f));
            java.util.Map<String, Object> meta = yaml.load(java.nio.file.Files.readString(module.resolve(ModelLoader.MODEL).resolve(f.getFileName())));
            java.util.Map<String, Object> ds = (java.util.Map<String, Object>) ct.get("datasource");
            assertThat(ds).as(f + " datasource").containsEntry("$type", "jcrContentTypeDatasource").doesNotContainKey("rootPath");
            assertThat(meta).containsEntry("schema", ModelLoader.SCHEMA);
            java.util.Map<String, Object> model = (java.util.Map<String, Object>) ct.get("model");
            assertAgree(f + "", (java.util.List<java.util.Map<String, Object>>) model.get("properties"),
                    (java.util.Map<String, Object>) meta.get("properties"));
            java.util.List<java.util.Map<String, Object>> subs = (java.util.List<java.util.Map<String, Object>>) model.getOrDefault("subModels", java.util.List.of());
            java.util.Map<String, Object> metaSubs = (java.util.Map<String, Object>) meta.getOrDefault("subModels", java.util.Map.of());
            assertThat(metaSubs.keySet()).as(f + " sub-models").containsExactlyInAnyOrderElementsOf(subs.stream().map(s -> (String) s.get("name")).toList());
            for (var sm : subs) {
                assertAgree(f + " " + sm.get("name"), (java.util.List<java.util.Map<String, Object>>) sm.get("properties"),
                        (java.util.Map<String, Object>) metaSubs.get(sm.get("name")));
            }
        }
    }

    private static void assertAgree(String what, java.util.List<java.util.Map<String, Object>> ctProps, java.util.Map<String, Object> metaProps) {
        for (var p : ctProps) {
            assertThat(ModelLoader.MAGNOLIA_PROPERTY_KEYS).as(what + " " + p.get("name")).containsAll(p.keySet());
        }
        assertThat(metaProps.keySet()).as(what).containsExactlyElementsOf(ctProps.stream().map(p -> (String) p.get("name")).toList());
        for (var e : metaProps.entrySet()) {
            assertThat(ModelLoader.MODULE_PROPERTY_KEYS).as(what + " " + e.getKey())
                    .containsAll(((java.util.Map<String, Object>) e.getValue()).keySet());
        }
    }

    @Test
    void referenceToUnknownTypeIsRefused() {
        ContentType t = parse("x", DS + "model:\n  properties:\n    - name: r\n      type: reference:nothing\n", "properties: {r: {}}\n");
        assertThatThrownBy(() -> new ContentModel(java.util.List.of(t))).hasMessageContaining("unknown content type nothing");
    }

    @Test
    void privateFieldsCannotBeSearchedOrCounted() {
        assertThatThrownBy(() -> parse("p", DS + "model:\n  properties:\n    - name: email\n", "properties:\n  email: {private: true, searchable: true}\n"))
                .hasMessageContaining("a private property cannot be searchable");
    }
}
