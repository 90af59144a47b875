package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.content.Item;
import wales.exchange.delivery.http.PreviewTokens;

/**
 * Delivery-API semantics of issue 16 ("Public API hardening") against the real server on a random port with the demo
 * content: out-of-range dates, malformed q-values, draft metadata, one-letter words, repeated parameters, non-ASCII
 * digits, the API root and unknown routes, iCalendar paging and languages, and JSON-LD of organisations and undated
 * events.
 */
class DeliverySemanticsTest {
    static final String SECRET = "semantics-secret-0123456789abcdef-0123";
    static final String SECURE = "901f7a1b-20f9-458c-9172-3f92ad923f8f";
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--preview-secret", SECRET, "--rate-limit", "1000000");

    static String id(String type, String name) throws Exception {
        return server.withSession((s, svc) -> svc.list(s, type, 0, 100).stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no demo " + type + " " + name)).id());
    }

    static void assertBadParam(HttpResponse<String> r, String field) throws Exception {
        assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        server.json(r).get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).as(r.uri().toString()).contains(field);
    }

    // ------------------------------------------------------------------------------------------------ 4a

    @Test
    void outOfRangeAndEmptyDatesAre400sNamingTheParameter() throws Exception {
        assertBadParam(server.get("/resources?publicationDate%5Bgte%5D=%2B999999999-01-01"), "publicationDate[gte]");
        assertBadParam(server.get("/resources?publicationDate%5Blt%5D=-999999999-01-01"), "publicationDate[lt]");
        assertBadParam(server.get("/events?from=-999999999-01-01"), "from");
        assertBadParam(server.get("/events?to=%2B999999999-12-31T00:00"), "to");
        assertBadParam(server.get("/events?to="), "to");
        assertBadParam(server.get("/events?from="), "from");
        assertBadParam(server.get("/events.ics?from=-999999999-01-01"), "from");
        assertBadParam(server.get("/events.ics?to=%2B999999999-01-01"), "to");
        assertBadParam(server.get("/events?startDate%5Blt%5D="), "startDate[lt]");
        assertBadParam(server.get("/events?startDate%5Bgte%5D=10000-01-01"), "startDate[gte]");
        assertBadParam(server.get("/events?startDate%5Bgte%5D=0000-12-31"), "startDate[gte]");
        // the edges of the range are fine
        assertThat(server.get("/events?startDate%5Bgte%5D=0001-01-01&startDate%5Blt%5D=9999-12-31").statusCode()).isEqualTo(200);
    }

    @Test
    void malformedAcceptQValuesAreIgnored() throws Exception {
        HttpResponse<String> r = server.get("/events/" + SECURE, "Accept", "application/json;q=abc");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        HttpResponse<String> list = server.get("/events", "Accept", "application/json;q=abc");
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        // (two malformed elements, or one next to application/ld+json, are refused with an HTML 400 by RESTEasy when it writes the
        // response: transport, not the API; which elements count is tested in AcceptHeaderFilterTest)
    }

    // ------------------------------------------------------------------------------------------------ 5a

