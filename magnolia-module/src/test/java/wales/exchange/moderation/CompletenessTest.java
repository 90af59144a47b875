package wales.exchange.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ModelLoader;

/** The bilingual-completeness gate on the real model, without JCR. */
class CompletenessTest {
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());

    @Test
    void aRequiredWelshFieldEmptyOrAnEnglishOnlyFieldBlocks() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", Map.of("en", "A report"));
        v.put("summary", Map.of("en", "About it", "cy", "Amdano"));
        v.put("kind", "report");
        assertThat(Completeness.missingWelsh(model.get("resource"), v)).containsExactly("title");
        v.put("body", Map.of("en", "<p>text</p>", "cy", "  "));
        assertThat(Completeness.missingWelsh(model.get("resource"), v)).containsExactly("title", "body");
        v.put("title", Map.of("en", "A report", "cy", "Adroddiad"));
        v.put("body", Map.of("en", "<p>text</p>", "cy", "<p>testun</p>"));
        assertThat(Completeness.missingWelsh(model.get("resource"), v)).isEmpty();
        // a required field with no text at all is missing too
        assertThat(Completeness.missingWelsh(model.get("event"), Map.of())).containsExactly("title");
    }

    @Test
    void externalMaterialMarkedWithItsOriginalLanguageIsExempt() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", Map.of("en", "An English journal article"));
        v.put("kind", "academic-literature");
        v.put("originalLanguage", "en");
        assertThat(Completeness.missingWelsh(model.get("resource"), v)).as("not external: no link").containsExactly("title");
        v.put("link", "https://example.org/article");
        assertThat(Completeness.missingWelsh(model.get("resource"), v)).isEmpty();
        v.remove("originalLanguage");
        assertThat(Completeness.missingWelsh(model.get("resource"), v)).as("external but not marked").containsExactly("title");
    }

    @Test
    void contributionsAndCommentsHaveNoTranslatableFields() {
        assertThat(Completeness.missingWelsh(model.get("contribution"), Map.of("title", "x"))).isEmpty();
        assertThat(Completeness.missingWelsh(model.get("comment"), Map.of("body", "x"))).isEmpty();
    }
}
