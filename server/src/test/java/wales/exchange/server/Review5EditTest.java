package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review 5 of h4-edit: defects of {@code PATCH /moderation/items/{id}} found by reading the code. Each test fails on
 * 58dee69.
 */
class Review5EditTest {
    @RegisterExtension
    static final ExchangeServerExtension server = ModerationEditApiTest.server;

    /**
     * D3: a plain string for an i18n property replaces the whole value ({@code Values.convert} turns it into
     * {@code {"en": …}}), so an editor who "fixes the English title" with {@code {"title": "…"}} silently deletes the
     * Welsh title, with 200 and an audit entry naming only {@code title}. docs/moderation.md promises the opposite
     * ("only what is sent changes"). Expected: the Welsh kept (merged as English), or a 422; never silently removed.
     */
    @Test
    void aPlainStringForAnI18nFieldDoesNotDeleteTheWelsh() throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", Map.of("en", "A report", "cy", "Adroddiad"));
        v.put("kind", "report");
        v.put("moderationState", "draft");
        String id = server.withSession((s, content) -> content.create(s, "resource", v, ModerationEditApiTest.M2).id());
        HttpResponse<String> r = ModerationEditApiTest.edit(ModerationEditApiTest.ED, id, ModerationEditApiTest.etag(id),
                "{\"title\":\"A report, corrected\"}");
        JsonNode title = ModerationEditApiTest.item(id).get("values").get("title");
        assertThat(title.path("cy").asText(null)).as("status %s, title after the edit: %s", r.statusCode(), title)
                .isEqualTo("Adroddiad");
    }

    /**
     * D4: a comment's {@code target} (what the commenter commented on: a published item's id or a board) is editable,
     * and the edit is checked only by the model (a string of at most 200 characters), not as the intake checks it
     * ({@code exchange.error.target}). An editor can move a reader's comment to another item, to a draft's id or to
     * nothing at all, and it is published there. Expected: 422 (target not editable, or not a valid target).
     */
    @Test
    void aCommentCannotBeMovedToSomethingThatIsNotATarget() throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("target", "home");
        v.put("displayName", "Ann");
        v.put("body", "Thank you for this.");
        v.put("language", "en");
        v.put("moderationState", "in-review");
        String id = server.withSession((s, content) -> content.create(s, "comment", v, null).id());
        HttpResponse<String> r = ModerationEditApiTest.edit(ModerationEditApiTest.ED, id, ModerationEditApiTest.etag(id),
                "{\"target\":\"not-an-item-or-a-board\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(ModerationEditApiTest.item(id).get("values").get("target").asText()).isEqualTo("home");
    }
}
