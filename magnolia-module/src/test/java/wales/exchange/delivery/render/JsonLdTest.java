package wales.exchange.delivery.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import wales.exchange.content.Item;
import wales.exchange.content.TestItems;
import wales.exchange.i18n.Lang;

class JsonLdTest {
    private static final String URL = "https://www.exchangewales.org/events/secure-accommodation";
    private static final String ORG = "ExChange Wales (CASCADE, Cardiff University)";

    private static Item item(String type, String id, Map<String, Object> values) {
        return TestItems.item(type, id, 3, values);
    }

    private static Map<String, Object> event() {
        Map<String, Object> v = TestItems.webinar();
        v.put("attendanceMode", "online");
        v.put("onlineLink", "https://zoom.us/j/1");
        v.put("registrationLink", "https://www.eventbrite.co.uk/e/123");
        return v;
    }

    private static Map<String, Object> ld(Map<String, Object> values, Lang lang) {
        Map<String, Object> out = JsonLd.of(item("event", "e1", values), lang, URL, id -> null);
        assertNoEmpties(out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    /** No null values, blank strings, empty lists or empty objects anywhere. */
    private static void assertNoEmpties(Object o) {
        if (o instanceof Map<?, ?> m) {
            assertThat(m).isNotEmpty();
            m.forEach((k, v) -> {
                assertThat(v).as("value of %s", k).isNotNull();
                assertNoEmpties(v);
            });
        } else if (o instanceof Collection<?> c) {
            assertThat(c).isNotEmpty();
            c.forEach(e -> {
                assertThat(e).isNotNull();
                assertNoEmpties(e);
            });
        } else if (o instanceof String s) {
            assertThat(s).isNotBlank();
        }
    }

    @Test
    void eventBasics() {
        Map<String, Object> out = ld(event(), Lang.EN);
        assertThat(out).isInstanceOf(LinkedHashMap.class);
        assertThat(out.keySet()).startsWith("@context", "@type");
        assertThat(out).containsEntry("@context", "https://schema.org").containsEntry("@type", "Event")
                .containsEntry("name", "Webinar: Use of secure accommodation")
                .containsEntry("description", "A free webinar.")
                .containsEntry("inLanguage", "en")
                .containsEntry("eventStatus", "https://schema.org/EventScheduled")
                .containsEntry("url", URL);
    }

    @Test
    void bstDatesCarryTheOffsetAndSeconds() {
        Map<String, Object> out = ld(event(), Lang.EN);
        assertThat(out).containsEntry("startDate", "2020-09-09T11:30:00+01:00").containsEntry("endDate", "2020-09-09T13:00:00+01:00");
        Map<String, Object> v = event();
        v.put("startDate", OffsetDateTime.parse("2020-09-09T10:30Z"));
        assertThat(ld(v, Lang.EN)).containsEntry("startDate", "2020-09-09T11:30:00+01:00");
    }

    @Test
    void gmtDatesCarryAZeroOffset() {
        Map<String, Object> v = event();
        v.put("startDate", OffsetDateTime.parse("2021-02-10T11:00Z"));
        v.put("endDate", OffsetDateTime.parse("2021-02-10T12:00:00.123+00:00"));
        assertThat(ld(v, Lang.EN)).containsEntry("startDate", "2021-02-10T11:00:00+00:00")
                .containsEntry("endDate", "2021-02-10T12:00:00+00:00");
    }

    @Test
    void allDayEventsUseTheLondonDate() {
        Map<String, Object> v = event();
        v.put("allDay", true);
        v.put("startDate", OffsetDateTime.parse("2020-04-30T00:00:00+01:00"));
        v.remove("endDate");
        assertThat(ld(v, Lang.EN)).containsEntry("startDate", "2020-04-30").doesNotContainKey("endDate");
    }

    @ParameterizedTest
    @CsvSource({"scheduled,EventScheduled", "postponed,EventPostponed", "rescheduled,EventRescheduled",
            "cancelled,EventCancelled", "moved-online,EventMovedOnline"})
    void eventStatusMapping(String status, String expected) {
        Map<String, Object> v = event();
        v.put("status", status);
        assertThat(ld(v, Lang.EN)).containsEntry("eventStatus", "https://schema.org/" + expected);
    }

    @Test
    void postponedKeepsPreviousStartDate() {
        Map<String, Object> v = event();
        v.put("status", "postponed");
        v.put("previousStartDate", OffsetDateTime.parse("2020-03-26T10:00:00Z"));
        Map<String, Object> out = ld(v, Lang.EN);
        assertThat(out).containsEntry("eventStatus", "https://schema.org/EventPostponed")
                .containsEntry("previousStartDate", "2020-03-26T10:00:00+00:00")
                .containsEntry("startDate", "2020-09-09T11:30:00+01:00");
        assertThat(ld(event(), Lang.EN)).doesNotContainKey("previousStartDate");
    }

    @Test
    void onlineEventHasAVirtualLocation() {
        Map<String, Object> out = ld(event(), Lang.EN);
        assertThat(out).containsEntry("eventAttendanceMode", "https://schema.org/OnlineEventAttendanceMode");
        assertThat(map(out.get("location"))).isEqualTo(Map.of("@type", "VirtualLocation", "url", "https://zoom.us/j/1"));

        Map<String, Object> v = event();
        v.remove("onlineLink");
        assertThat(map(ld(v, Lang.EN).get("location"))).containsEntry("url", "https://www.eventbrite.co.uk/e/123");
    }

    @Test
    void inPersonEventHasAPlace() {
        Map<String, Object> v = event();
        v.put("attendanceMode", "in-person");
        v.put("venue", Map.of("en", "Glamorgan Building, Cardiff", "cy", "Adeilad Morgannwg, Caerdydd"));
        Map<String, Object> out = ld(v, Lang.CY);
        assertThat(out).containsEntry("eventAttendanceMode", "https://schema.org/OfflineEventAttendanceMode");
        assertThat(map(out.get("location"))).containsEntry("@type", "Place").containsEntry("name", "Adeilad Morgannwg, Caerdydd");
    }

    @Test
    void mixedAttendanceHasBothLocations() {
        Map<String, Object> v = event();
        v.put("attendanceMode", "mixed");
        v.put("venue", Map.of("en", "Glamorgan Building, Cardiff"));
        Map<String, Object> out = ld(v, Lang.EN);
        assertThat(out).containsEntry("eventAttendanceMode", "https://schema.org/MixedEventAttendanceMode");
        List<Object> locations = list(out.get("location"));
        assertThat(locations).hasSize(2);
        assertThat(map(locations.get(0))).containsEntry("@type", "Place").containsEntry("name", "Glamorgan Building, Cardiff");
        assertThat(map(locations.get(1))).containsEntry("@type", "VirtualLocation").containsEntry("url", "https://zoom.us/j/1");
    }

    @Test
    void movedOnlineIsOnlineAttendance() {
        Map<String, Object> v = event();
        v.put("status", "moved-online");
        v.put("attendanceMode", "in-person");
        v.put("venue", Map.of("en", "Cardiff"));
        Map<String, Object> out = ld(v, Lang.EN);
        assertThat(out).containsEntry("eventAttendanceMode", "https://schema.org/OnlineEventAttendanceMode");
        assertThat(map(out.get("location"))).containsEntry("@type", "VirtualLocation");
    }

    @Test
    void attendanceModeIsInferredWhenUnset() {
        Map<String, Object> v = event();
        v.remove("attendanceMode");
        v.put("venue", Map.of("en", "Cardiff"));
        assertThat(ld(v, Lang.EN)).containsEntry("eventAttendanceMode", "https://schema.org/MixedEventAttendanceMode");
        v.remove("onlineLink");
        v.remove("venue");
        v.remove("registrationLink");
        assertThat(ld(v, Lang.EN)).doesNotContainKeys("eventAttendanceMode", "location");
    }

    @Test
    void welshRequestFallsBackToEnglishForMissingValues() {
        Map<String, Object> v = event();
        v.put("title", Map.of("en", "Only English title"));
        Map<String, Object> out = ld(v, Lang.CY);
        assertThat(out).containsEntry("name", "Only English title")
                .containsEntry("description", "Gweminar am ddim.")
                .containsEntry("inLanguage", "cy");
        assertThat(ld(event(), Lang.CY)).containsEntry("name", "Gweminar: Defnyddio llety diogel");
    }

    @Test
    void inLanguageListsTheEventsLanguages() {
        Map<String, Object> v = event();
        v.put("languages", List.of("en", "cy"));
        assertThat(list(ld(v, Lang.CY).get("inLanguage"))).containsExactly("en", "cy");
    }

    @Test
    void descriptionFallsBackToPlainTextOfTheRichDescription() {
        Map<String, Object> v = event();
        v.remove("summary");
        v.put("description", Map.of("en", "<p>Family carers &amp; <b>young</b> carers.</p>"));
        assertThat(ld(v, Lang.EN)).containsEntry("description", "Family carers & young carers.");
    }

    @Test
    void speakersArePerformersWithAffiliations() {
        Map<String, Object> v = event();
        v.put("speakers", List.of(
                Map.of("name", "Jen Lyttleton-Smith", "affiliation", Map.of("en", "Cardiff University", "cy", "Prifysgol Caerdydd"), "role", "presenter"),
                Map.of("name", "Faaiza Bashir", "role", "chair")));
        List<Object> performers = list(ld(v, Lang.CY).get("performer"));
        assertThat(performers).hasSize(2);
        Map<String, Object> first = map(performers.get(0));
        assertThat(first).containsEntry("@type", "Person").containsEntry("name", "Jen Lyttleton-Smith");
        assertThat(map(first.get("affiliation"))).containsEntry("@type", "Organization").containsEntry("name", "Prifysgol Caerdydd");
        assertThat(map(performers.get(1))).containsEntry("name", "Faaiza Bashir").doesNotContainKey("affiliation");
        assertThat(ld(event(), Lang.EN)).doesNotContainKey("performer");
    }

    @Test
    void organizerDefaultsToExChange() {
        Map<String, Object> organizer = map(ld(event(), Lang.EN).get("organizer"));
        assertThat(organizer).containsEntry("@type", "Organization").containsEntry("name", ORG)
                .containsEntry("url", "https://www.exchangewales.org");
        Map<String, Object> v = event();
        v.put("organizer", "Social Care Wales");
        assertThat(map(ld(v, Lang.EN).get("organizer"))).containsEntry("name", "Social Care Wales");
    }

    @Test
    void freeRegistrationIsAZeroPriceOffer() {
        Map<String, Object> out = ld(event(), Lang.EN);
        assertThat(map(out.get("offers"))).containsEntry("@type", "Offer")
                .containsEntry("url", "https://www.eventbrite.co.uk/e/123").containsEntry("price", 0)
                .containsEntry("priceCurrency", "GBP").containsEntry("availability", "https://schema.org/InStock");
        assertThat(out).containsEntry("isAccessibleForFree", true);
    }

    @Test
    void paidEventHasNoZeroPrice() {
        Map<String, Object> v = event();
        v.put("free", false);
        Map<String, Object> out = ld(v, Lang.EN);
        assertThat(map(out.get("offers"))).doesNotContainKeys("price", "priceCurrency").containsEntry("url", "https://www.eventbrite.co.uk/e/123");
        assertThat(out).containsEntry("isAccessibleForFree", false);
        v.remove("registrationLink");
        assertThat(ld(v, Lang.EN)).doesNotContainKey("offers");
    }

    @Test
    void recordingIsAVideoObject() {
        Map<String, Object> v = event();
        v.put("recordingLink", "https://www.youtube.com/watch?v=abc");
        v.put("recordingCaptions", true);
        Map<String, Object> video = map(ld(v, Lang.CY).get("recordedIn"));
        assertThat(video).containsEntry("@type", "VideoObject").containsEntry("url", "https://www.youtube.com/watch?v=abc")
                .containsEntry("name", "Gweminar: Defnyddio llety diogel");
        assertThat(list(video.get("accessibilityFeature"))).containsExactly("captions");
        v.put("recordingCaptions", false);
        assertThat(map(ld(v, Lang.EN).get("recordedIn"))).doesNotContainKey("accessibilityFeature");
        assertThat(ld(event(), Lang.EN)).doesNotContainKey("recordedIn");
    }

    @Test
    void audiencesAndKeywords() {
        Map<String, Object> v = event();
        v.put("audiences", List.of("practitioner", "social-worker"));
        v.put("topics", List.of("secure accommodation", "youth justice"));
        Map<String, Object> out = ld(v, Lang.EN);
        assertThat(list(out.get("audience"))).containsExactly(
                Map.of("@type", "Audience", "audienceType", "practitioner"),
                Map.of("@type", "Audience", "audienceType", "social-worker"));
        assertThat(list(out.get("keywords"))).containsExactly("secure accommodation", "youth justice");
        assertThat(ld(event(), Lang.EN)).doesNotContainKeys("audience", "keywords");
    }

    @Test
    void serialisesWithJackson() throws Exception {
        Map<String, Object> v = event();
        v.put("speakers", List.of(Map.of("name", "A", "affiliation", Map.of("en", "B"))));
        String json = new ObjectMapper().writeValueAsString(ld(v, Lang.EN));
        assertThat(json).startsWith("{\"@context\":\"https://schema.org\",\"@type\":\"Event\"")
                .contains("\"price\":0").contains("\"startDate\":\"2020-09-09T11:30:00+01:00\"").doesNotContain("null");
    }

    // ---------------------------------------------------------------- resources

    private static Map<String, Object> resource() {
        Map<String, Object> v = new HashMap<>();
        v.put("title", Map.of("en", "Young carers in Wales", "cy", "Gofalwyr ifanc yng Nghymru"));
        v.put("summary", Map.of("en", "A review."));
        v.put("kind", "academic-literature");
        v.put("authors", List.of("Lyttleton-Smith, J.", "Janes, E."));
        v.put("publisher", "Cardiff University");
        v.put("publicationDate", OffsetDateTime.parse("2019-06-01T00:00:00+01:00"));
        v.put("licence", "CC BY 4.0");
        v.put("doi", "10.1093/bjsw/bcz123");
        v.put("audiences", List.of("researcher"));
        v.put("topics", List.of("young carers"));
        v.put("link", "https://orca.cardiff.ac.uk/123/");
        return v;
    }

    @Test
    void resourceIsALearningResource() {
        Map<String, Object> out = JsonLd.of(item("resource", "r1", resource()), Lang.CY, "https://x/r1", null);
        assertNoEmpties(out);
        assertThat(out).containsEntry("@context", "https://schema.org").containsEntry("@type", "LearningResource")
                .containsEntry("name", "Gofalwyr ifanc yng Nghymru")
                .containsEntry("description", "A review.")
                .containsEntry("learningResourceType", "academic-literature")
                .containsEntry("inLanguage", "cy")
                .containsEntry("datePublished", "2019-06-01")
                .containsEntry("license", "CC BY 4.0")
                .containsEntry("url", "https://orca.cardiff.ac.uk/123/")
                .containsEntry("sameAs", "https://doi.org/10.1093/bjsw/bcz123");
        assertThat(list(out.get("author"))).containsExactly(Map.of("@type", "Person", "name", "Lyttleton-Smith, J."),
                Map.of("@type", "Person", "name", "Janes, E."));
        assertThat(map(out.get("publisher"))).containsEntry("@type", "Organization").containsEntry("name", "Cardiff University");
        assertThat(list(out.get("audience"))).containsExactly(Map.of("@type", "Audience", "audienceType", "researcher"));
        assertThat(list(out.get("keywords"))).containsExactly("young carers");
    }

    @Test
    void resourceOriginalLanguageAndItemUrlFallback() {
        Map<String, Object> v = resource();
        v.put("originalLanguage", "en");
        v.remove("link");
        v.put("doi", "https://doi.org/10.1/abc");
        Map<String, Object> out = JsonLd.of(item("resource", "r1", v), Lang.CY, "https://x/r1", null);
        assertThat(out).containsEntry("inLanguage", "en").containsEntry("url", "https://x/r1")
                .containsEntry("sameAs", "https://doi.org/10.1/abc");
    }

    @Test
    void minimalResourceHasNoEmptyValues() {
        Map<String, Object> v = new HashMap<>();
        v.put("title", Map.of("en", "Film"));
        v.put("kind", "film");
        v.put("authors", List.of());
        v.put("summary", Map.of("en", "  "));
        Map<String, Object> out = JsonLd.of(item("resource", "r2", v), Lang.EN, null, null);
        assertNoEmpties(out);
        assertThat(out.keySet()).containsExactly("@context", "@type", "name", "learningResourceType", "inLanguage");
    }

    @Test
    void doiForms() {
        assertThat(JsonLd.doiUrl("10.1/x")).isEqualTo("https://doi.org/10.1/x");
        assertThat(JsonLd.doiUrl("doi:10.1/x")).isEqualTo("https://doi.org/10.1/x");
        assertThat(JsonLd.doiUrl("https://dx.doi.org/10.1/x")).isEqualTo("https://doi.org/10.1/x");
        assertThat(JsonLd.doiUrl(null)).isNull();
    }

    // ---------------------------------------------------------------- case studies

    @Test
    void caseStudyIsAnArticleCitingResolvedResources() {
        Map<String, Object> v = new HashMap<>();
        v.put("title", Map.of("en", "Family group conferencing in Gwynedd"));
        v.put("summary", Map.of("en", "What was done.", "cy", "Beth a wnaed."));
        v.put("organisation", "Cyngor Gwynedd");
        v.put("region", "North Wales");
        v.put("audiences", List.of("social-worker"));
        v.put("topics", List.of("family group conferencing"));
        v.put("relatedResources", List.of("r1", "missing", "r2"));
        Map<String, Item> store = new HashMap<>();
        store.put("r1", item("resource", "r1", resource()));
        Map<String, Object> r2 = new HashMap<>();
        r2.put("title", Map.of("cy", "Adroddiad"));
        store.put("r2", item("resource", "r2", r2));
        Function<String, Item> resolve = store::get;

        Map<String, Object> out = JsonLd.of(item("caseStudy", "c1", v), Lang.CY, "https://x/c1", resolve);
        assertNoEmpties(out);
        assertThat(out).containsEntry("@type", "Article")
                .containsEntry("name", "Family group conferencing in Gwynedd")
                .containsEntry("headline", "Family group conferencing in Gwynedd")
                .containsEntry("description", "Beth a wnaed.")
                .containsEntry("url", "https://x/c1");
        assertThat(map(out.get("about"))).containsEntry("@type", "Organization").containsEntry("name", "Cyngor Gwynedd");
        assertThat(map(out.get("spatialCoverage"))).containsEntry("name", "North Wales");
        assertThat(list(out.get("audience"))).containsExactly(Map.of("@type", "Audience", "audienceType", "social-worker"));
        assertThat(list(out.get("keywords"))).containsExactly("family group conferencing");
        List<Object> cited = list(out.get("citation"));
        assertThat(cited).hasSize(2);
        assertThat(map(cited.get(0))).containsEntry("@type", "LearningResource").containsEntry("name", "Gofalwyr ifanc yng Nghymru")
                .containsEntry("url", "https://orca.cardiff.ac.uk/123/").containsEntry("sameAs", "https://doi.org/10.1093/bjsw/bcz123");
        assertThat(map(cited.get(1))).containsEntry("name", "Adroddiad");
    }

    @Test
    void caseStudyWithoutResolverOrResolvableResourcesHasNoCitation() {
        Map<String, Object> v = new HashMap<>();
        v.put("title", Map.of("cy", "Astudiaeth achos"));
        v.put("relatedResources", List.of("r9"));
        Map<String, Object> none = JsonLd.of(item("caseStudy", "c2", v), Lang.EN, "https://x/c2", null);
        Map<String, Object> unresolved = JsonLd.of(item("caseStudy", "c2", v), Lang.EN, "https://x/c2", id -> null);
        assertNoEmpties(none);
        assertNoEmpties(unresolved);
        assertThat(none).doesNotContainKey("citation").containsEntry("name", "Astudiaeth achos").containsEntry("inLanguage", "cy");
        assertThat(unresolved).doesNotContainKey("citation");
    }
}
