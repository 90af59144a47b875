package wales.exchange.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import wales.exchange.i18n.Lang;

class TemplatesTest {
    private final Templates templates = new Templates();

    /** Distinct values per parameter, so that each one can be found in the rendered text. */
    private static Notice sample(Template t, Lang lang) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : t.params()) {
            params.put(p, "«" + p + "-value»");
        }
        return new Notice("someone@example.org", lang, t, params);
    }

    @Test
    void everyTemplateExistsInBothLanguagesAndFillsEveryParameter() {
        for (Template t : Template.values()) {
            for (Lang l : Lang.values()) {
                String path = String.format(Templates.PATH, t.key(), l.tag());
                assertThat(getClass().getClassLoader().getResource(path)).as(path).isNotNull();
                Templates.Rendered r = templates.render(sample(t, l));
                String all = r.subject() + "\n" + r.body();
                assertThat(r.subject()).as(path).isNotBlank().doesNotContain("\n");
                assertThat(all).as(path + " has no unfilled placeholder").doesNotContainPattern("\\{[A-Za-z][A-Za-z0-9]*}");
                for (String p : t.params()) {
                    assertThat(all).as(path + " uses " + p).contains("«" + p + "-value»");
                }
            }
        }
    }

    @Test
    void welshIsWelshNotEnglishCopied() {
        for (Template t : Template.values()) {
            Templates.Rendered en = templates.render(sample(t, Lang.EN));
            Templates.Rendered cy = templates.render(sample(t, Lang.CY));
            assertThat(cy.subject()).as(t.key()).isNotEqualTo(en.subject());
            // no English line copied into the Welsh text (parameter-only lines aside)
            for (String line : en.body().split("\n")) {
                if (line.replaceAll("«[^»]*»|[\"():.\\s]", "").length() > 12) {
                    assertThat(cy.body()).as(t.key() + ": English line in Welsh: " + line).doesNotContain(line);
                }
            }
            assertThat(cy.body()).contains("Gofal ac Addysg");
        }
        assertThat(templates.render(sample(Template.SUBMISSION_RECEIVED, Lang.CY)).body()).contains("Annwyl", "cyfeirnod");
    }

    @Test
    void aNoticeMustFillExactlyItsTemplatesParameters() {
        assertThatThrownBy(() -> Notice.of("a@example.org", Lang.EN, Template.DECISION_DECLINED, "name", "A", "reference", "R",
                "title", "T", "statusUrl", "https://x")).hasMessageContaining("reason");
        assertThatThrownBy(() -> Notice.of("a@example.org", Lang.EN, Template.DECISION_ACCEPTED, "name", "A", "reference", "R",
                "title", "T", "statusUrl", " ")).hasMessageContaining("statusUrl is empty");
        assertThatThrownBy(() -> Notice.of("a@example.org", Lang.EN, Template.ASSIGNMENT, "moderator", "M", "assignedBy", "B",
                "reference", "R", "title", "T", "itemUrl", "u", "extra", "x")).hasMessageContaining("extra");
        assertThatThrownBy(() -> Notice.of("not an address\r\nBcc: x@y.z", Lang.EN, Template.ASSIGNMENT, "moderator", "M",
                "assignedBy", "B", "reference", "R", "title", "T", "itemUrl", "u")).hasMessageContaining("not an email address");
    }

    @Test
    void lineBreaksInAParameterNeverReachTheSubject() {
        Notice n = Notice.of("a@example.org", Lang.EN, Template.ASSIGNMENT, "moderator", "M", "assignedBy", "B",
                "reference", "EX-1\r\nBcc: victim@example.org", "title", "T", "itemUrl", "u");
        Templates.Rendered r = templates.render(n);
        assertThat(r.subject()).isEqualTo("Assigned to you for moderation: EX-1 Bcc: victim@example.org");
    }

    @Test
    void aTemplateMissingInOneLanguageFailsAtStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // every template file but the Welsh assignment
        for (Template t : Template.values()) {
            for (Lang l : Lang.values()) {
                String path = String.format(Templates.PATH, t.key(), l.tag());
                if (t == Template.ASSIGNMENT && l == Lang.CY) {
                    continue;
                }
                java.nio.file.Path target = dir.resolve(path);
                java.nio.file.Files.createDirectories(target.getParent());
                try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
                    java.nio.file.Files.copy(in, target);
                }
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> new Templates(loader)).hasMessageContaining("assignment_cy.txt");
        }
    }
}
