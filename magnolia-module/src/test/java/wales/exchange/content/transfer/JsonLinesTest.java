package wales.exchange.content.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import wales.exchange.content.FieldError;
import wales.exchange.content.Item;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/** The line format without a repository: parsing, the line frame's errors, derived ids, writing, export order. */
class JsonLinesTest {
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final JsonLines lines = new JsonLines(model);

    private static final String EVENT = "{\"type\":\"event\",\"id\":\"901f7a1b-20f9-458c-9172-3f92ad923f8f\",\"state\":\"published\","
            + "\"title\":{\"en\":\"Webinar\",\"cy\":\"Gweminar\"},\"summary\":\"English only\","
            + "\"speakers\":[{\"name\":\"Siân\",\"affiliation\":{\"en\":\"Cardiff University\",\"cy\":\"Prifysgol Caerdydd\"}}],"
            + "\"startDate\":\"2025-03-12T10:00:00Z\",\"free\":false}";

    private List<FieldError> errors(String text) {
        JsonLines.Parsed p = lines.parse(7, text);
        assertThat(p.line()).isNull();
        return p.errors();
    }

    @Test
    void aLineBecomesContentServiceInputWithItsIdAndState() {
        JsonLines.Parsed p = lines.parse(3, EVENT);
        assertThat(p.errors()).isEmpty();
        ImportLine l = p.line();
        assertThat(l.number()).isEqualTo(3);
        assertThat(l.type()).isEqualTo("event");
        assertThat(l.id()).isEqualTo("901f7a1b-20f9-458c-9172-3f92ad923f8f");
        assertThat(l.idGiven()).isTrue();
        assertThat(l.values()).containsEntry("moderationState", "published")
                .containsEntry("title", Map.of("en", "Webinar", "cy", "Gweminar"))
                .containsEntry("summary", "English only")   // a plain string is English; the service makes it {"en": …}
                .containsEntry("free", false)
                .doesNotContainKeys("type", "id", "state");
        assertThat((List<?>) l.values().get("speakers")).hasSize(1);
        assertThat(l.options().id()).isEqualTo(l.id());
    }

    @Test
    void stateDefaultsToDraftAndOtherWorkflowStatesAreTheModerationStateProperty() {
        assertThat(lines.parse(1, "{\"type\":\"resource\",\"title\":\"A\"}").line().values()).containsEntry("moderationState", "draft");
        assertThat(lines.parse(1, "{\"type\":\"comment\",\"moderationState\":\"in-review\"}").line().values())
                .containsEntry("moderationState", "in-review");
        assertThat(errors("{\"type\":\"resource\",\"state\":\"archived\"}"))
                .containsExactly(new FieldError("state", "option", "published, draft"));
        assertThat(errors("{\"type\":\"resource\",\"state\":\"draft\",\"moderationState\":\"draft\"}"))
                .containsExactly(new FieldError("state", "stateTwice"));
    }

    @Test
    void theLineFrameHasClearErrors() {
        assertThat(errors("{\"type\":\"event\",\"title\":\"x\"")).containsExactly(new FieldError("", "json", 28));
        assertThat(errors("{\"type\":\"event\",\"type\":\"event\"}").get(0).code()).isEqualTo("json");   // duplicate key
        assertThat(errors("{\"type\":\"event\"} {\"type\":\"event\"}").get(0).code()).isEqualTo("json"); // two objects
        assertThat(errors("[1,2]")).containsExactly(new FieldError("", "jsonObject"));
        assertThat(errors("\"text\"")).containsExactly(new FieldError("", "jsonObject"));
        String types = "caseStudy, comment, contribution, event, resource";
        assertThat(errors("{\"title\":\"x\"}")).containsExactly(new FieldError("type", "contentType", types));
        assertThat(errors("{\"type\":\"webinar\"}")).containsExactly(new FieldError("type", "contentType", types));
        assertThat(errors("{\"type\":42}")).containsExactly(new FieldError("type", "contentType", types));
        assertThat(errors("{\"type\":\"event\",\"id\":\"901F7A1B-20F9-458C-9172-3F92AD923F8F\"}")).containsExactly(new FieldError("id", "id"));
        assertThat(errors("{\"type\":\"event\",\"id\":\"42\"}")).containsExactly(new FieldError("id", "id"));
        assertThat(errors("{\"type\":\"event\",\"id\":42}")).containsExactly(new FieldError("id", "id"));
        assertThat(errors("{\"type\":\"event\",\"folder\":[\"a\"]}")).containsExactly(new FieldError("folder", "text"));
    }

    @Test
    void propertiesPassThroughForTheServiceToValidate() {
        // unknown properties and wrong value types are the content service's to report, with the API's codes
        ImportLine l = lines.parse(1, "{\"type\":\"event\",\"colour\":\"red\",\"allDay\":\"often\",\"price\":1.50,\"seats\":12}").line();
        assertThat(l.values()).containsEntry("colour", "red").containsEntry("allDay", "often")
                .containsEntry("price", new BigDecimal("1.50")).containsEntry("seats", 12L);
    }

