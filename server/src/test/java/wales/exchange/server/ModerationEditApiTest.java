package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.moderation.Role;
import wales.exchange.moderation.UserStore;

/**
 * Editing an item's content through the moderation API ({@code PATCH /moderation/items/{id}}, docs/moderation.md) on
 * the real server: the edit with If-Match, field errors in English and Welsh, a stale If-Match (409, nothing lost), a
 * missing one (428), roles (401, 403), states where editing is refused, personal data that cannot be edited, the
 * audit entry, and four-eyes after an edit.
 */
class ModerationEditApiTest {
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000");
    static final String M1 = "moderator1";
    static final String M2 = "moderator2";
    static final String ED = "editor";
    static final String CONTRIBUTOR = "reader1";
    static final String CONTRIBUTOR_PASSWORD = "a contributor's password";

    static String auth(String user) {
        String password = user.equals(CONTRIBUTOR) ? CONTRIBUTOR_PASSWORD : server.server().demoUsers().get(user);
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> send(String method, String path, String user, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/moderation" + path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", auth(user));
        }
        if (body != null && !List.of(headers).contains("Content-Type")) {
            b.header("Content-Type", "application/merge-patch+json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.send(b.build());
    }

    static JsonNode item(String id) throws Exception {
        HttpResponse<String> r = send("GET", "/items/" + id, M1, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return server.json(r);
    }

    static String etag(String id) throws Exception {
        HttpResponse<String> r = send("GET", "/items/" + id, M1, null);
        return r.headers().firstValue("ETag").orElseThrow();
    }

    static HttpResponse<String> edit(String user, String id, String ifMatch, String body, String... headers) throws Exception {
        List<String> h = new ArrayList<>(List.of(headers));
        if (ifMatch != null) {
            h.add("If-Match");
            h.add(ifMatch);
        }
        return send("PATCH", "/items/" + id, user, body, h.toArray(new String[0]));
    }

    static HttpResponse<String> move(String user, String id, String to) throws Exception {
        return send("POST", "/items/" + id + "/transitions", user, "{\"to\":\"" + to + "\",\"revision\":" + item(id).get("revision").asLong() + "}",
                "Content-Type", "application/json");
    }

    static String resource(String by, String state) throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", Map.of("en", "A report in English only"));
        v.put("kind", "report");
        v.put("moderationState", state);
        return server.withSession((s, content) -> content.create(s, "resource", v, by).id());
    }

    static void assertProblem(HttpResponse<String> r, int status, String kind) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(server.json(r).get("type").asText()).endsWith("/" + kind);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    static final String WELSH = "{\"title\":{\"cy\":\"Adroddiad yn Gymraeg\"},\"summary\":{\"en\":\"What it found.\",\"cy\":\"Beth a ganfu.\"}}";

    @Test
    void anEditorWritesTheWelshWithIfMatchAndTheItemAnswersWithItsNewETag() throws Exception {
        String id = resource(M2, "draft");
        HttpResponse<String> got = send("GET", "/items/" + id, ED, null);
        String etag = got.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).isEqualTo("\"" + server.json(got).get("revision").asLong() + "\"");
        assertThat(server.json(got).get("editableFields").toString()).contains("\"name\":\"title\"").doesNotContain("moderationState")
                .doesNotContain("sourceContribution");

        HttpResponse<String> r = edit(ED, id, etag, WELSH);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode d = server.json(r);
        assertThat(d.get("values").get("title").get("en").asText()).as("the English kept").isEqualTo("A report in English only");
        assertThat(d.get("values").get("title").get("cy").asText()).isEqualTo("Adroddiad yn Gymraeg");
        assertThat(d.get("values").get("summary").get("cy").asText()).isEqualTo("Beth a ganfu.");
        assertThat(d.get("values").get("kind").asText()).isEqualTo("report");
        assertThat(d.get("state").asText()).as("an edit is not a transition").isEqualTo("draft");
        assertThat(d.get("missingWelsh")).isEmpty();
        assertThat(r.headers().firstValue("ETag")).contains("\"" + d.get("revision").asLong() + "\"");
        assertThat(r.headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");

        // application/json is taken too; rich text is sanitised as on every write
        HttpResponse<String> body = edit(ED, id, r.headers().firstValue("ETag").orElseThrow(),
                "{\"body\":{\"en\":\"<p>Read <a href=\\\"https://example.org\\\">this</a></p><script>alert(1)</script>\"}}",
                "Content-Type", "application/json");
        assertThat(body.statusCode()).as(body.body()).isEqualTo(200);
        assertThat(server.json(body).get("values").get("body").get("en").asText()).contains("<p>Read").doesNotContain("script");
    }

    @Test
    void everyEditIsInTheHistoryWithWhoWhenAndWhichFields() throws Exception {
        String id = resource(M2, "draft");
        assertThat(edit(M1, id, etag(id), WELSH).statusCode()).isEqualTo(200);
        JsonNode history = server.json(send("GET", "/items/" + id + "/history", ED, null)).get("history");
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.get("action").asText()).isEqualTo("edit");
        assertThat(last.get("actor").asText()).isEqualTo(M1);
        assertThat(last.get("at").asText()).isNotEmpty();
        List<String> fields = new ArrayList<>();
        last.get("fields").forEach(f -> fields.add(f.asText()));
        assertThat(fields).containsExactly("title.cy", "summary.en", "summary.cy");
        // a refused edit writes nothing, not even to the history
        assertProblem(edit(M1, id, etag(id), "{\"link\":\"not a link\"}"), 422, "validation");
        assertThat(server.json(send("GET", "/items/" + id + "/history", ED, null)).get("history")).hasSize(history.size());
    }

