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
 * Review 5 of h4-form: a form that comes back filled in (FormDrafts) is corrected in a second or two, but it carries a
 * fresh form token, and a form sent sooner than {@code --intake-min-fill-seconds} (3 by default) after its token is a
 * bot's: 202 "like a person's", nothing stored. The reader sees the submitted page with a reference that does not
 * exist, and the contribution is lost. Fails on 58dee69.
 */
class Review5FormDraftTest {
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
}
