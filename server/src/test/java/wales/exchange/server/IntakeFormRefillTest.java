package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A form that comes back filled in after field errors (FormDrafts, docs/pages.md) with the minimum fill time on
 * ({@code --intake-min-fill-seconds} 3, the default; the clock is the test's): its form token counts the fill time from
 * when the reader first opened the form, so a reader who corrects one thing and sends at once is stored (review 5, D2:
 * it used to carry a fresh token, and the second post was taken for a bot's: the submitted page with a reference that
 * did not exist, nothing stored). A bot's post never passes its token's date on. The language switch of the page
 * does not carry the draft's used key (D7).
 */
class IntakeFormRefillTest {
    static final MutableClock CLOCK = new MutableClock();
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000",
            "--intake-min-fill-seconds", "3", "--intake-secret", IntakeClient.SECRET, "--intake-address-limit", "100000")
            .withClock(CLOCK);
    static final Pattern TOKEN = Pattern.compile("name=\"formToken\" value=\"([^\"]+)\"");

    static HttpResponse<String> post(String body) throws Exception {
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url("/contributions?lang=en")))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", IntakeFormPostTest.BROWSER)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static String form(String token, String title, boolean consent) {
        return IntakeFormPostTest.form("formToken", token, "category", "policy-report", "title", title,
                "description", "A response to the consultation on school moves.", "contributorName", "Rhian Jones",
                "contributorEmail", "refill@example.org", "preferredLanguage", "en", "website", "")
                + (consent ? "&consentToPublish=true" : "");
    }

    static String formPage(String location) throws Exception {
        return server.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + location)).build()).body();
    }

    static String token(String page) {
        Matcher m = TOKEN.matcher(page);
        assertThat(m.find()).as("a form token in the page").isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    /**
     * D2: the reader filled the form in for a minute but forgot the consent box; the form comes back with everything
     * typed, they tick the box and send it again a second later. That second post must be stored.
     */
    @Test
    void aFormThatCameBackFilledInAndIsSentAgainAtOnceIsStored() throws Exception {
        String title = "Refilled " + Instant.now();
        String first = new IntakeClient(server.port()).formToken();
        CLOCK.advance(Duration.ofMinutes(1)); // typing
        HttpResponse<String> back = post(form(first, title, false));
        assertThat(back.statusCode()).isEqualTo(303);
        String location = back.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/contribute?errors=consentToPublish&form=");
        String page = server.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + location)).build()).body();
        assertThat(page).contains("value=\"" + title + "\"");
        Matcher m = TOKEN.matcher(page);
        assertThat(m.find()).isTrue();
        String second = m.group(1).replace("&amp;", "&");

        CLOCK.advance(Duration.ofSeconds(1)); // one click on the box, and send
        HttpResponse<String> sent = post(form(second, title, true));
        assertThat(sent.statusCode()).isEqualTo(303);
        String submitted = sent.headers().firstValue("Location").orElseThrow();
        assertThat(submitted).startsWith("/submitted?ref=");
        String status = URLDecoder.decode(submitted.substring(submitted.indexOf("token=") + 6), StandardCharsets.UTF_8);
        HttpResponse<String> stored = server.get("/submissions/" + status);
        assertThat(stored.statusCode()).as("the contribution behind %s: %s", submitted, stored.body()).isEqualTo(200);
    }

    /**
     * A bot gains nothing: a bot's post with a field error (here the honeypot filled in, with a token a minute old)
     * comes back with a token issued now, not with its token's date, so sending it again at once (the honeypot now
     * empty: the form that comes back never has it) is still a bot's: the 303 a person gets, nothing stored.
     */
    @Test
    void aBotsFormThatCameBackCarriesAFreshToken() throws Exception {
        String title = "Bot refill " + Instant.now();
        String first = new IntakeClient(server.port()).formToken();
        CLOCK.advance(Duration.ofMinutes(1));
        String honeypot = form(first, title, false).replace("website=", "website=spam.example");
        assertThat(honeypot).contains("website=spam.example");
        HttpResponse<String> back = post(honeypot);
        assertThat(back.statusCode()).isEqualTo(303);
        String location = back.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/contribute?errors=consentToPublish&form=");
        String page = formPage(location);
        assertThat(page).contains("value=\"" + title + "\"");
        String second = token(page);
        CLOCK.advance(Duration.ofSeconds(1));
        HttpResponse<String> sent = post(form(second, title, true));
        assertThat(sent.statusCode()).isEqualTo(303);
        String submitted = sent.headers().firstValue("Location").orElseThrow();
        assertThat(submitted).startsWith("/submitted?ref=");
        String status = URLDecoder.decode(submitted.substring(submitted.indexOf("token=") + 6), StandardCharsets.UTF_8);
        assertThat(server.get("/submissions/" + status).statusCode()).as("a bot's: nothing stored").isEqualTo(404);
    }

    /** D7: the page's language switch keeps the errors but not the draft's key, which this page has taken. */
    @Test
    void theLanguageSwitchOfAFormThatCameBackDoesNotCarryItsUsedKey() throws Exception {
        String first = new IntakeClient(server.port()).formToken();
        CLOCK.advance(Duration.ofMinutes(1));
        HttpResponse<String> back = post(form(first, "Switch " + Instant.now(), false));
        String location = back.headers().firstValue("Location").orElseThrow();
        String key = location.substring(location.indexOf("form=") + 5);
        String page = formPage(location);
        Matcher m = Pattern.compile("href=\"(/cy/contribute[^\"]*)\"").matcher(page);
        assertThat(m.find()).as("the switch to Welsh").isTrue();
        String href = m.group(1).replace("&amp;", "&");
        assertThat(href).isEqualTo("/cy/contribute?errors=consentToPublish").doesNotContain(key);
        assertThat(formPage(href)).contains("consentToPublish-error");
    }

    /**
     * D5: the server starts the drafts' sweeper (FormDraftsTest shows what it does with the test's clock), so expired
     * forms leave memory on a quiet server too.
     */
    @Test
    void theServerSweepsExpiredForms() throws Exception {
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("exchange-form-drafts");
        wales.exchange.intake.FormDrafts drafts = server.injector().getInstance(wales.exchange.intake.FormDrafts.class);
        String first = new IntakeClient(server.port()).formToken();
        CLOCK.advance(Duration.ofMinutes(1));
        assertThat(post(form(first, "Swept " + Instant.now(), false)).statusCode()).isEqualTo(303);
        assertThat(drafts.held()).isPositive();
        CLOCK.advance(wales.exchange.intake.FormDrafts.TTL);
        drafts.sweep(); // the server's sweeper may have run first: either way nothing is left
        assertThat(drafts.held()).isZero();
    }
}
