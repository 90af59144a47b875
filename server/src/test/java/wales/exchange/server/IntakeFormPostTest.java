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
 * an HTML form ({@code application/x-www-form-urlencoded}, or {@code multipart/form-data} with the attachment's file);
 * a browser asking for HTML gets 303 to a page, anyone else the JSON answers of the API, unchanged. After field
 * errors the form comes back with what was typed, kept in memory under a single-use key (the clock is the test's).
 */
class IntakeFormPostTest {
    static final MutableClock CLOCK = new MutableClock();
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000",
            "--intake-min-fill-seconds", "0", "--intake-secret", IntakeClient.SECRET, "--intake-address-limit", "100000",
            "--intake-max-attachment-kb", "64").withClock(CLOCK);
    static final byte[] PDF = "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    /** A multipart/form-data body as a browser sends it: fields in order, then at most one file. */
    static final class Multipart {
        final String boundary = "----ExchangeFormBoundary" + java.util.UUID.randomUUID().toString().replace("-", "");
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        Multipart field(String name, String value) {
            part("Content-Disposition: form-data; name=\"" + name + "\"\r\n", value.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Multipart file(String name, String filename, String type, byte[] bytes) {
            part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\nContent-Type: " + type + "\r\n", bytes);
            return this;
        }

        /** Every field of a form string ({@link #form}), in its order. */
        Multipart fields(String urlEncoded) {
            for (String pair : urlEncoded.split("&")) {
                int eq = pair.indexOf('=');
                field(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return this;
        }

        private void part(String headers, byte[] body) {
            out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        byte[] body() {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.writeBytes(out.toByteArray());
            b.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            return b.toByteArray();
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }
    }

    static HttpResponse<String> post(String query, Multipart m, String... headers) throws Exception {
        return postBytes(query, m.contentType(), m.body(), headers);
    }

    static HttpResponse<String> postBytes(String query, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/contributions" + query)))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.http().send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A web page of the server (not under the API). */
    static String page(String location) throws Exception {
        return server.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + location)).build()).body();
    }

    /** Contributions and unclaimed uploads in the repository (walked: /intake is not in the search index). */
    static long[] stored() throws Exception {
        return server.withSession((s, content) -> new long[] {count(s, "/contributions", "exchange:contribution"), count(s, "/intake/uploads", null)});
    }

    /** Nodes under {@code path} of {@code type} (or, without one, with a {@code data} property). */
    static long count(javax.jcr.Session s, String path, String type) throws javax.jcr.RepositoryException {
        if (!s.nodeExists(path)) {
            return 0;
        }
        long n = 0;
        java.util.ArrayDeque<javax.jcr.Node> todo = new java.util.ArrayDeque<>(List.of(s.getNode(path)));
        while (!todo.isEmpty()) {
            javax.jcr.Node node = todo.pop();
            if (type != null ? node.isNodeType(type) : node.hasProperty("data")) {
                n++;
            }
            for (javax.jcr.NodeIterator it = node.getNodes(); it.hasNext(); ) {
                todo.push(it.nextNode());
            }
        }
        return n;
    }

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
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("/cy/contribute?errors=contributorEmail%2Ctitle%2CconsentToPublish&form=");
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

    @Test
    void aMultipartFormWithAFileIsStoredWithTheFileAsItsAttachment() throws Exception {
        HttpResponse<String> r = post("?lang=cy", new Multipart().fields(valid("file@example.org", "With a file " + Instant.now()))
                .file("attachment", "ymateb.pdf", "application/pdf", PDF), "Accept", BROWSER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/cy/submitted\\?ref=EX-[A-Z0-9]+&token=s1\\.[^&]+");
        String token = java.net.URLDecoder.decode(location.substring(location.indexOf("token=") + 6), StandardCharsets.UTF_8);
        JsonNode data = server.json(server.get("/submissions/" + token + "/data"));
        assertThat(data.at("/attachment/mimeType").asText()).as(data.toString()).isEqualTo("application/pdf");
        assertThat(data.at("/attachment/size").asLong()).isEqualTo(PDF.length);
        assertThat(data.toString()).contains("\"consentToPublish\":true").contains("\"links\":[\"https://www.example.org/a\"]");
        // the bytes themselves, under the item as an upload claimed by it, and no unclaimed upload left behind
        String id = server.injector().getInstance(wales.exchange.intake.IntakeTokens.class).itemId(token).orElseThrow();
        byte[] saved = server.withSession((s, content) -> s.getNodeByIdentifier(id).getNode("attachmentFile").getProperty("data")
                .getBinary().getStream().readAllBytes());
        assertThat(saved).isEqualTo(PDF);
        assertThat(stored()[1]).isZero();

        // the API's JSON answer for a client that does not ask for HTML; an empty file input is no file
        HttpResponse<String> json = post("", new Multipart().fields(valid("file2@example.org", "No file " + Instant.now()))
                .file("attachment", "", "application/octet-stream", new byte[0]), "Accept", "application/json");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(202);
        JsonNode noFile = server.json(server.get("/submissions/" + IntakeClient.json(json).get("token").asText() + "/data"));
        assertThat(noFile.has("attachment")).as(noFile.toString()).isFalse();
        // a text file, declared and sniffed as such
        HttpResponse<String> text = post("", new Multipart().fields(valid("file3@example.org", "Text " + Instant.now()))
                .file("attachment", "notes.txt", "text/plain", "Nodiadau’r cyfarfod\n".getBytes(StandardCharsets.UTF_8)), "Accept", "application/json");
        assertThat(text.statusCode()).as(text.body()).isEqualTo(202);
    }

    @Test
    void aFileOfAWrongTypeOrTooLargeIsAFieldErrorOnAttachmentInEnglishAndWelsh() throws Exception {
        byte[] exe = {'M', 'Z', 0, 0, 1, 2, 3};
        HttpResponse<String> en = post("?lang=en", new Multipart().fields(valid("type@example.org", "Wrong type " + Instant.now()))
                .file("attachment", "report.pdf", "application/pdf", exe));
        assertThat(en.statusCode()).as(en.body()).isEqualTo(400);
        JsonNode error = IntakeClient.json(en).get("errors").get(0);
        assertThat(error.get("field").asText()).isEqualTo("attachment");
        assertThat(error.get("code").asText()).isEqualTo("attachment.type");
        assertThat(error.get("message").asText()).startsWith("Attach a PDF");
        HttpResponse<String> cy = post("?lang=cy", new Multipart().fields(valid("type@example.org", "Wrong type " + Instant.now()))
                .file("attachment", "run.exe", "application/x-msdownload", PDF));
        assertThat(IntakeClient.json(cy).get("errors").get(0).get("message").asText()).startsWith("Atodwch ffeil PDF");
        HttpResponse<String> large = post("?lang=cy", new Multipart().fields(valid("large@example.org", "Too large " + Instant.now()))
                .file("attachment", "notes.txt", "text/plain", "a".repeat(65 * 1024).getBytes(StandardCharsets.US_ASCII)));
        assertThat(large.statusCode()).isEqualTo(400);
        JsonNode tooLarge = IntakeClient.json(large).get("errors").get(0);
        assertThat(tooLarge.get("code").asText()).isEqualTo("attachment.size");
        assertThat(tooLarge.get("message").asText()).isEqualTo("Mae’r ffeil yn fwy na’r 64 KiB a dderbynnir.");

        // in a browser: back to the form with the error on the file, in the page's language, what was typed kept
        HttpResponse<String> page = post("?lang=cy", new Multipart().fields(valid("large2@example.org", "Rhy fawr " + Instant.now()))
                .file("attachment", "notes.txt", "text/plain", "a".repeat(65 * 1024).getBytes(StandardCharsets.US_ASCII)), "Accept", BROWSER);
        String location = page.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/cy/contribute\\?errors=attachment&form=[A-Za-z0-9_-]{22}");
        assertThat(page(location)).contains("<p class=\"error\" id=\"attachment-error\">Mae’r ffeil yn rhy fawr: dewiswch un o 64 KB ar y mwyaf.</p>")
                .contains("aria-describedby=\"attachment-hint attachment-error\" aria-invalid=\"true\"").contains("value=\"Rhy fawr ");
        HttpResponse<String> wrong = post("?lang=en", new Multipart().fields(valid("type2@example.org", "Wrong " + Instant.now()))
                .file("attachment", "report.pdf", "application/pdf", exe), "Accept", BROWSER);
        assertThat(page(wrong.headers().firstValue("Location").orElseThrow())).contains("<p class=\"error\" id=\"attachment-error\">"
                + "This kind of file cannot be taken: choose a PDF, PNG, JPEG, Word (.docx), OpenDocument text or plain text file.</p>");

        // a file far beyond the cap: the body is read up to its cap only, and it is still the file's error, with the fields
        HttpResponse<String> huge = post("?lang=en", new Multipart().fields(valid("huge@example.org", "Huge " + Instant.now()))
                .file("attachment", "big.pdf", "application/pdf", new byte[400 * 1024]), "Accept", BROWSER);
        String hugeLocation = huge.headers().firstValue("Location").orElseThrow();
        assertThat(hugeLocation).matches("/contribute\\?errors=attachment&form=.*");
        assertThat(page(hugeLocation)).contains("The file is too large: choose one of at most 64 KB.").contains("value=\"Huge ");
    }

    @Test
    void aMultipartBodyIsBoundedOneFileAtMostAndNothingHalfIsStored() throws Exception {
        long[] before = stored();
        // two files
        Multipart two = new Multipart().fields(valid("two@example.org", "Two files " + Instant.now()))
                .file("attachment", "a.pdf", "application/pdf", PDF).file("attachment", "b.pdf", "application/pdf", PDF);
        HttpResponse<String> r = post("", two);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(IntakeClient.json(r).get("type").asText()).endsWith("/badRequest");
        assertThat(IntakeClient.json(r).get("detail").asText()).isEqualTo("Send at most one file, in the field attachment.");
        // a file under another name, a text field too large for the form's cap, no boundary, a body cut short
        assertThat(post("", new Multipart().fields(valid("other@example.org", "Other " + Instant.now()))
                .file("picture", "a.pdf", "application/pdf", PDF)).statusCode()).isEqualTo(400);
        assertThat(post("", new Multipart().field("description", "x".repeat(70 * 1024))).statusCode()).isEqualTo(413);
        assertThat(postBytes("", "multipart/form-data", "--x\r\n".getBytes()).statusCode()).isEqualTo(400);
        Multipart cut = new Multipart().fields(valid("cut@example.org", "Cut " + Instant.now()));
        byte[] whole = cut.body();
        assertThat(postBytes("", cut.contentType(), java.util.Arrays.copyOf(whole, whole.length - 20)).statusCode()).isEqualTo(400);
        // a valid file with a field error: neither the contribution nor the file is stored
        HttpResponse<String> invalid = post("", new Multipart().fields(form("formToken", new IntakeClient(server.port()).formToken(),
                "title", "No email")).file("attachment", "a.pdf", "application/pdf", PDF));
        assertThat(invalid.statusCode()).isEqualTo(400);
        // a form from another site, multipart or not
        assertThat(post("", new Multipart().fields(valid("x@example.org", "X " + Instant.now())), "Origin", "https://evil.example")
                .statusCode()).isEqualTo(403);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void anErrorBringsTheFormBackWithWhatWasTypedEscapedOnceAndNothingPersonalInTheAddress() throws Exception {
        String title = "<script>alert(\"x\")</script> & 'quoted'";
        String description = "\nFirst line \"quoted\"\n</textarea><b>bold</b>";
        String name = "Rhian \"Rhi\" O'Neil";
        String email = "rhian.oneil<at>example.org";
        String body = form("formToken", new IntakeClient(server.port()).formToken(), "category", "training-material", "title", title,
                "description", description, "links", "https://www.example.org/\"><x>", "contributorName", name, "contributorEmail", email,
                "contributorRole", "teacher", "organisation", "Cyngor & Co", "preferredLanguage", "en", "consentToContact", "true",
                "website", "honeypot-value");
        HttpResponse<String> r = post("?lang=cy", body, "Accept", BROWSER);
        assertThat(r.statusCode()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/cy/contribute\\?errors=[A-Za-z%2C]+&form=[A-Za-z0-9_-]{22}");
        for (String personal : List.of("Rhian", "rhian", "oneil", "example.org", "Cyngor", "script", "First", "teacher", "training")) {
            assertThat(location).as("nothing typed in the address").doesNotContain(personal);
        }
        String page = page(location);
        assertThat(page).contains("id=\"title\" name=\"title\" maxlength=\"300\" required value=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;\"")
                .contains(">\n\nFirst line &quot;quoted&quot;\n&lt;/textarea&gt;&lt;b&gt;bold&lt;/b&gt;</textarea>")
                .contains("value=\"https://www.example.org/&quot;&gt;&lt;x&gt;\"")
                .contains("value=\"Rhian &quot;Rhi&quot; O&#39;Neil\"").contains("value=\"rhian.oneil&lt;at&gt;example.org\"")
                .contains("value=\"Cyngor &amp; Co\"")
                .contains("value=\"training-material\" checked>").contains("<option value=\"teacher\" selected>")
                .contains("id=\"preferredLanguage-en\" name=\"preferredLanguage\" value=\"en\" checked>")
                .contains("name=\"consentToContact\" value=\"true\" checked>")
                .contains("id=\"contributorEmail-error\"").contains("id=\"consentToPublish-error\"")
                .doesNotContain("<script>alert").doesNotContain("honeypot-value");
        assertThat(page).doesNotContain("value=\"cy\" checked>").doesNotContain("name=\"consentToPublish\" value=\"true\" checked");
        // once only: the same address again shows the errors and an empty form
        String again = page(location);
        assertThat(again).contains("id=\"contributorEmail-error\"").doesNotContain("O&#39;Neil").doesNotContain("training-material\" checked")
                .contains("value=\"cy\" checked>");
        // at most 15 minutes
        HttpResponse<String> later = post("", body, "Accept", BROWSER);
        CLOCK.advance(java.time.Duration.ofMinutes(16));
        assertThat(page(later.headers().firstValue("Location").orElseThrow())).contains("id=\"contributorEmail-error\"").doesNotContain("O&#39;Neil");
        HttpResponse<String> fresh = post("", body, "Accept", BROWSER);
        CLOCK.advance(java.time.Duration.ofMinutes(14));
        assertThat(page(fresh.headers().firstValue("Location").orElseThrow())).contains("value=\"Rhian &quot;Rhi&quot; O&#39;Neil\"");
        // the same from the form as the page sends it (multipart), and no key for a client that does not ask for HTML
        HttpResponse<String> multipart = post("", new Multipart().fields(body).file("attachment", "", "application/octet-stream", new byte[0]),
                "Accept", BROWSER);
        assertThat(page(multipart.headers().firstValue("Location").orElseThrow())).contains("value=\"Cyngor &amp; Co\"");
        assertThat(post("", body).headers().firstValue("Location")).isEmpty();
    }
}
