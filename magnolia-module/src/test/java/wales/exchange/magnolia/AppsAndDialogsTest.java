package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import wales.exchange.i18n.Messages;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;
import wales.exchange.model.SubModel;

/**
 * Issue 13, item 5: the content apps and their forms refer to what exists. Every app is a {@code !content-type:} app of
 * an existing content type whose detail form is the form of that type (includes/forms/, a fragment as Magnolia's docs
 * advise, not a dialog definition); every form field is a property
 * of the model (Welsh fields: {@code <property>_cy} of an i18n property, on the Welsh tab), every property has a
 * field, options and required flags agree with the model, every field is on exactly one tab, moderationState and
 * private fields are read-only, and every label, description and message key is in both bundles.
 */
class AppsAndDialogsTest {
    private static final Path MODULE = Path.of("../light-modules/exchange");
    private static final Pattern CONTENT_TYPE = Pattern.compile("^!content-type:(\\w+)\\s*$", Pattern.MULTILINE);
    private static final Pattern INCLUDE = Pattern.compile("!include:/exchange/(includes/forms/\\w+)\\.yaml");
    private final ContentModel model = ModelLoader.fromDirectory(MODULE);
    private final Messages messages = new Messages(wales.exchange.model.DefinitionFiles.directory(MODULE));

    @Test
    void everyAppIsAContentTypeAppWhoseFormIsTheDialogOfThatType() throws Exception {
        List<Path> apps = files("apps");
        assertThat(apps).hasSize(5);
        Set<String> typesWithApps = new HashSet<>();
        for (Path app : apps) {
            String text = Files.readString(app);
            Matcher ct = CONTENT_TYPE.matcher(text);
            assertThat(ct.find()).as(app + " is a !content-type app").isTrue();
            String type = ct.group(1);
            assertThat(model.get(type)).as(app + " names content type " + type).isNotNull();
            Matcher inc = INCLUDE.matcher(text);
            assertThat(inc.find()).as(app + " includes its form").isTrue();
            assertThat(inc.group(1)).isEqualTo("includes/forms/" + type);
            assertThat(MODULE.resolve(inc.group(1) + ".yaml")).exists();
            Map<String, Object> rest = new Yaml().load(CONTENT_TYPE.matcher(text).replaceAll("").replace(inc.group(), "included"));
            assertThat(messages.has((String) rest.get("label"))).as(app + " label").isTrue();
            checkModerationActions(app.toString(), rest);
            typesWithApps.add(type);
        }
        assertThat(typesWithApps).containsExactlyInAnyOrder("resource", "event", "caseStudy", "contribution", "comment");
    }