    @Test
    void fieldErrorsAre422InTheRequestsLanguageAndNothingIsWritten() throws Exception {
        String id = resource(M2, "draft");
        long before = item(id).get("revision").asLong();
        String bad = "{\"title\":{\"cy\":\"" + "x".repeat(301) + "\"},\"kind\":\"poem\",\"link\":\"not a link\"}";
        HttpResponse<String> en = edit(ED, id, etag(id), bad);
        assertProblem(en, 422, "validation");
        Map<String, String> errors = new LinkedHashMap<>();
        server.json(en).get("errors").forEach(e -> errors.put(e.get("field").asText(), e.get("message").asText()));
        assertThat(errors).containsKeys("title.cy", "kind", "link");
        assertThat(errors.get("link")).isEqualTo("Give a web address starting with http:// or https://.");
        HttpResponse<String> cy = edit(ED, id, etag(id), bad, "Accept-Language", "cy");
        assertProblem(cy, 422, "validation");
        assertThat(cy.headers().firstValue("Content-Language")).contains("cy");
        assertThat(server.json(cy).get("title").asText()).isNotEqualTo(server.json(en).get("title").asText());
        Map<String, String> welsh = new LinkedHashMap<>();
        server.json(cy).get("errors").forEach(e -> welsh.put(e.get("field").asText(), e.get("message").asText()));
        assertThat(welsh.keySet()).isEqualTo(errors.keySet());
        assertThat(welsh.get("link")).isNotEqualTo(errors.get("link")).isNotBlank();
        assertThat(item(id).get("revision").asLong()).as("nothing written").isEqualTo(before);

        // the state, personal data and the private link to a source are not edited here; unknown fields are named
        HttpResponse<String> notHere = edit(ED, id, etag(id), "{\"moderationState\":\"published\",\"sourceContribution\":null,\"colour\":\"red\",\"history\":[]}");
        assertProblem(notHere, 422, "validation");
        Map<String, String> codes = new LinkedHashMap<>();
        server.json(notHere).get("errors").forEach(e -> codes.put(e.get("field").asText(), e.get("code").asText()));
        assertThat(codes).containsEntry("moderationState", "notEditable").containsEntry("sourceContribution", "notEditable")
                .containsEntry("colour", "unknownField").containsEntry("history", "unknownField");
        assertThat(item(id).get("state").asText()).isEqualTo("draft");
        // an empty or malformed body is a 400
        assertProblem(edit(ED, id, etag(id), "{}"), 400, "invalidBody");
        assertProblem(edit(ED, id, etag(id), "[1]"), 400, "invalidBody");
        assertProblem(edit(ED, id, etag(id), "{\"kind\":\"report\",\"kind\":\"film\"}"), 400, "invalidBody");
    }