    @Test
    void aLineWithoutIdGetsOneFromItsContentIgnoringKeyOrderAndSpacing() {
        ImportLine a = lines.parse(1, "{\"type\":\"resource\",\"title\":{\"en\":\"A\",\"cy\":\"B\"},\"kind\":\"report\"}").line();
        ImportLine b = lines.parse(9, "{ \"kind\" : \"report\", \"title\": {\"cy\":\"B\",\"en\":\"A\"}, \"type\":\"resource\" }").line();
        ImportLine c = lines.parse(1, "{\"type\":\"resource\",\"title\":{\"en\":\"A\",\"cy\":\"B\"},\"kind\":\"film\"}").line();
        ImportLine d = lines.parse(1, "{\"type\":\"resource\",\"title\":{\"en\":\"A\",\"cy\":\"B\"},\"kind\":\"report\",\"state\":\"published\"}").line();
        assertThat(a.idGiven()).isFalse();
        assertThat(a.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}").isEqualTo(b.id());
        assertThat(c.id()).isNotEqualTo(a.id());
        assertThat(d.id()).isNotEqualTo(a.id());
    }

    @Test
    void writesWhatItReads() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("title", Map.of("en", "Webinar", "cy", "Gweminar"));
        values.put("startDate", OffsetDateTime.parse("2025-03-12T10:00Z"));
        values.put("status", "scheduled");
        values.put("speakers", List.of(Map.of("name", "Siân", "role", "presenter")));
        values.put("free", true);
        values.put("languages", List.of("en", "cy"));
        values.put("moderationState", "published");
        Item item = new Item("event", "901f7a1b-20f9-458c-9172-3f92ad923f8f", "/events/2025/03/webinar", "webinar", 3,
                null, null, null, null, values);
        String text = lines.write(item);
        assertThat(text).startsWith("{\"type\":\"event\",\"id\":\"901f7a1b-20f9-458c-9172-3f92ad923f8f\",\"state\":\"published\","
                + "\"folder\":\"2025/03\",\"name\":\"webinar\",\"title\":{")
                .contains("\"startDate\":\"2025-03-12T10:00:00Z\"").doesNotContain("moderationState").doesNotContain("\n");
        ImportLine back = lines.parse(1, text).line();
        assertThat(back.id()).isEqualTo(item.id());
        assertThat(back.folder()).isEqualTo("2025/03");
        assertThat(back.name()).isEqualTo("webinar");
        assertThat(back.values()).containsEntry("moderationState", "published").containsEntry("startDate", "2025-03-12T10:00:00Z")
                .containsEntry("speakers", List.of(Map.of("name", "Siân", "role", "presenter")));

        Map<String, Object> submitted = new LinkedHashMap<>(values);
        submitted.put("moderationState", "in-review");
        String other = lines.write(new Item("event", item.id(), "/events/webinar", "webinar", 1, null, null, null, null, submitted));
        assertThat(other).doesNotContain("\"state\"").doesNotContain("folder").contains("\"moderationState\":\"in-review\"");
        assertThat(lines.parse(1, other).line().values()).containsEntry("moderationState", "in-review");
    }

    @Test
    void exportOrderPutsReferencedTypesFirst() {
        List<String> all = lines.exportOrder(List.of()).stream().map(ContentType::name).toList();
        assertThat(all).containsExactlyInAnyOrder("caseStudy", "comment", "contribution", "event", "resource");
        assertThat(all.indexOf("resource")).isLessThan(all.indexOf("caseStudy"));   // caseStudy.relatedResources
        assertThat(lines.exportOrder(List.of("event")).stream().map(ContentType::name)).containsExactly("event");
    }

    @Test
    void lineReaderBoundsLinesAndHandlesCrLfBomAndALastLineWithoutBreak() throws IOException {
        String input = "\uFEFFone\r\ntwo\n" + "x".repeat(50) + "\n\nlast";
        LineReader r = new LineReader(new StringReader(input), 10);
        List<String> got = new ArrayList<>();
        List<Boolean> tooLong = new ArrayList<>();
        for (String s; (s = r.readLine()) != null; ) {
            got.add(s);
            tooLong.add(r.tooLong());
        }
        assertThat(got).containsExactly("one", "two", "", "", "last");
        assertThat(tooLong).containsExactly(false, false, true, false, false);
        // a line longer than the reader's buffer is read whole
        String big = "y".repeat(200_000);
        LineReader r2 = new LineReader(new StringReader(big + "\n" + big), 300_000);
        assertThat(r2.readLine()).isEqualTo(big);
        assertThat(r2.readLine()).isEqualTo(big);
        assertThat(r2.readLine()).isNull();
    }
}