    /**
     * Every action is the module's moderation action (or opens a moderation dialog whose commit action is the module's)
     * with an operation and, for a transition, an existing target state; its availability rule is the module's with the
     * same operation and target, so it is offered where that move is allowed; the action bar lists only defined actions.
     */
    @SuppressWarnings("unchecked")
    private void checkModerationActions(String app, Map<String, Object> rest) throws Exception {
        Map<String, Object> browser = (Map<String, Object>) ((Map<String, Object>) rest.get("subApps")).get("browser");
        Map<String, Map<String, Object>> actions = (Map<String, Map<String, Object>>) browser.get("actions");
        assertThat(actions.keySet()).containsExactly("submitForReview", "approve", "publish", "unpublish", "reject", "claim",
                "assign", "schedule");
        for (Map.Entry<String, Map<String, Object>> a : actions.entrySet()) {
            Map<String, Object> d = a.getValue();
            Map<String, Object> does = d; // the definition holding operation and target: the action's, or its dialog's commit
            if ("info.magnolia.ui.dialog.actions.OpenDialogActionDefinition".equals(d.get("class"))) {
                String dialogId = (String) d.get("dialogId");
                assertThat(dialogId).as(app + " " + a.getKey()).startsWith("exchange:moderation/");
                Path dialog = MODULE.resolve("dialogs/" + dialogId.substring("exchange:".length()) + ".yaml");
                assertThat(dialog).as(app + " " + a.getKey() + " dialog").exists();
                Map<String, Object> dd = new Yaml().load(Files.readString(dialog));
                assertThat(messages.has((String) dd.get("label"))).as(dialog + " label").isTrue();
                for (Map<String, Object> f : ((Map<String, Map<String, Object>>) ((Map<String, Object>) dd.get("form")).get("properties")).values()) {
                    assertThat(messages.has((String) f.get("label"))).as(dialog + " field label").isTrue();
                    if (f.get("description") != null) {
                        assertThat(messages.has((String) f.get("description"))).as(dialog + " help").isTrue();
                    }
                }
                does = ((Map<String, Map<String, Object>>) dd.get("actions")).get("commit");
                assertThat(Class.forName((String) does.get("class"))).isEqualTo(ModerationDialogActionDefinition.class);
                assertThat(Class.forName((String) does.get("implementationClass"))).isEqualTo(ModerationDialogAction.class);
                assertThat(messages.has((String) does.get("label"))).as(dialog + " commit label").isTrue();
            } else {
                assertThat(Class.forName((String) d.get("class"))).isEqualTo(ModerationActionDefinition.class);
                assertThat(Class.forName((String) d.get("implementationClass"))).isEqualTo(ModerationAction.class);
            }
            AppOperation op = AppOperation.parse((String) does.get("operation"));
            if (op == AppOperation.TRANSITION) {
                assertThat(wales.exchange.moderation.State.parse((String) does.get("target"))).as(app + " " + a.getKey()).isPresent();
            }
            assertThat(messages.has((String) d.get("label"))).as(app + " " + a.getKey() + " label").isTrue();
            Map<String, Object> rule = ((Map<String, Map<String, Object>>) ((Map<String, Object>) d.get("availability")).get("rules")).get("moderation");
            assertThat(Class.forName((String) rule.get("class"))).isEqualTo(ModerationRuleDefinition.class);
            assertThat(Class.forName((String) rule.get("implementationClass"))).isEqualTo(ModerationRule.class);
            assertThat(AppOperation.parse((String) rule.get("operation"))).as(app + " " + a.getKey() + " rule").isEqualTo(op);
            assertThat(rule.get("target")).as(app + " " + a.getKey() + " rule target").isEqualTo(does.get("target"));
        }
        Map<String, Object> sections = (Map<String, Object>) ((Map<String, Object>) browser.get("actionbar")).get("sections");
        Map<String, Object> groups = (Map<String, Object>) ((Map<String, Object>) sections.get("item")).get("groups");
        List<Map<String, String>> items = (List<Map<String, String>>) ((Map<String, Object>) groups.get("moderation")).get("items");
        assertThat(items.stream().map(i -> i.get("name")).toList()).containsExactlyElementsOf(actions.keySet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDialogFieldIsAPropertyOfTheModelAndEveryPropertyHasAField() throws Exception {
        for (Path dialog : files("includes/forms")) {
            String name = dialog.getFileName().toString().replace(".yaml", "");
            ContentType type = model.get(name);
            assertThat(type).as(dialog + " is named after a content type").isNotNull();
            Map<String, Object> d = new Yaml().load(Files.readString(dialog));
            assertThat(messages.has((String) d.get("label"))).isTrue();
            Map<String, Object> form = (Map<String, Object>) d.get("form");
            Map<String, Map<String, Object>> fields = (Map<String, Map<String, Object>>) form.get("properties");
            Set<String> expected = new HashSet<>();
            for (PropertyDef p : type.properties()) {
                expected.add(p.name());
                if (p.i18n()) {
                    expected.add(p.name() + "_cy");
                }
            }
            assertThat(fields.keySet()).as(dialog + " fields").containsExactlyInAnyOrderElementsOf(expected);
            for (Map.Entry<String, Map<String, Object>> f : fields.entrySet()) {
                boolean welsh = f.getKey().endsWith("_cy");
                PropertyDef p = type.property(welsh ? f.getKey().substring(0, f.getKey().length() - 3) : f.getKey());
                checkField(dialog + " " + f.getKey(), p, f.getValue(), welsh, type);
            }
            // tabs: every field on exactly one tab; the Welsh fields, and only they, on the Welsh tab
            Map<String, Object> layout = (Map<String, Object>) form.get("layout");
            assertThat(layout.get("$type")).isEqualTo("tabbedLayout");
            Map<String, Map<String, Object>> tabs = (Map<String, Map<String, Object>>) layout.get("tabs");
            List<String> placed = new ArrayList<>();
            for (Map.Entry<String, Map<String, Object>> tab : tabs.entrySet()) {
                assertThat(messages.has((String) tab.getValue().get("label"))).as("tab label " + tab.getKey()).isTrue();
                for (Map<String, Object> f : (List<Map<String, Object>>) tab.getValue().get("fields")) {
                    String field = (String) f.get("name");
                    placed.add(field);
                    assertThat(tab.getKey().equals("welsh")).as(dialog + " " + field + " on tab " + tab.getKey()).isEqualTo(field.endsWith("_cy"));
                }
            }
            assertThat(placed).as(dialog + " tabs").containsExactlyInAnyOrderElementsOf(fields.keySet());
            if (type.properties().stream().anyMatch(PropertyDef::i18n)) {
                assertThat(tabs).containsKey("welsh");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void checkField(String what, PropertyDef p, Map<String, Object> f, boolean welsh, ContentType type) {
        assertThat(p).as(what + " is a property of the model").isNotNull();
        assertThat(!welsh || p.i18n()).as(what + ": a Welsh field of an i18n property").isTrue();
        for (String key : List.of("label", "description", "requiredErrorMessage", "buttonLabel")) {
            if (f.containsKey(key)) {
                assertThat(messages.has((String) f.get(key))).as(what + "." + key + " " + f.get(key)).isTrue();
            }
        }
        assertThat(f.get("label")).isEqualTo("exchange.field." + p.name());
        String fieldType = (String) f.get("$type");
        Map<String, Object> single = p.multiple() && p.type() != PropertyType.SUB_MODEL ? (Map<String, Object>) f.get("field") : f;
        if (p.multiple() && p.type() != PropertyType.SUB_MODEL) {
            assertThat(fieldType).as(what).isEqualTo("jcrMultiValueField");
        }
        switch (p.type()) {
            case RICH_TEXT -> assertThat(single.get("$type")).as(what).isEqualTo("richTextField");
            case DATE -> assertThat(single).as(what).containsEntry("$type", "dateField").containsEntry("time", true);
            case BOOLEAN -> assertThat(single.get("$type")).as(what).isEqualTo("checkBoxField");
            case ASSET -> assertThat(single.get("$type")).as(what).isEqualTo("damLinkField");
            case REFERENCE -> {
                assertThat(single.get("$type")).as(what).isEqualTo("linkField");
                Map<String, Object> ds = (Map<String, Object>) single.get("datasource");
                assertThat(ds.get("rootPath")).as(what).isEqualTo(model.get(p.target()).rootPath());
            }
            case SUB_MODEL -> {
                assertThat(fieldType).as(what).isEqualTo("jcrMultiField");
                Map<String, Object> composite = (Map<String, Object>) f.get("field");
                Map<String, Map<String, Object>> parts = (Map<String, Map<String, Object>>) composite.get("properties");
                SubModel sm = type.subModel(p.target());
                Set<String> expected = new HashSet<>();
                sm.properties().forEach(sp -> {
                    expected.add(sp.name());
                    if (sp.i18n()) {
                        expected.add(sp.name() + "_cy");
                    }
                });
                assertThat(parts.keySet()).as(what).containsExactlyInAnyOrderElementsOf(expected);
                parts.forEach((k, v) -> {
                    boolean w = k.endsWith("_cy");
                    checkField(what + "." + k, sm.property(w ? k.substring(0, k.length() - 3) : k), v, w, type);
                });
            }
            default -> {
                if (p.enumerated()) {
                    assertThat(single.get("$type")).as(what).isEqualTo("comboBoxField");
                    List<Map<String, Object>> options = (List<Map<String, Object>>) ((Map<String, Object>) single.get("datasource")).get("options");
                    assertThat(options.stream().map(o -> o.get("value")).toList()).as(what + " options").isEqualTo(p.options());
                    options.forEach(o -> assertThat(messages.has((String) o.get("label"))).as(what + " " + o).isTrue());
                } else {
                    assertThat(single.get("$type")).as(what).isEqualTo("textField");
                    if (p.maxLength() != 10_000) {
                        assertThat(single.get("maxLength")).as(what + " maxLength").isEqualTo(p.maxLength());
                    }
                    if (p.format() != null) {
                        Map<String, Map<String, Object>> validators = (Map<String, Map<String, Object>>) single.get("validators");
                        assertThat(validators).as(what + " validators").isNotEmpty();
                        validators.values().forEach(v -> assertThat(messages.has((String) v.get("errorMessage"))).isTrue());
                    }
                }
            }
        }
        if (p.defaultValue() != null) {
            assertThat(single.get("defaultValue")).as(what + " default").isEqualTo(p.defaultValue());
        }
        assertThat(Boolean.TRUE.equals(f.get("required"))).as(what + " required")
                .isEqualTo(p.required() && !welsh && p.type() != PropertyType.BOOLEAN);
        if (p.i18n() && !welsh) {
            assertThat(f.get("i18n")).as(what + ": English here, Welsh on its tab").isEqualTo(false);
        }
        if (p.name().equals("moderationState") || p.privateField()) {
            assertThat(f.get("readOnly")).as(what + " read-only").isEqualTo(true);
        }
    }

    private static List<Path> files(String folder) throws Exception {
        try (Stream<Path> s = Files.list(MODULE.resolve(folder))) {
            return s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