    @Test
    void aContributionsPersonalDataIsNotEditableAndItsTextIsCleanedAsOnIntake() throws Exception {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("category", "other");
        c.put("title", "A contribution");
        c.put("description", "About it");
        c.put("preferredLanguage", "en");
        c.put("consentToPublish", true);
        String id = server.withSession((s, content) -> content.create(s, "contribution", c, null).id());
        HttpResponse<String> personal = edit(M1, id, etag(id), "{\"contributorEmail\":\"other@example.org\",\"contributorName\":\"X\","
                + "\"organisation\":\"Y\",\"consentToPublish\":false}");
        assertProblem(personal, 422, "validation");
        List<String> fields = new ArrayList<>();
        server.json(personal).get("errors").forEach(e -> {
            fields.add(e.get("field").asText());
            assertThat(e.get("code").asText()).isEqualTo("notEditable");
        });
        assertThat(fields).containsExactlyInAnyOrder("contributorEmail", "contributorName", "organisation", "consentToPublish");
        JsonNode editable = item(id).get("editableFields");
        assertThat(editable.toString()).contains("\"name\":\"description\"").doesNotContain("contributorEmail").doesNotContain("organisation")
                .doesNotContain("consentToPublish").doesNotContain("attachment");

        HttpResponse<String> r = edit(M1, id, etag(id), "{\"title\":\"<b>Better</b> title\",\"description\":\"<p>Keep <em>this</em></p><img src=x onerror=alert(1)>\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode v = server.json(r).get("values");
        assertThat(v.get("title").asText()).isEqualTo("Better title");
        assertThat(v.get("description").asText()).contains("<em>this</em>").doesNotContain("img").doesNotContain("onerror");
    }

    @Test
    void aStaleIfMatchIs409AndNothingIsLost() throws Exception {
        String id = resource(M2, "draft");
        String seen = etag(id);
        assertThat(edit(ED, id, seen, "{\"summary\":{\"en\":\"First\"}}").statusCode()).isEqualTo(200);
        HttpResponse<String> stale = edit(M1, id, seen, "{\"summary\":{\"en\":\"Second\"}}");
        assertProblem(stale, 409, "conflict");
        assertThat(server.json(stale).get("detail").asText()).contains(Long.toString(item(id).get("revision").asLong()));
        assertThat(item(id).get("values").get("summary").get("en").asText()).as("the first edit is not lost").isEqualTo("First");
        assertProblem(edit(M1, id, "\"x\"", "{\"summary\":{\"en\":\"Second\"}}"), 409, "conflict");
        // a transition meanwhile makes an edit stale too
        String before = etag(id);
        assertThat(move(ED, id, "in-review").statusCode()).isEqualTo(200);
        assertProblem(edit(M1, id, before, "{\"summary\":{\"en\":\"Third\"}}"), 409, "conflict");
    }

    @Test
    void withoutIfMatchIs428AndAMalformedOneIs400() throws Exception {
        String id = resource(M2, "draft");
        HttpResponse<String> missing = edit(ED, id, null, WELSH);
        assertProblem(missing, 428, "preconditionRequired");
        assertThat(server.json(missing).get("errors").get(0).get("field").asText()).isEqualTo("If-Match");
        HttpResponse<String> missingCy = edit(ED, id, null, WELSH, "Accept-Language", "cy");
        assertThat(server.json(missingCy).get("errors").get(0).get("message").asText())
                .isNotEqualTo(server.json(missing).get("errors").get(0).get("message").asText());
        for (String bad : List.of("*", "W/\"1\"", "1", "\"1\", \"2\"", "\"1")) {
            assertProblem(edit(ED, id, bad, WELSH), 400, "badRequest");
        }
        assertThat(item(id).get("revision").asLong()).isEqualTo(1);
    }

    @Test
    void anonymousIs401AndARoleWithoutEditRightsIs403() throws Exception {
        String id = resource(M2, "draft");
        server.withSession((s, content) -> {
            server.injector().getInstance(UserStore.class).put(s, CONTRIBUTOR, CONTRIBUTOR_PASSWORD.toCharArray(), Set.of(Role.CONTRIBUTOR));
            return null;
        });
        HttpResponse<String> anonymous = edit(null, id, "\"1\"", WELSH);
        assertProblem(anonymous, 401, "unauthorized");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic realm=");
        HttpResponse<String> contributor = edit(CONTRIBUTOR, id, "\"1\"", WELSH);
        assertProblem(contributor, 403, "notPermitted");
        assertThat(contributor.body().replace(server.json(contributor).get("instance").asText(), "")).doesNotContain(id);
        assertThat(item(id).get("revision").asLong()).isEqualTo(1);
        // editors, moderators and administrators may
        assertThat(edit(ED, id, etag(id), "{\"summary\":{\"en\":\"By the editor\"}}").statusCode()).isEqualTo(200);
        assertThat(edit(M1, id, etag(id), "{\"summary\":{\"en\":\"By a moderator\"}}").statusCode()).isEqualTo(200);
    }

    @Test
    void editingIsRefusedOutsideDraftAndReview() throws Exception {
        String id = resource(M2, "draft");
        assertThat(edit(ED, id, etag(id), WELSH).statusCode()).isEqualTo(200);
        assertThat(move(ED, id, "in-review").statusCode()).isEqualTo(200);
        assertThat(edit(M2, id, etag(id), "{\"summary\":{\"en\":\"In review\"}}").statusCode()).as("in review: yes").isEqualTo(200);
        assertThat(move(M1, id, "approved").statusCode()).isEqualTo(200);
        HttpResponse<String> approved = edit(ED, id, etag(id), "{\"summary\":{\"en\":\"After approval\"}}");
        assertProblem(approved, 409, "notEditable");
        assertThat(server.json(approved).get("detail").asText()).isNotBlank();
        HttpResponse<String> cy = edit(ED, id, etag(id), "{\"summary\":{\"en\":\"After approval\"}}", "Accept-Language", "cy");
        assertThat(server.json(cy).get("title").asText()).isNotEqualTo(server.json(approved).get("title").asText());
        // review 5, D6: the advice names steps an approved item has (publish or withdraw, never "send back")
        assertThat(server.json(approved).get("detail").asText()).contains("withdraw it and rework it").doesNotContain("back first");
        assertThat(server.json(cy).get("detail").asText()).contains("tynnwch hi yn ôl").doesNotContain("yn ôl yn gyntaf");
        assertThat(item(id).get("editableFields")).as("nothing is offered").isEmpty();
        assertThat(move(M1, id, "published").statusCode()).isEqualTo(200);
        assertProblem(edit(M1, id, etag(id), "{\"summary\":{\"en\":\"Live\"}}"), 409, "notEditable");
        assertThat(server.json(server.get("/resources/" + id)).get("summary").asText()).isEqualTo("In review");
        assertProblem(edit(M1, "00000000-0000-4000-8000-000000000000", "\"1\"", WELSH), 404, "notFound");
    }

    @Test
    void whoEditedAnItemCannotApproveIt() throws Exception {
        String id = resource(ED, "draft");
        assertThat(edit(M1, id, etag(id), WELSH).statusCode()).isEqualTo(200);
        assertThat(move(ED, id, "in-review").statusCode()).isEqualTo(200);
        // moderator1 neither made nor submitted it, and a transition by someone else was the last write: still refused
        assertThat(item(id).get("lastModifiedBy").asText()).isEqualTo(ED);
        HttpResponse<String> own = move(M1, id, "approved");
        assertProblem(own, 403, "fourEyes");
        assertProblem(move(M1, id, "published"), 403, "fourEyes");
        HttpResponse<String> approved = move(M2, id, "approved");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    }

    /**
     * Review 5, D3: a plain string for an i18n field is its English only, merged ("only what is sent changes"): it
     * used to replace the whole value ({@code Values.convert} made it {@code {"en": …}}) and silently delete the Welsh.
     */
    @Test
    void aPlainStringForAnI18nFieldIsItsEnglishAndKeepsTheWelsh() throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", Map.of("en", "A report", "cy", "Adroddiad"));
        v.put("kind", "report");
        v.put("moderationState", "draft");
        String id = server.withSession((s, content) -> content.create(s, "resource", v, M2).id());
        HttpResponse<String> r = edit(ED, id, etag(id), "{\"title\":\"A report, corrected\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode title = item(id).get("values").get("title");
        assertThat(title.path("cy").asText(null)).as("title after the edit: %s", title).isEqualTo("Adroddiad");
        assertThat(title.path("en").asText(null)).isEqualTo("A report, corrected");
        JsonNode history = server.json(send("GET", "/items/" + id + "/history", ED, null)).get("history");
        List<String> fields = new ArrayList<>();
        history.get(history.size() - 1).get("fields").forEach(f -> fields.add(f.asText()));
        assertThat(fields).containsExactly("title.en");
    }

    /**
     * Review 5, D4: a comment's target (what the reader commented on) is not editable: it was, checked only as a
     * string, so an editor could move a reader's comment to another item, a draft's id or nothing at all.
     */
    @Test
    void aCommentsTargetIsNotEditable() throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("target", "home");
        v.put("displayName", "Ann");
        v.put("body", "Thank you for this.");
        v.put("language", "en");
        v.put("moderationState", "in-review");
        String id = server.withSession((s, content) -> content.create(s, "comment", v, null).id());
        HttpResponse<String> r = edit(ED, id, etag(id), "{\"target\":\"not-an-item-or-a-board\"}");
        assertProblem(r, 422, "validation");
        JsonNode error = server.json(r).get("errors").get(0);
        assertThat(error.get("field").asText()).isEqualTo("target");
        assertThat(error.get("code").asText()).isEqualTo("notEditable");
        assertThat(item(id).get("values").get("target").asText()).isEqualTo("home");
        // the comment's text stays editable
        assertThat(edit(ED, id, etag(id), "{\"body\":\"Thank you.\"}").statusCode()).isEqualTo(200);
    }
}
