package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contribution form without JavaScript (docs/pages.md, docs/contributions.md): {@code POST /contributions} takes
 * an HTML form ({@code application/x-www-form-urlencoded}); a browser asking for HTML gets 303 to a page, anyone else
 * the JSON answers of the API, unchanged.
 */
class IntakeFormPostTest {
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000",
            "--intake-min-fill-seconds", "0", "--intake-secret", IntakeClient.SECRET);

    static String form(String... pairs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return String.join("&", out);
    }

    static String valid(String email, String title) throws Exception {
        String token = new IntakeClient(server.port()).formToken();
        return form("formToken", token, "category", "policy-report", "title", title,
                "description", "A response to the consultation on school moves.", "links", "https://www.example.org/a",
                "links", "", "contributorName", "Rhian Jones", "contributorEmail", email, "contributorRole", "",
                "organisation", "", "preferredLanguage", "cy", "consentToPublish", "true", "website", "");
    }

    static HttpResponse<String> post(String query, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/contributions" + query)))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.http().send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Test
    void aBrowsersFormPostIsStoredAndAnswered303ToTheSubmittedPageInTheFormsLanguage() throws Exception {
        HttpResponse<String> r = post("?lang=cy", valid("rhian@example.org", "Ymateb i’r ymgynghoriad " + Instant.now()), "Accept", BROWSER);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/cy/submitted\\?ref=EX-[A-Z0-9]+&token=s1\\.[^&]+");
        String token = java.net.URLDecoder.decode(location.substring(location.indexOf("token=") + 6), StandardCharsets.UTF_8);
        // what was stored, by the status token: the form's fields with their types
        JsonNode data = server.json(server.get("/submissions/" + token + "/data"));
        JsonNode content = data.path("content").isMissingNode() ? data : data.path("content");
        assertThat(data.toString()).contains("\"consentToPublish\":true").contains("\"links\":[\"https://www.example.org/a\"]")
                .contains("\"preferredLanguage\":\"cy\"").contains("\"category\":\"policy-report\"").doesNotContain("\"organisation\":\"\"");
        assertThat(content).isNotNull();
        assertThat(server.json(server.get("/submissions/" + token)).get("status").asText()).isEqualTo("received");
        // the submitted page shows the reference and links to the status page
        assertThat(server.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + location)).build()).body())
                .contains(location.substring(location.indexOf("ref=") + 4, location.indexOf('&')));
    }

    @Test
    void fieldErrorsGoBackToTheFormNamingTheFieldsAndOtherProblemsByKind() throws Exception {
        String token = new IntakeClient(server.port()).formToken();
        HttpResponse<String> r = post("?lang=cy", form("formToken", token, "category", "policy-report", "title", "",
                "description", "x", "contributorName", "Rhian", "contributorEmail", "not-an-email", "preferredLanguage", "cy",
                "website", ""), "Accept", BROWSER);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/cy/contribute?errors=contributorEmail%2Ctitle%2CconsentToPublish");
        // the page the browser then shows ties each error to its field
        String page = server.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port()
                + "/cy/contribute?errors=contributorEmail%2Ctitle%2CconsentToPublish")).build()).body();
        assertThat(page).contains("id=\"error-summary\"").contains("<a href=\"#title\">")
                .contains("aria-describedby=\"title-hint title-error\" aria-invalid=\"true\"").contains("id=\"contributorEmail-error\"");

        // the same contribution twice: the second is a duplicate
        String body = valid("dup@example.org", "Twice " + Instant.now());
        assertThat(post("", body, "Accept", BROWSER).statusCode()).isEqualTo(303);
        HttpResponse<String> dup = post("", body, "Accept", BROWSER);
        assertThat(dup.headers().firstValue("Location")).hasValue("/cy/contribute?problem=duplicate"); // the form chose Welsh (the page's form names ?lang= itself)
        // a repeated single field cannot be read (so neither can its language: the request's, English here)
        HttpResponse<String> repeated = post("", body + "&title=again", "Accept", BROWSER);
        assertThat(repeated.headers().firstValue("Location")).hasValue("/contribute?problem=other");
    }

    @Test
    void withoutAskingForHtmlTheAnswersAreTheApisJson() throws Exception {
        HttpResponse<String> r = post("", valid("json@example.org", "Plain " + Instant.now()), "Accept", "application/json");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(IntakeClient.json(r).get("reference").asText()).startsWith("EX-");
        HttpResponse<String> bad = post("", form("title", "x"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(IntakeClient.json(bad).get("type").asText()).endsWith("/validation");
        HttpResponse<String> repeated = post("", form("title", "x", "title", "y"));
        assertThat(repeated.statusCode()).isEqualTo(400);
        assertThat(IntakeClient.json(repeated).get("type").asText()).endsWith("/badRequest");
        // comments and reports stay JSON only
        HttpResponse<String> comment = server.send(HttpRequest.newBuilder(URI.create(server.url("/comments")))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("body=x")).build());
        assertThat(comment.statusCode()).isEqualTo(415);
        HttpResponse<String> report = server.send(HttpRequest.newBuilder(URI.create(server.url("/comments/" + IntakeClient.EVENT + "/reports")))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("reason=x")).build());
        assertThat(report.statusCode()).isEqualTo(415);
    }

    @Test
    void aFormFromAnotherSiteIsRefused() throws Exception {
        HttpResponse<String> r = post("", valid("cross@example.org", "Cross " + Instant.now()), "Accept", BROWSER,
                "Origin", "https://evil.example");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(IntakeClient.json(r).get("type").asText()).endsWith("/crossOrigin");
        HttpResponse<String> same = post("", valid("same@example.org", "Same " + Instant.now()), "Accept", BROWSER,
                "Origin", "http://localhost:" + server.port());
        assertThat(same.statusCode()).isEqualTo(303);
        // a browser says where a form comes from in Sec-Fetch-Site, also when its Origin is "null" (no-referrer pages)
        assertThat(post("", valid("site@example.org", "Site " + Instant.now()), "Accept", BROWSER, "Origin", "null",
                "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
        assertThat(post("", valid("site2@example.org", "Site2 " + Instant.now()), "Accept", BROWSER, "Origin", "null",
                "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(303);
    }
}