    @Test
    void malformedAcceptLanguageQValuesAreNeverAnError() throws Exception {
        // (cy;q=, cy;q=2 and cy;q=Infinity are refused with an HTML 400 by the servlet layer before the API sees them:
        // the server's transport, not the delivery API; Lang itself is tested in QualityValuesTest)
        for (String header : List.of("cy;q=NaN", "cy;q=-1", "cy;q=0x1p-1", "cy;q=1e0", "cy;q=0.5d")) {
            HttpResponse<String> r = server.get("/events/" + SECURE, "Accept-Language", header);
            assertThat(r.statusCode()).as(header + ": " + r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Language")).as(header).contains("en");
        }
        HttpResponse<String> r = server.get("/events/" + SECURE, "Accept-Language", "cy;q=1e0, en;q=0.1");
        assertThat(r.headers().firstValue("Content-Language")).contains("en");
    }

    // ------------------------------------------------------------------------------------------------ 6

    @Test
    void listsAndFeedsLastModifiedFollowOnlyPublishedContent() throws Exception {
        String lists = server.get("/resources").headers().firstValue("Last-Modified").orElseThrow();
        String feed = server.get("/events.ics").headers().firstValue("Last-Modified").orElseThrow();
        Instant before = Instant.now();
        waitForNextSecond(before);
        Item draft = server.withSession((s, svc) -> svc.create(s, "resource", Map.of("title", Map.of("en", "Lastmod draft"), "kind", "film"), "editor"));
        Item draftEvent = server.withSession((s, svc) -> svc.create(s, "event", Map.of("title", Map.of("en", "Lastmod draft event"),
                "startDate", "2030-01-01T10:00"), "editor"));
        try {
            assertThat(server.get("/resources").headers().firstValue("Last-Modified").orElseThrow()).isEqualTo(lists);
            assertThat(server.get("/events.ics").headers().firstValue("Last-Modified").orElseThrow()).isEqualTo(feed);
            assertThat(server.get("/resources", "If-Modified-Since", lists).statusCode()).isEqualTo(304);
        } finally {
            server.withSession((s, svc) -> {
                svc.delete(s, "resource", draft.id(), 1);
                svc.delete(s, "event", draftEvent.id(), 1);
                return null;
            });
        }
        assertThat(server.get("/resources").headers().firstValue("Last-Modified").orElseThrow()).as("removing a draft").isEqualTo(lists);
        // publishing moves it; removing a published item moves it again
        Item published = server.withSession((s, svc) -> svc.create(s, "resource", Map.of("title", Map.of("en", "Lastmod published"), "kind", "film",
                "moderationState", "published"), "editor"));
        String afterPublish = server.get("/resources").headers().firstValue("Last-Modified").orElseThrow();
        assertThat(parse(afterPublish)).isAfter(parse(lists));
        waitForNextSecond(parse(afterPublish));
        server.withSession((s, svc) -> {
            svc.delete(s, "resource", published.id(), 1);
            return null;
        });
        String afterRemoval = server.get("/resources").headers().firstValue("Last-Modified").orElseThrow();
        assertThat(parse(afterRemoval)).isAfter(parse(afterPublish));
        assertThat(server.get("/resources", "If-Modified-Since", afterPublish).statusCode()).isEqualTo(200);
    }

    @Test
    void aDraftsIdAsAFilterValueIsAnUnknownId() throws Exception {
        Item draft = server.withSession((s, svc) -> svc.create(s, "resource", Map.of("title", Map.of("en", "Referenced draft"), "kind", "film"), "editor"));
        Item study = server.withSession((s, svc) -> svc.create(s, "caseStudy", Map.of("title", Map.of("en", "Study citing a draft"),
                "relatedResources", List.of(draft.id()), "consentToPublish", true, "moderationState", "published"), "editor"));
        try {
            String unknown = "00000000-0000-4000-8000-000000000000";
            JsonNode byDraft = server.json(server.get("/case-studies?relatedResources=" + draft.id()));
            JsonNode byUnknown = server.json(server.get("/case-studies?relatedResources=" + unknown));
            assertThat(byDraft.get("total").asInt()).isEqualTo(byUnknown.get("total").asInt()).isZero();
            assertThat(server.json(server.get("/case-studies?relatedResources%5Bin%5D=" + draft.id())).get("total").asInt()).isZero();
            assertThat(server.json(server.get("/case-studies?relatedResources%5Bne%5D=" + draft.id())).get("total").asInt())
                    .isEqualTo(server.json(server.get("/case-studies?relatedResources%5Bne%5D=" + unknown)).get("total").asInt());
            String token = server.injector().getInstance(PreviewTokens.class).issue(Duration.ofMinutes(5));
            assertThat(server.json(server.get("/case-studies?relatedResources=" + draft.id(), "X-Exchange-Preview", token)).get("total").asInt()).isEqualTo(1);
        } finally {
            server.withSession((s, svc) -> {
                svc.delete(s, "caseStudy", study.id(), 1);
                svc.delete(s, "resource", draft.id(), 1);
                return null;
            });
        }
    }

    @Test
    void previewTokensLongerThanTheMaximumLifetimeAreRefused() throws Exception {
        // a correctly signed token that expires in 2100
        PreviewTokens farFuture = new PreviewTokens(SECRET.getBytes(StandardCharsets.UTF_8),
                java.time.Clock.fixed(Instant.parse("2099-12-25T00:00:00Z"), java.time.ZoneOffset.UTC));
        String token = farFuture.issue(Duration.ofDays(7));
        assertThat(server.get("/resources", "X-Exchange-Preview", token).statusCode()).isEqualTo(403);
    }

    // ------------------------------------------------------------------------------------------------ 10a

    @Test
    void oneLetterWordsAreIgnoredAsTheDocsSay() throws Exception {
        JsonNode onlyShort = server.json(server.get("/resources?q=a"));
        assertThat(onlyShort.get("total").asInt()).as("a query of only one-letter words matches nothing").isZero();
        assertThat(server.json(server.get("/events?q=a+i+o&lang=cy")).get("total").asInt()).isZero();
        // a one-letter word next to a real one changes nothing
        assertThat(server.json(server.get("/events?q=carers+a")).get("total").asInt()).isEqualTo(server.json(server.get("/events?q=carers")).get("total").asInt())
                .isPositive();
    }

    @Test
    void aRepeatedParameterIs400OnEveryRoute() throws Exception {
        assertBadParam(server.get("/events/" + SECURE + "?lang=en&lang=cy"), "lang");
        assertBadParam(server.get("/events/" + SECURE + "?jsonLd=true&jsonLd=false"), "jsonLd");
        assertThat(server.json(server.get("/events/" + SECURE + "?lang=en&lang=cy")).get("errors").get(0).get("code").asText()).isEqualTo("repeated");
        assertBadParam(server.get("/events?lang=en&lang=cy"), "lang");
        assertBadParam(server.get("/events.ics?lang=en&lang=cy"), "lang");
        assertBadParam(server.get("/events/" + SECURE + ".ics?lang=en&lang=en"), "lang");
        assertBadParam(server.get("/openapi.json?lang=en&lang=en"), "lang");
        assertBadParam(server.get("/?lang=en&lang=cy"), "lang");
        // and an unknown parameter on a single calendar or the document too
        assertBadParam(server.get("/events/" + SECURE + ".ics?colour=blue"), "colour");
        assertBadParam(server.get("/openapi.json?colour=blue"), "colour");
    }

    @Test
    void onlyAsciiDigitsInNumbers() throws Exception {
        assertBadParam(server.get("/events?limit=%D9%A5"), "limit"); // ٥, Arabic-Indic five
        assertBadParam(server.get("/events?offset=%DF%81"), "offset"); // ߁, N'Ko one
        assertBadParam(server.get("/events.ics?limit=%EF%BC%93"), "limit"); // ３, full-width three
        assertBadParam(server.get("/events?limit=%2B5"), "limit");
        assertThat(server.get("/events?limit=5&offset=0").statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------------------ 12

    @Test
    void theApiRootListsItsRoutesInTheRequestsLanguage() throws Exception {
        for (String root : List.of("", "/")) {
            HttpResponse<String> r = server.get(root);
            assertThat(r.statusCode()).as("'" + root + "': " + r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
            JsonNode b = server.json(r);
            List<String> hrefs = new ArrayList<>();
            b.get("links").forEach(l -> hrefs.add(l.get("href").asText()));
            assertThat(hrefs).contains("/.rest/exchange/v1/resources", "/.rest/exchange/v1/events", "/.rest/exchange/v1/case-studies",
                    "/.rest/exchange/v1/events.ics", "/.rest/exchange/v1/openapi.json", "/.rest/exchange/v1/health");
            assertThat(b.get("lang").asText()).isEqualTo("en");
        }
        JsonNode cy = server.json(server.get("/", "Accept-Language", "cy"));
        assertThat(cy.get("lang").asText()).isEqualTo("cy");
        assertThat(cy.get("title").asText()).contains("ExChange").isNotEqualTo(server.json(server.get("/")).get("title").asText());
        assertThat(cy.get("links").get(0).get("title").asText()).isEqualTo("Adnoddau");
    }

    @Test
    void anUnknownRouteIsNoRouteNotNotFound() throws Exception {
        for (String path : List.of("/nope", "/events/x/y", "/contributions", "/contributions/abc", "/nothing/here/at/all", "/resources.ics")) {
            HttpResponse<String> r = server.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(server.json(r).get("type").asText()).as(path).isEqualTo("https://exchangewales.org/problems/noRoute");
            assertThat(server.json(r).get("detail").asText()).as(path).contains("/.rest/exchange/v1");
        }
        JsonNode cy = server.json(server.get("/events/x/y", "Accept-Language", "cy"));
        assertThat(cy.get("title").asText()).isNotEqualTo(server.json(server.get("/events/x/y")).get("title").asText());
        assertThat(cy.get("detail").asText()).contains("/.rest/exchange/v1");
        // a well-formed route to a missing item is still notFound
        assertThat(server.json(server.get("/events/nope")).get("type").asText()).isEqualTo("https://exchangewales.org/problems/notFound");
        assertThat(server.json(server.get("/events/nope.ics")).get("type").asText()).isEqualTo("https://exchangewales.org/problems/notFound");
    }

    // ------------------------------------------------------------------------------------------------ 14

    @Test
    void theFeedPagesOverDatedEventsOnly() throws Exception {
        int dated = server.json(server.get("/events?startDate%5Bgte%5D=0001-01-01&limit=100")).get("total").asInt();
        assertThat(dated).isGreaterThanOrEqualTo(3);
        String three = server.get("/events.ics?limit=3").body();
        assertThat(count(three, "BEGIN:VEVENT")).isEqualTo(3);
        String all = server.get("/events.ics").body();
        assertThat(count(all, "BEGIN:VEVENT")).isEqualTo(dated);
        String rest = server.get("/events.ics?offset=" + (dated - 1)).body();
        assertThat(count(rest, "BEGIN:VEVENT")).isEqualTo(1);
    }

    @Test
    void anUndatedEventHasNoCalendarEntry() throws Exception {
        String undated = id("event", "social-workers-in-hospitals");
        HttpResponse<String> r = server.get("/events/" + undated + ".ics");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(server.json(server.get("/events/" + undated + ".ics?lang=cy")).get("title").asText()).isEqualTo("Heb ei ganfod.");
    }

    @Test
    void everyCalendarTextSaysItsLanguage() throws Exception {
        String en = server.get("/events/" + SECURE + ".ics").body();
        assertThat(en).contains("SUMMARY;LANGUAGE=en:Webinar").contains("DESCRIPTION;LANGUAGE=en:");
        assertThat(en).doesNotContain("\r\nSUMMARY:").doesNotContain("\r\nDESCRIPTION:");
        String cy = server.get("/events/" + SECURE + ".ics?lang=cy").body();
        assertThat(cy).contains("SUMMARY;LANGUAGE=cy:Gweminar");
    }

    @Test
    void languageNoteWheneverTheOriginalLanguageDiffers() throws Exception {
        String lace = id("resource", "lace-project-report");
        JsonNode cy = server.json(server.get("/resources/" + lace + "?lang=cy"));
        assertThat(cy.get("originalLanguage").asText()).isEqualTo("en");
        assertThat(cy.get("fallbacks").size()).isZero();
        assertThat(cy.get("languageNote").asText()).contains("Saesneg");
        assertThat(server.json(server.get("/resources/" + lace + "?lang=en")).has("languageNote")).isFalse();
    }

    @Test
    void methodNotAllowedSaysWhatIsAllowed() throws Exception {
        HttpResponse<String> post = server.send(HttpRequest.newBuilder(URI.create(server.url("/events")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS");
        assertThat(post.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    }

    // ------------------------------------------------------------------------------------------------ 15

    @Test
    void organisationsPerformAsOrganizationsAndUndatedEventsAreNoEvents() throws Exception {
        JsonNode ld = server.json(server.get("/events/" + SECURE, "Accept", "application/ld+json"));
        assertThat(ld.get("@type").asText()).isEqualTo("Event");
        assertThat(ld.get("performer").get(0).get("@type").asText()).isEqualTo("Organization");
        assertThat(ld.get("performer").get(0).get("name").asText()).startsWith("CASCADE");
        JsonNode speaker = server.json(server.get("/events/" + SECURE)).get("speakers").get(0);
        assertThat(speaker.get("kind").asText()).isEqualTo("organisation");

        String undated = id("event", "social-workers-in-hospitals");
        JsonNode u = server.json(server.get("/events/" + undated, "Accept", "application/ld+json"));
        assertThat(u.get("@type").asText()).isNotEqualTo("Event");
        assertThat(u.has("startDate")).isFalse();
        assertThat(u.has("eventStatus")).isFalse();
        assertThat(u.get("name").asText()).isEqualTo("Social workers in hospitals");
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static Instant parse(String httpDate) {
        return ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    /** Last-Modified has one-second precision: wait (on the clock, not a fixed sleep) until a new second has begun. */
    static void waitForNextSecond(Instant after) {
        Waits.nextSecondAfter(after);
    }
}
