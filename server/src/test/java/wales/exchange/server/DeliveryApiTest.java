package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.content.Item;
import wales.exchange.delivery.http.PreviewTokens;

/** The delivery API against the real server (Undertow + RESTEasy) on a random port, on real Jackrabbit with demo content. */
class DeliveryApiTest {
    static final String SECRET = "test-secret-0123456789abcdef-0123456789";
    static final String SECURE = "901f7a1b-20f9-458c-9172-3f92ad923f8f";
    static final String CARERS = "53e99420-3156-43ef-835f-3948f567cabd";
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--cors-origins", "https://frontend.example",
            "--preview-secret", SECRET);

    @Test
    void healthAndADemoItemByIdWithRealTypes() throws Exception {
        HttpResponse<String> health = server.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(server.json(health).get("status").asText()).isEqualTo("up");

        HttpResponse<String> r = server.get("/events/" + SECURE);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.headers().firstValue("Content-Language")).contains("en");
        assertThat(r.headers().firstValue("Vary").orElseThrow()).contains("Accept-Language");
        assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).startsWith("public, max-age=");
        JsonNode e = server.json(r);
        assertThat(e.get("title").asText()).isEqualTo("Webinar: Use of secure accommodation for welfare purposes in Wales");
        assertThat(e.get("startDate").asText()).isEqualTo("2020-09-09T11:30:00+01:00");
        assertThat(e.get("timeZone").asText()).isEqualTo("Europe/London");
        assertThat(e.get("free").isBoolean()).isTrue();
        assertThat(e.get("audiences").isArray()).isTrue();
        assertThat(e.get("fallbacks").size()).isZero();
        assertThat(e.has("moderationState")).isFalse();

        HttpResponse<String> cy = server.get("/events/" + SECURE + "?lang=cy");
        assertThat(server.json(cy).get("title").asText()).startsWith("Gweminar:");
        assertThat(cy.headers().firstValue("Content-Language")).contains("cy");
        assertThat(server.json(server.get("/events/" + SECURE, "Accept-Language", "cy-GB,cy;q=0.9,en;q=0.5")).get("title").asText()).startsWith("Gweminar:");

        HttpResponse<String> carers = server.get("/events/" + CARERS);
        assertThat(server.json(carers).get("speakers")).hasSize(3);
        assertThat(server.json(carers).get("status").asText()).isEqualTo("postponed");
        // a GMT date keeps its own offset
        HttpResponse<String> winter = server.get("/events?startDate%5Bgte%5D=2021-01-01&startDate%5Blt%5D=2021-12-31");
        assertThat(server.json(winter).get("total").asInt()).isEqualTo(1);
        assertThat(server.json(winter).get("items").get(0).get("startDate").asText()).isEqualTo("2021-02-24T11:00:00Z".replace("Z", "+00:00"));
    }

    @Test
    void conditionalRequestsAnswer304() throws Exception {
        HttpResponse<String> r = server.get("/events/" + SECURE + "?lang=cy");
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        HttpResponse<String> again = server.get("/events/" + SECURE + "?lang=cy", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        // the English rendering is another representation
        assertThat(server.get("/events/" + SECURE + "?lang=en", "If-None-Match", etag).statusCode()).isEqualTo(200);
        String listTag = server.get("/resources?kind=report").headers().firstValue("ETag").orElseThrow();
        assertThat(server.get("/resources?kind=report", "If-None-Match", listTag).statusCode()).isEqualTo(304);
        String lastModified = r.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(server.get("/events/" + SECURE + "?lang=cy", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
    }

    @Test
    void filtersSortingPagingAndFacets() throws Exception {
        JsonNode all = server.json(server.get("/events?limit=100"));
        assertThat(all.get("total").asInt()).isEqualTo(6);
        assertThat(all.get("facets").get("status").get("postponed").asInt()).isEqualTo(1);
        assertThat(server.json(server.get("/events?status=postponed")).get("items").get(0).get("id").asText()).isEqualTo(CARERS);
        assertThat(server.json(server.get("/events?status%5Bne%5D=postponed")).get("total").asInt()).isEqualTo(5);
        assertThat(server.json(server.get("/events?status%5Bin%5D=postponed,cancelled")).get("total").asInt()).isEqualTo(1);
        JsonNode sorted = server.json(server.get("/events?sort=-startDate&limit=3"));
        List<String> starts = new ArrayList<>();
        sorted.get("items").forEach(i -> starts.add(i.get("startDate").asText()));
        assertThat(starts).containsExactly("2021-02-24T11:00:00+00:00", "2020-09-09T11:30:00+01:00", "2020-04-30T00:00:00+01:00");
        JsonNode page2 = server.json(server.get("/events?sort=-startDate&limit=2&offset=1"));
        assertThat(page2.get("items").get(0).get("startDate").asText()).isEqualTo("2020-09-09T11:30:00+01:00");
        assertThat(page2.get("total").asInt()).isEqualTo(6);
        JsonNode reports = server.json(server.get("/resources?kind=report"));
        assertThat(reports.get("items")).allSatisfy(i -> assertThat(i.get("kind").asText()).isEqualTo("report"));
        assertThat(reports.get("items").get(0).has("body")).as("lists leave out rich text").isFalse();
        assertThat(server.json(server.get("/resources?publicationDate%5Bgte%5D=2016-01-01&sort=publicationDate")).get("items").get(0).get("publicationDate").asText())
                .startsWith("2016-01-01");
        // events: upcoming first, then undated, then past (all demo events are in the past)
        JsonNode dflt = server.json(server.get("/events?limit=100"));
        assertThat(dflt.get("items").get(0).has("startDate") && dflt.get("items").get(0).get("startDate").isNull()).isTrue();
        assertThat(server.json(server.get("/events?past=true")).get("total").asInt()).isEqualTo(3);
        assertThat(server.json(server.get("/events?past=true")).get("items").get(0).get("startDate").asText()).startsWith("2021-02-24");
        assertThat(server.json(server.get("/events?from=2020-09-01&to=2020-10-01")).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void badParametersAreProblemsInTheRequestsLanguage() throws Exception {
        HttpResponse<String> r = server.get("/events?limit=101&colour=blue&kind%5Bgt%5D=x&status=maybe&lang=cy");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(r.headers().firstValue("Content-Language")).contains("cy");
        JsonNode p = server.json(r);
        assertThat(p.get("status").asInt()).isEqualTo(400);
        assertThat(p.get("title").asText()).isEqualTo("Mae paramedrau annilys yn y cais.");
        List<String> fields = new ArrayList<>();
        p.get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("limit", "colour", "kind[gt]", "status");
        assertThat(p.get("errors").get(0).get("message").asText()).isNotBlank();
        assertThat(server.get("/events?lang=fr").statusCode()).isEqualTo(400);
        assertThat(server.get("/events?sort=-description").statusCode()).isEqualTo(400);
        assertThat(server.get("/events?offset=-1").statusCode()).isEqualTo(400);
        assertThat(server.get("/contributions").statusCode()).as("contributions are never delivered").isEqualTo(404);
        HttpResponse<String> missing = server.get("/events/00000000-0000-4000-8000-000000000000", "Accept-Language", "cy");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(server.json(missing).get("title").asText()).isEqualTo("Heb ei ganfod.");
        assertThat(server.get("/nothing/here/at/all").statusCode()).isEqualTo(404);
    }

    @Test
    void draftsAreInvisibleOnEveryRouteWithoutAValidPreviewToken() throws Exception {
        JsonNode before = server.json(server.get("/resources?limit=100"));
        String beforeIcs = server.get("/events.ics").body();
        Item draft = server.withSession((s, svc) -> svc.create(s, "resource", Map.of(
                "title", Map.of("en", "Zanzibar secret draft", "cy", "Drafft cyfrinachol Zanzibar"),
                "kind", "film", "topics", List.of("zanzibar-topic")), "editor"));
        Item draftEvent = server.withSession((s, svc) -> svc.create(s, "event", Map.of(
                "title", Map.of("en", "Zanzibar draft event"), "startDate", "2030-01-01T10:00", "status", "cancelled"), "editor"));
        try {
            JsonNode after = server.json(server.get("/resources?limit=100"));
            assertThat(after.get("total").asInt()).isEqualTo(before.get("total").asInt());
            assertThat(after.get("facets")).isEqualTo(before.get("facets"));
            assertThat(after.toString()).doesNotContain("Zanzibar");
            assertThat(server.get("/resources/" + draft.id()).statusCode()).isEqualTo(404);
            assertThat(server.json(server.get("/resources/" + draft.id())).toString()).isEqualTo(server.json(server.get("/resources/00000000-0000-4000-8000-000000000000")).toString()
                    .replace("00000000-0000-4000-8000-000000000000", draft.id()));
            assertThat(server.json(server.get("/resources?q=zanzibar")).get("total").asInt()).isZero();
            assertThat(server.json(server.get("/resources?topics=zanzibar-topic")).get("total").asInt()).isZero();
            assertThat(server.json(server.get("/events?status=cancelled")).get("total").asInt()).isZero();
            assertThat(server.json(server.get("/events?limit=100")).get("facets").get("status").get("cancelled").asInt()).isZero();
            assertThat(server.get("/events.ics").body()).isEqualTo(beforeIcs).doesNotContain("Zanzibar");
            assertThat(server.get("/events/" + draftEvent.id() + ".ics").statusCode()).isEqualTo(404);
            assertThat(server.get("/events/" + draftEvent.id(), "Accept", "application/ld+json").statusCode()).isEqualTo(404);

            String token = new PreviewTokens(SECRET.getBytes(StandardCharsets.UTF_8), java.time.Clock.systemUTC()).issue(Duration.ofMinutes(5));
            HttpResponse<String> preview = server.get("/resources/" + draft.id(), "X-Exchange-Preview", token);
            assertThat(preview.statusCode()).isEqualTo(200);
            assertThat(preview.headers().firstValue("Cache-Control")).contains("private, no-store");
            assertThat(server.json(preview).get("moderationState").asText()).isEqualTo("draft");
            assertThat(server.json(server.get("/resources?q=zanzibar&preview=" + token)).get("total").asInt()).isEqualTo(1);
            assertThat(server.get("/events.ics?preview=" + token).body()).contains("Zanzibar");
            assertThat(server.get("/resources/" + draft.id(), "X-Exchange-Preview", token + "x").statusCode()).isEqualTo(403);
            String expired = new PreviewTokens(SECRET.getBytes(StandardCharsets.UTF_8),
                    java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(-2))).issue(Duration.ofHours(1));
            assertThat(server.get("/resources?preview=" + expired).statusCode()).isEqualTo(403);
            String otherSecret = new PreviewTokens("another-secret-0123456789abcdef-0123".getBytes(StandardCharsets.UTF_8),
                    java.time.Clock.systemUTC()).issue(Duration.ofMinutes(5));
            assertThat(server.get("/resources?preview=" + otherSecret).statusCode()).isEqualTo(403);
        } finally {
            server.withSession((s, svc) -> {
                svc.delete(s, "resource", draft.id(), 1);
                svc.delete(s, "event", draftEvent.id(), 1);
                return null;
            });
        }
        assertThat(server.json(server.get("/resources?limit=100")).get("total").asInt()).isEqualTo(before.get("total").asInt());
    }

    @Test
    void publishingAndEditsShowAtOnceWithAFreshETag() throws Exception {
        Item item = server.withSession((s, svc) -> svc.create(s, "resource", Map.of(
                "title", Map.of("en", "Virtual school heads in Wales"), "summary", Map.of("en", "English only so far"),
                "kind", "report", "moderationState", "published"), "editor"));
        try {
            HttpResponse<String> cy = server.get("/resources/" + item.id() + "?lang=cy");
            assertThat(cy.statusCode()).isEqualTo(200);
            JsonNode b = server.json(cy);
            assertThat(b.get("title").asText()).isEqualTo("Virtual school heads in Wales");
            assertThat(b.get("fallbacks")).extracting(JsonNode::asText).containsExactlyInAnyOrder("title", "summary");
            String etag = cy.headers().firstValue("ETag").orElseThrow();
            server.withSession((s, svc) -> svc.update(s, "resource", item.id(), 1, Map.of("title", Map.of("cy", "Penaethiaid ysgolion rhithwir yng Nghymru")), "translator"));
            HttpResponse<String> after = server.get("/resources/" + item.id() + "?lang=cy", "If-None-Match", etag);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(server.json(after).get("title").asText()).isEqualTo("Penaethiaid ysgolion rhithwir yng Nghymru");
            assertThat(server.json(after).get("fallbacks")).extracting(JsonNode::asText).containsExactly("summary");
        } finally {
            server.withSession((s, svc) -> {
                svc.delete(s, "resource", item.id(), 2);
                return null;
            });
        }
        assertThat(server.get("/resources/" + item.id()).statusCode()).isEqualTo(404);
    }

    @Test
    void searchIsAccentInsensitiveMutationTolerantAndStemmed() throws Exception {
        // Welsh: "ofalwyr" is the soft mutation of "gofalwyr" (carers)
        JsonNode mutated = server.json(server.get("/events?q=ofalwyr&lang=cy"));
        assertThat(mutated.get("total").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(mutated.get("items").get(0).get("id").asText()).isEqualTo(CARERS);
        JsonNode nasal = server.json(server.get("/events?q=nghymru+lety&lang=cy"));
        assertThat(nasal.get("items")).extracting(i -> i.get("id").asText()).contains(SECURE);
        // accents: "grwp" finds "grŵp"
        assertThat(server.json(server.get("/events?q=grwp&lang=cy")).get("items")).extracting(i -> i.get("id").asText()).contains(CARERS);
        // English stemming: "carer" finds "carers"
        assertThat(server.json(server.get("/events?q=carer&lang=en")).get("items")).extracting(i -> i.get("id").asText()).contains(CARERS);
        assertThat(server.json(server.get("/events?q=qwertyuiop")).get("total").asInt()).isZero();
        assertThat(server.get("/events?q=" + "x".repeat(201)).statusCode()).isEqualTo(400);
    }

    @Test
    void jsonLdAndICalendar() throws Exception {
        HttpResponse<String> ld = server.get("/events/" + CARERS, "Accept", "application/ld+json");
        assertThat(ld.statusCode()).isEqualTo(200);
        assertThat(ld.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/ld+json");
        JsonNode e = server.json(ld);
        assertThat(e.get("@type").asText()).isEqualTo("Event");
        assertThat(e.get("eventStatus").asText()).isEqualTo("https://schema.org/EventPostponed");
        assertThat(e.get("performer")).hasSize(3);
        assertThat(server.json(server.get("/events/" + SECURE + "?jsonLd=true")).get("jsonLd").get("@type").asText()).isEqualTo("Event");

        HttpResponse<String> ics = server.get("/events.ics?lang=cy");
        assertThat(ics.statusCode()).isEqualTo(200);
        assertThat(ics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/calendar");
        String cal = ics.body();
        assertThat(cal).startsWith("BEGIN:VCALENDAR\r\n").contains("BEGIN:VTIMEZONE\r\nTZID:Europe/London")
                .contains("UID:" + SECURE + "@exchangewales.org").contains("DTSTART;TZID=Europe/London:20200909T113000")
                .contains("SUMMARY;LANGUAGE=cy:Gweminar");
        for (String line : cal.split("\r\n")) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(75);
        }
        String one = server.get("/events/" + CARERS + ".ics").body();
        assertThat(one).contains("STATUS:TENTATIVE").contains("DTSTART;VALUE=DATE:20200430");
        assertThat(server.get("/events.ics").headers().firstValue("ETag")).isEqualTo(server.get("/events.ics").headers().firstValue("ETag"));
    }

    @Test
    void corsOnlyForConfiguredOrigins() throws Exception {
        HttpResponse<String> ok = server.get("/events", "Origin", "https://frontend.example");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).contains("https://frontend.example");
        HttpResponse<String> other = server.get("/events", "Origin", "https://evil.example");
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpRequest preflight = HttpRequest.newBuilder(URI.create(server.url("/events")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://frontend.example").header("Access-Control-Request-Method", "GET").build();
        HttpResponse<String> pf = server.send(preflight);
        assertThat(pf.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("GET");
    }

    @Test
    void reviewFindings() throws Exception {
        // parameters that do not apply are errors, not silently ignored
        assertThat(server.get("/resources?from=garbage").statusCode()).isEqualTo(400);
        assertThat(server.get("/resources?past=true").statusCode()).isEqualTo(400);
        assertThat(server.get("/events?jsonLd=true").statusCode()).isEqualTo(400);
        // Accept q-values decide between JSON and JSON-LD
        HttpResponse<String> low = server.get("/events/" + SECURE, "Accept", "application/ld+json;q=0.1, application/json");
        assertThat(low.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        HttpResponse<String> high = server.get("/events/" + SECURE, "Accept", "application/json;q=0.5, application/ld+json");
        assertThat(high.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/ld+json");
        assertThat(server.get("/events/" + SECURE, "Accept", "*/*").headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        // a fully translated external item does not claim to be shown in its original language: it says it is a translation
        JsonNode lace = server.json(server.get("/resources?kind=report&lang=cy")).get("items").get(0);
        assertThat(lace.get("fallbacks").size()).isZero();
        assertThat(lace.get("languageNote").asText()).contains("cyfieithiad").doesNotContain("iaith wreiddiol");
        // an event in progress is not past
        Item running = server.withSession((s, svc) -> svc.create(s, "event", Map.of("title", Map.of("en", "Running now", "cy", "Yn digwydd nawr"),
                "startDate", java.time.OffsetDateTime.now().minusHours(1).toString(), "endDate", java.time.OffsetDateTime.now().plusHours(1).toString(),
                "moderationState", "published"), "editor"));
        try {
            assertThat(server.json(server.get("/events?past=false")).get("items")).extracting(i -> i.get("id").asText()).contains(running.id());
            assertThat(server.json(server.get("/events?past=true")).get("items")).extracting(i -> i.get("id").asText()).doesNotContain(running.id());
            assertThat(server.json(server.get("/events")).get("items").get(0).get("id").asText()).isEqualTo(running.id());
            // lists' Last-Modified moves with any change, so If-Modified-Since cannot hide a removal
            String lm = server.get("/events").headers().firstValue("Last-Modified").orElseThrow();
            Waits.nextSecondAfter(java.time.Instant.now()); // Last-Modified has one-second precision
            server.withSession((s, svc) -> {
                svc.delete(s, "event", running.id(), 1);
                return null;
            });
            HttpResponse<String> after = server.get("/events", "If-Modified-Since", lm);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(server.json(after).toString()).doesNotContain(running.id());
        } finally {
            server.withSession((s, svc) -> {
                if (svc.find(s, "event", running.id()).isPresent()) {
                    svc.delete(s, "event", running.id(), 1);
                }
                return null;
            });
        }
        // a write method on the read-only API
        HttpResponse<String> post = server.send(HttpRequest.newBuilder(URI.create(server.url("/events")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Accept-Language", "cy").build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(server.json(post).get("type").asText()).endsWith("/methodNotAllowed");
        assertThat(server.json(post).get("title").asText()).startsWith("Ni chaniateir");
        // one-letter words are searchable
        assertThat(server.get("/resources?q=a").statusCode()).isEqualTo(200);
    }

    @Test
    void repeatedItemRequestsFromTheFastPathAreIdenticalAndNeverStale() throws Exception {
        String path = "/events/" + CARERS + "?lang=cy";
        HttpResponse<String> first = server.get(path, "Accept", "application/json");
        HttpResponse<String> second = server.get(path, "Accept", "application/json");
        assertThat(second.body()).isEqualTo(first.body());
        Map<String, List<String>> h1 = new java.util.TreeMap<>(first.headers().map());
        Map<String, List<String>> h2 = new java.util.TreeMap<>(second.headers().map());
        h1.remove("date");
        h2.remove("date");
        h1.remove("connection");
        h2.remove("connection");
        assertThat(h2).isEqualTo(h1);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> notModified = server.get(path, "Accept", "application/json", "If-None-Match", etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.headers().firstValue("ETag")).contains(etag);
        // JSON-LD is another cache entry, not the JSON one
        assertThat(server.get("/events/" + CARERS + "?lang=cy", "Accept", "application/ld+json").body()).contains("\"@context\"");
        // an edit is visible at once, through the same URL
        Item item = server.withSession((s, svc) -> svc.read(s, "event", CARERS));
        server.withSession((s, svc) -> svc.update(s, "event", CARERS, item.revision(), Map.of("series", "Fast path check"), "editor"));
        try {
            HttpResponse<String> after = server.get(path, "Accept", "application/json", "If-None-Match", etag);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(server.json(after).get("series").asText()).isEqualTo("Fast path check");
        } finally {
            Map<String, Object> undo = new java.util.HashMap<>();
            undo.put("series", null);
            server.withSession((s, svc) -> svc.update(s, "event", CARERS, item.revision() + 1, undo, "editor"));
        }
    }

    @Test
    void aForgedHostHeaderCannotPoisonTheCache() throws Exception {
        // java.net.http does not let a test set Host, so send the request by hand
        String answer = server.raw("GET /.rest/exchange/v1/events/" + SECURE + "?jsonLd=true HTTP/1.1\r\nHost: evil.example\r\n").text();
        assertThat(answer).startsWith("HTTP/1.1 421").doesNotContain("evil.example/"); // not a host this server answers for
        String normal = server.get("/events/" + SECURE + "?jsonLd=true").body();
        assertThat(normal).doesNotContain("evil.example");
    }
}
