package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;

/**
 * The web pages as HTTP (docs/pages.md): what is served at {@code /} and {@code /cy/}, types, caching, gzip, 404 pages
 * in the right language, no listing, no way out of the web resources. Raw sockets, so that the targets go out as
 * written (an HTTP client would normalise {@code ..} and encodings away).
 */
class WebPagesTest {
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit=1000000");
    static final Messages MESSAGES = new Messages();
    static final List<String> PAGES = List.of("/", "/events", "/library", "/contribute", "/submitted", "/status",
            "/library/af2ce5a9-14a9-424f-88d8-cd70f13f12e0", "/moderation");

    static RawHttp.Answer get(String target, String... headerLines) throws Exception {
        StringBuilder r = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headerLines) {
            r.append(h).append("\r\n");
        }
        return server.raw(r.toString());
    }

    static String htmlLang(String html) {
        Matcher m = Pattern.compile("<html lang=\"([a-z]+)\">").matcher(html);
        assertThat(m.find()).as("an <html lang> in\n" + html.substring(0, Math.min(300, html.length()))).isTrue();
        return m.group(1);
    }

    @Test
    void everyPageIsServedInEnglishAtTheRootAndInWelshUnderCy() throws Exception {
        for (String page : PAGES) {
            RawHttp.Answer en = get(page);
            RawHttp.Answer cy = get(page.equals("/") ? "/cy/" : "/cy" + page);
            assertThat(en.status()).as(page).isEqualTo(200);
            assertThat(cy.status()).as("/cy" + page).isEqualTo(200);
            assertThat(en.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
            assertThat(en.header("Content-Language")).isEqualTo("en");
            assertThat(cy.header("Content-Language")).isEqualTo("cy");
            assertThat(htmlLang(en.body())).isEqualTo("en");
            assertThat(htmlLang(cy.body())).isEqualTo("cy");
            // the shell's strings come from the bundles, in the page's language
            assertThat(en.body()).contains(">" + MESSAGES.get(Lang.EN, "exchange.page.nav.library") + "<");
            assertThat(cy.body()).contains(">" + MESSAGES.get(Lang.CY, "exchange.page.nav.library") + "<")
                    .doesNotContain(">" + MESSAGES.get(Lang.EN, "exchange.page.nav.library") + "<");
            assertThat(en.body() + cy.body()).as("every placeholder filled").doesNotContain("{{");
            // no request leaves the server: no absolute URL in a src or stylesheet href
            assertThat(en.body()).doesNotContainPattern("(src|href)=\"(https?:)?//");
            assertThat(en.header("Content-Security-Policy")).startsWith("default-src 'self'");
        }
        // /cy without the slash goes to the Welsh home page
        RawHttp.Answer bare = get("/cy");
        assertThat(bare.status()).isEqualTo(301);
        assertThat(bare.header("Location")).isEqualTo("/cy/");
    }

    @Test
    void everyStringTheScriptsNameIsInThePagesStringsInBothLanguages() throws Exception {
        // a name missing from the page's strings shows as the name itself ("filters"), in English on a Welsh page
        Pattern named = Pattern.compile("\\bt\\('([A-Za-z.\\-]+[A-Za-z])'[,)]|S\\['([A-Za-z.\\-]+)'\\]");
        for (String script : List.of("/assets/site.js", "/assets/console.js")) {
            String js = get(script).body();
            for (String page : List.of("/library", "/moderation")) {
                for (String target : List.of(page, "/cy" + page)) {
                    String html = get(target).body();
                    Matcher strings = Pattern.compile("<script type=\"application/json\" id=\"strings\">(.*?)</script>", Pattern.DOTALL)
                            .matcher(html);
                    assertThat(strings.find()).as(target).isTrue();
                    @SuppressWarnings("unchecked")
                    java.util.Map<String, String> known = new com.fasterxml.jackson.databind.ObjectMapper().readValue(strings.group(1),
                            java.util.Map.class);
                    Matcher m = named.matcher(js);
                    while (m.find()) {
                        String key = m.group(1) != null ? m.group(1) : m.group(2);
                        assertThat(known).as(script + " names '" + key + "' on " + target).containsKey(key);
                    }
                }
            }
        }
    }

    @Test
    void theLanguageSwitchKeepsTheUserOnTheSamePageWithItsQuery() throws Exception {
        assertThat(get("/library?q=care").body()).contains("href=\"/cy/library?q=care\" hreflang=\"cy\" lang=\"cy\"");
        assertThat(get("/cy/library?q=care").body()).contains("href=\"/library?q=care\" hreflang=\"en\" lang=\"en\"");
        assertThat(get("/").body()).contains("href=\"/cy/\" hreflang=\"cy\"");
        assertThat(get("/cy/").body()).contains("href=\"/\" hreflang=\"en\"");
        assertThat(get("/events").body()).contains("href=\"/events\" aria-current=\"page\"");
    }

    @Test
    void assetsHaveTheirTypeAnETagACacheLifetimeAndGzip() throws Exception {
        RawHttp.Answer css = get("/assets/site.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).isEqualTo("text/css;charset=utf-8");
        assertThat(css.header("Cache-Control")).isEqualTo("public, max-age=3600");
        assertThat(css.header("ETag")).matches("\"[0-9a-f]{32}\"");
        assertThat(css.header("Vary")).contains("Accept-Encoding");
        assertThat(get("/assets/site.js").header("Content-Type")).isEqualTo("text/javascript;charset=utf-8");
        assertThat(get("/assets/favicon.svg").header("Content-Type")).isEqualTo("image/svg+xml");
        assertThat(get("/assets/site.css", "If-None-Match: " + css.header("ETag")).status()).isEqualTo(304);

        RawHttp.Answer gz = get("/assets/site.css", "Accept-Encoding: gzip, deflate");
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        byte[] zipped = gz.body().getBytes(StandardCharsets.ISO_8859_1); // RawHttp reads UTF-8: compare lengths only
        assertThat(Integer.parseInt(gz.header("Content-Length"))).isLessThan(css.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(zipped).isNotEmpty();
        assertThat(get("/assets/site.css", "Accept-Encoding: gzip;q=0").header("Content-Encoding")).isNull();
        // pages: revalidated (no-cache), the form and the status pages never stored (a form token, a status token)
        assertThat(get("/").header("Cache-Control")).isEqualTo("no-cache");
        assertThat(get("/contribute").header("Cache-Control")).isEqualTo("no-store");
        assertThat(get("/status?token=x").header("Cache-Control")).isEqualTo("no-store");
        RawHttp.Answer home = get("/");
        assertThat(get("/", "If-None-Match: " + home.header("ETag")).status()).isEqualTo(304);
    }

    @Test
    void gzipIsRealGzip() throws Exception {
        var r = server.http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + server.port() + "/assets/site.css"))
                .header("Accept-Encoding", "gzip").build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String css = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(css).contains(":focus-visible");
    }

    @Test
    void unknownPagesAre404PagesInTheRightLanguage() throws Exception {
        RawHttp.Answer en = get("/no-such-page");
        RawHttp.Answer cy = get("/cy/no-such-page");
        assertThat(en.status()).isEqualTo(404);
        assertThat(cy.status()).isEqualTo(404);
        assertThat(en.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(en.body()).contains(PageHandler.escape(MESSAGES.get(Lang.EN, "exchange.page.notFound.title")));
        assertThat(cy.body()).contains(PageHandler.escape(MESSAGES.get(Lang.CY, "exchange.page.notFound.title")));
        assertThat(htmlLang(cy.body())).isEqualTo("cy");
        assertThat(get("/assets/nope.css").status()).isEqualTo(404);
        assertThat(get("/library/not-a-uuid").status()).isEqualTo(404);
        // the API keeps its problem+json 404
        assertThat(get("/.rest/exchange/v1/nope").header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void noDirectoryIsListedAndNoTemplateIsServedRaw() throws Exception {
        for (String dir : List.of("/assets", "/assets/", "/cy/assets/", "/pages/", "/pages/home.html", "/pages/_shell.html",
                "/exchange/webresources/", "/webresources/assets/site.css")) {
            RawHttp.Answer a = get(dir);
            assertThat(a.status()).as(dir).isEqualTo(404);
            assertThat(a.body()).as(dir).doesNotContain("site.css\n").doesNotContain("{{");
        }
    }

    @Test
    void pathTraversalIsRefusedWhateverItsEncoding() throws Exception {
        for (String target : List.of("/assets/../pages/_shell.html", "/assets/../../exchange/i18n/exchange-messages_en.properties",
                "/assets/%2e%2e/pages/home.html", "/assets/%2E%2E%2Fpages%2Fhome.html", "/assets/..%2fpages/home.html",
                "/assets/..%5cpages%5chome.html", "/assets/%c0%ae%c0%ae/pages/home.html", "/assets//site.css",
                "/../../../../etc/passwd", "/assets/../../../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                "/assets/.%2e/.%2e/wales/exchange/server/PageHandler.class", "/assets/site.css%00.html", "/./assets/site.css",
                "/cy/../assets/site.css", "/assets/./site.css")) {
            RawHttp.Answer a = get(target);
            assertThat(a.status()).as(target + "\n" + a.head()).isIn(400, 404);
            assertThat(a.body()).as(target).doesNotContain("root:").doesNotContain("{{").doesNotContain("exchange.page.")
                    .doesNotContain("focus-visible");
        }
    }

    @Test
    void pagesTakeOnlyReadMethods() throws Exception {
        RawHttp.Answer post = server.raw("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n");
        assertThat(post.status()).isEqualTo(405);
        RawHttp.Answer head = server.raw("HEAD /assets/site.css HTTP/1.1\r\nHost: localhost\r\n");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void theFormOffersAnAttachmentAndPostsMultipartInBothLanguages() throws Exception {
        String en = get("/contribute").body();
        String cy = get("/cy/contribute").body();
        for (String page : List.of(en, cy)) {
            assertThat(page).contains("enctype=\"multipart/form-data\"")
                    .contains("<input type=\"file\" id=\"attachment\" name=\"attachment\"")
                    .contains("text/plain\" aria-describedby=\"attachment-hint\">")
                    .contains("<label for=\"attachment\">");
            // the file is the form's last field (after it only the button): a file beyond the cap never costs the others
            assertThat(page.indexOf("id=\"attachment\"")).isGreaterThan(page.indexOf("id=\"website\""))
                    .isGreaterThan(page.indexOf("id=\"consentToContact\""));
        }
        assertThat(en).contains("id=\"attachment-hint\">Optional. A PDF, PNG, JPEG, Word (.docx), OpenDocument text or plain text file of at most 10 MB.");
        assertThat(cy).contains("id=\"attachment-hint\">Dewisol. Ffeil PDF, PNG, JPEG, Word (.docx), testun OpenDocument neu destun plaen o 10 MB ar y mwyaf.");
        // an error on the file without the form's key (expired, or taken): the general message; no value comes from the address
        String back = get("/cy/contribute?errors=attachment,title&form=AAAAAAAAAAAAAAAAAAAAAA&title=x").body();
        assertThat(back).contains("<p class=\"error\" id=\"attachment-error\">" + MESSAGES.get(Lang.CY, "exchange.page.contribute.error.attachment", "10 MB") + "</p>")
                .contains("<a href=\"#attachment\">").doesNotContain(" value=\"x\"");
    }
}
