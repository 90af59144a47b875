package wales.exchange.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import wales.exchange.content.Item;
import wales.exchange.content.TestItems;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;

class ICalendarWriterTest {
    private static final Instant STAMP = Instant.parse("2025-07-01T08:15:30Z");
    private static final String BASE = "https://www.exchangewales.org/events/";
    private static final String ID = "901f7a1b-20f9-458c-9172-3f92ad923f8f";

    private static Map<String, Object> values() {
        return TestItems.webinar();
    }

    private static Item item(String id, long revision, Map<String, Object> values) {
        return TestItems.item("event", id, revision, values);
    }

    private static Item item(Map<String, Object> values) {
        return item(ID, 1, values);
    }

    private static String one(Item e, Lang lang) {
        return ICalendarWriter.event(e, lang, "ExChange Wales events", BASE, STAMP);
    }

    /** Logical content lines: folds removed (RFC 5545 §3.1 unfolding). */
    private static List<String> unfold(String ics) {
        return Arrays.asList(ics.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n"));
    }

    private static List<String> props(String ics, String name) {
        List<String> out = new ArrayList<>();
        boolean inTimezone = false;
        for (String l : unfold(ics)) {
            // properties of the VTIMEZONE (its DTSTARTs) are not the event's
            if (l.equals("BEGIN:VTIMEZONE") || l.equals("END:VTIMEZONE")) {
                inTimezone = l.startsWith("BEGIN");
                continue;
            }
            if (!inTimezone && (l.startsWith(name + ":") || l.startsWith(name + ";"))) {
                out.add(l);
            }
        }
        return out;
    }

    private static String prop(String ics, String name) {
        List<String> p = props(ics, name);
        assertThat(p).as(name).hasSize(1);
        return p.get(0);
    }

    private static int count(String ics, String line) {
        return (int) unfold(ics).stream().filter(line::equals).count();
    }

    private static void assertWellFormed(String ics) {
        assertThat(ics).startsWith("BEGIN:VCALENDAR\r\n").endsWith("END:VCALENDAR\r\n");
        // every line break is CRLF
        assertThat(ics.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        byte[] bytes = ics.getBytes(StandardCharsets.UTF_8);
        int lineStart = 0;
        for (int i = 0; i < bytes.length - 1; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                byte[] physical = Arrays.copyOfRange(bytes, lineStart, i);
                assertThat(physical.length).as("octets of line %s", new String(physical, StandardCharsets.UTF_8))
                        .isLessThanOrEqualTo(75);
                // each physical line on its own is valid UTF-8: no multi-byte sequence was split by a fold
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(physical));
                } catch (CharacterCodingException e) {
                    throw new AssertionError("fold split a UTF-8 sequence in line starting at octet " + lineStart, e);
                }
                lineStart = i + 2;
                i++;
            }
        }
        assertThat(lineStart).isEqualTo(bytes.length);
        for (String component : List.of("VCALENDAR", "VTIMEZONE", "STANDARD", "DAYLIGHT", "VEVENT")) {
            assertThat(count(ics, "BEGIN:" + component)).as(component).isEqualTo(count(ics, "END:" + component));
        }
    }

    @Test
    void calendarHeaderCarriesProdidVersionNameAndRefresh() {
        String ics = ICalendarWriter.calendar(List.of(item(values())), Lang.EN, "ExChange Wales events", BASE, STAMP);
        assertWellFormed(ics);
        List<String> lines = unfold(ics);
        assertThat(lines.subList(0, 5)).containsExactly("BEGIN:VCALENDAR", "PRODID:-//CASCADE Cardiff University//ExChange//EN",
                "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH");
        assertThat(lines).contains("NAME:ExChange Wales events", "X-WR-CALNAME:ExChange Wales events",
                "REFRESH-INTERVAL;VALUE=DURATION:PT6H");
    }

    @Test
    void calendarNameIsEscapedAndDefaultsToTheBundleName() {
        String named = ICalendarWriter.calendar(List.of(), Lang.EN, "Events, talks; more", BASE, STAMP);
        assertThat(prop(named, "NAME")).isEqualTo("NAME:Events\\, talks\\; more");
        String welsh = ICalendarWriter.calendar(List.of(), Lang.CY, null, BASE, STAMP);
        assertThat(prop(welsh, "X-WR-CALNAME")).isEqualTo("X-WR-CALNAME:Digwyddiadau ExChange Cymru");
    }

    @Test
    void exactlyOneEuropeLondonTimezoneWithEuRules() {
        Map<String, Object> second = values();
        second.put("startDate", OffsetDateTime.parse("2021-02-10T11:00:00Z"));
        second.remove("endDate");
        String ics = ICalendarWriter.calendar(List.of(item(values()), item("53e99420-3156-43ef-835f-3948f567cabd", 1, second)),
                Lang.EN, "x", BASE, STAMP);
        assertWellFormed(ics);
        assertThat(count(ics, "BEGIN:VEVENT")).isEqualTo(2);
        assertThat(count(ics, "BEGIN:VTIMEZONE")).isEqualTo(1);
        List<String> lines = unfold(ics);
        int begin = lines.indexOf("BEGIN:VTIMEZONE");
        int end = lines.indexOf("END:VTIMEZONE");
        assertThat(begin).isLessThan(lines.indexOf("BEGIN:VEVENT"));
        List<String> tz = lines.subList(begin, end + 1);
        assertThat(tz).contains("TZID:Europe/London");
        List<String> daylight = tz.subList(tz.indexOf("BEGIN:DAYLIGHT"), tz.indexOf("END:DAYLIGHT"));
        assertThat(daylight).contains("TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST", "DTSTART:19700329T010000",
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU");
        List<String> standard = tz.subList(tz.indexOf("BEGIN:STANDARD"), tz.indexOf("END:STANDARD"));
        // 02:00 BST = 01:00 UTC on the last Sunday of October
        assertThat(standard).contains("TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT", "DTSTART:19701025T020000",
                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU");
    }

    @Test
    void timezoneIsPresentEvenForAnEmptyCalendar() {
        String ics = ICalendarWriter.calendar(List.of(), Lang.EN, "x", BASE, STAMP);
        assertWellFormed(ics);
        assertThat(count(ics, "BEGIN:VTIMEZONE")).isEqualTo(1);
        assertThat(count(ics, "BEGIN:VEVENT")).isZero();
    }

    @Test
    void bstStartIsLocalLondonTime() {
        String ics = one(item(values()), Lang.EN);
        assertWellFormed(ics);
        assertThat(prop(ics, "DTSTART")).isEqualTo("DTSTART;TZID=Europe/London:20200909T113000");
        assertThat(prop(ics, "DTEND")).isEqualTo("DTEND;TZID=Europe/London:20200909T130000");
    }

    @Test
    void bstStartGivenInUtcIsStillRenderedAsLondonTime() {
        Map<String, Object> v = values();
        v.put("startDate", OffsetDateTime.parse("2020-09-09T10:30:00Z"));
        v.remove("endDate");
        String ics = one(item(v), Lang.EN);
        assertThat(prop(ics, "DTSTART")).isEqualTo("DTSTART;TZID=Europe/London:20200909T113000");
        assertThat(props(ics, "DTEND")).isEmpty();
    }

    @Test
    void gmtStartInFebruary() {
        Map<String, Object> v = values();
        v.put("startDate", OffsetDateTime.parse("2021-02-10T11:00:00Z"));
        v.put("endDate", OffsetDateTime.parse("2021-02-10T12:30:00+00:00"));
        String ics = one(item(v), Lang.EN);
        assertThat(prop(ics, "DTSTART")).isEqualTo("DTSTART;TZID=Europe/London:20210210T110000");
        assertThat(prop(ics, "DTEND")).isEqualTo("DTEND;TZID=Europe/London:20210210T123000");
    }

    @Test
    void endNotAfterStartIsLeftOut() {
        Map<String, Object> v = values();
        v.put("endDate", OffsetDateTime.parse("2020-09-09T10:00:00+01:00"));
        assertThat(props(one(item(v), Lang.EN), "DTEND")).isEmpty();
    }

    @Test
    void dtstampIsUtcAndUidIsStableAcrossCalls() {
        Item e = item(values());
        String first = one(e, Lang.EN);
        String later = ICalendarWriter.event(e, Lang.CY, "y", BASE, Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(prop(first, "UID")).isEqualTo("UID:" + ID + "@exchangewales.org").isEqualTo(prop(later, "UID"));
        assertThat(prop(first, "DTSTAMP")).isEqualTo("DTSTAMP:20250701T081530Z");
        assertThat(prop(later, "DTSTAMP")).isEqualTo("DTSTAMP:20260102T030405Z");
        // a later save (new revision) keeps the UID
        assertThat(prop(one(item(ID, 5, values()), Lang.EN), "UID")).isEqualTo(prop(first, "UID"));
    }

    @Test
    void lastModifiedIsUtc() {
        assertThat(prop(one(item(values()), Lang.EN), "LAST-MODIFIED")).isEqualTo("LAST-MODIFIED:20200820T144510Z");
    }

    @Test
    void eventsWithoutStartDateAreOmitted() {
        Map<String, Object> undated = values();
        undated.remove("startDate");
        String ics = ICalendarWriter.calendar(List.of(item("aaaaaaaa-0000-0000-0000-000000000001", 1, undated), item(values())),
                Lang.EN, "x", BASE, STAMP);
        assertWellFormed(ics);
        assertThat(count(ics, "BEGIN:VEVENT")).isEqualTo(1);
        assertThat(prop(ics, "UID")).isEqualTo("UID:" + ID + "@exchangewales.org");
        assertThat(count(one(item(undated), Lang.EN), "BEGIN:VEVENT")).isZero();
    }

    @Test
    void singleEventOutputHasOneVevent() {
        String ics = one(item(values()), Lang.EN);
        assertWellFormed(ics);
        assertThat(count(ics, "BEGIN:VEVENT")).isEqualTo(1);
        assertThat(ics).isEqualTo(ICalendarWriter.calendar(List.of(item(values())), Lang.EN, "ExChange Wales events", BASE, STAMP));
    }

    @Test
    void instanceWithExplicitMessagesGivesTheSameOutput() {
        ICalendarWriter writer = new ICalendarWriter(new Messages());
        assertThat(writer.writeEvent(item(values()), Lang.CY, "n", BASE, STAMP))
                .isEqualTo(ICalendarWriter.event(item(values()), Lang.CY, "n", BASE, STAMP));
    }

    @Test
    void welshTitleWithCircumflexesIsFoldedByOctetsAndUnfoldsExactly() {
        String head = "SUMMARY;LANGUAGE=cy:";
        // 74 ASCII octets, then ŵ (2 octets) straddles the 75-octet boundary
        String title = "Gweminar gofalwyr ifanc yng Nghymru: ".substring(0, 37) + "x".repeat(74 - head.length() - 37)
                + "ŵŷâ: tŷ, ŵyr a chân, gofal â chariad i bawb yng Nghymru — êîôû ŵŷâ êîôû ŵŷâ êîôû ŵŷâ êîôû";
        Map<String, Object> v = values();
        v.put("title", Map.of("en", "Young carers", "cy", title));
        String ics = one(item(v), Lang.CY);
        assertWellFormed(ics);

        String physical = Arrays.stream(ics.split("\r\n")).filter(l -> l.startsWith(head)).findFirst().orElseThrow();
        assertThat(physical.getBytes(StandardCharsets.UTF_8)).hasSize(74);
        int at = ics.indexOf(physical) + physical.length();
        assertThat(ics.substring(at)).startsWith("\r\n ŵŷâ");

        // unfolding the octets gives back the exact title (commas escaped)
        assertThat(prop(ics, "SUMMARY")).isEqualTo(head + title.replace(",", "\\,"));
        // a character-counting folder would have put 75 characters (over 75 octets) on the first line
        assertThat(title.length() + head.length()).isGreaterThan(75);
    }

    @Test
    void longWelshTextFoldsIntoLinesOfAtMost75Octets() {
        String welsh = "ŵŷâêîôû".repeat(40) + " 😀 emoji " + "ŷ".repeat(50);
        Map<String, Object> v = values();
        v.put("title", Map.of("cy", welsh));
        v.put("summary", Map.of("cy", welsh));
        String ics = one(item(v), Lang.CY);
        assertWellFormed(ics);
        assertThat(prop(ics, "SUMMARY")).isEqualTo("SUMMARY;LANGUAGE=cy:" + welsh);
        assertThat(prop(ics, "DESCRIPTION")).isEqualTo("DESCRIPTION;LANGUAGE=cy:" + welsh);
    }

    @Test
    void foldKeepsContinuationLinesWithinLimit() {
        String line = "DESCRIPTION:" + "a".repeat(300);
        String folded = ICalendarWriter.fold(line);
        String[] parts = folded.split("\r\n");
        assertThat(parts[0]).hasSize(75);
        for (int i = 1; i < parts.length; i++) {
            assertThat(parts[i]).startsWith(" ").hasSizeLessThanOrEqualTo(75);
        }
        assertThat(folded.replace("\r\n ", "")).isEqualTo(line + "\r\n");
        assertThat(ICalendarWriter.fold("SHORT:x")).isEqualTo("SHORT:x\r\n");
        assertThat(ICalendarWriter.fold("X:" + "a".repeat(73))).doesNotContain("\r\n ");
        assertThat(ICalendarWriter.fold("X:" + "a".repeat(74))).contains("\r\n a\r\n");
    }

    @Test
    void textIsEscaped() {
        assertThat(ICalendarWriter.escape("a;b,c\\d\ne\r\nf\rg")).isEqualTo("a\\;b\\,c\\\\d\\ne\\nf\\ng");
        assertThat(ICalendarWriter.escape("bell\u0007 tab\t")).isEqualTo("bell tab\t");
        Map<String, Object> v = values();
        v.put("title", Map.of("en", "Carers; families, and C:\\path\nnext line"));
        String ics = one(item(v), Lang.EN);
        assertWellFormed(ics);
        assertThat(prop(ics, "SUMMARY")).isEqualTo("SUMMARY;LANGUAGE=en:Carers\\; families\\, and C:\\\\path\\nnext line");
    }

    @Test
    void descriptionHasSummarySpeakersAndLinksWithoutHtml() {
        Map<String, Object> v = values();
        v.put("summary", Map.of("en", "<p>Hear about the <b>study</b> &amp; its findings.</p><p>Join us.</p>"));
        v.put("speakers", List.of(
                Map.of("name", "Jen Lyttleton-Smith", "affiliation", Map.of("en", "Cardiff University", "cy", "Prifysgol Caerdydd"), "role", "presenter"),
                Map.of("name", "Faaiza Bashir", "affiliation", Map.of("en", "Carer's Trust Wales"), "role", "chair"),
                Map.of("name", "Alyson Rees", "role", "presenter")));
        v.put("registrationLink", "https://www.eventbrite.co.uk/e/123");
        v.put("recordingLink", "https://www.youtube.com/watch?v=abc");
        String ics = one(item(v), Lang.EN);
        assertWellFormed(ics);
        assertThat(prop(ics, "DESCRIPTION")).isEqualTo("DESCRIPTION;LANGUAGE=en:Hear about the study & its findings.\\nJoin us.\\n\\n"
                + "Speakers: Jen Lyttleton-Smith (Cardiff University)\\, Faaiza Bashir (Carer's Trust Wales)\\, Alyson Rees\\n\\n"
                + "Register: https://www.eventbrite.co.uk/e/123\\n\\n"
                + "Recording: https://www.youtube.com/watch?v=abc");
        assertThat(ics).doesNotContain("<p>").doesNotContain("<b>");
    }

    @Test
    void welshDescriptionUsesWelshLabelsAndAffiliations() {
        Map<String, Object> v = values();
        v.put("speakers", List.of(Map.of("name", "Jen Lyttleton-Smith",
                "affiliation", Map.of("en", "Cardiff University", "cy", "Prifysgol Caerdydd"), "role", "presenter")));
        v.put("registrationLink", "https://example.org/r");
        v.put("recordingLink", "https://example.org/v");
        String ics = one(item(v), Lang.CY);
        assertThat(prop(ics, "SUMMARY")).isEqualTo("SUMMARY;LANGUAGE=cy:Gweminar: Defnyddio llety diogel");
        assertThat(prop(ics, "DESCRIPTION")).isEqualTo("DESCRIPTION;LANGUAGE=cy:Gweminar am ddim.\\n\\n"
                + "Siaradwyr: Jen Lyttleton-Smith (Prifysgol Caerdydd)\\n\\nCofrestru: https://example.org/r\\n\\n"
                + "Recordiad: https://example.org/v");
    }

    @Test
    void englishTextIsLabelledEnglish() {
        String ics = one(item(values()), Lang.EN);
        assertThat(prop(ics, "SUMMARY")).isEqualTo("SUMMARY;LANGUAGE=en:Webinar: Use of secure accommodation");
        assertThat(prop(ics, "DESCRIPTION")).isEqualTo("DESCRIPTION;LANGUAGE=en:A free webinar.");
        assertThat(ics).doesNotContain("LANGUAGE=cy");
    }

    @Test
    void missingWelshValueFallsBackToEnglishLabelledEn() {
        Map<String, Object> v = values();
        v.put("summary", Map.of("en", "A free webinar."));
        String ics = one(item(v), Lang.CY);
        assertThat(prop(ics, "SUMMARY")).isEqualTo("SUMMARY;LANGUAGE=cy:Gweminar: Defnyddio llety diogel");
        assertThat(prop(ics, "DESCRIPTION")).isEqualTo("DESCRIPTION;LANGUAGE=en:A free webinar.");

        v.put("title", Map.of("en", "Only English"));
        String ics2 = one(item(v), Lang.CY);
        assertThat(prop(ics2, "SUMMARY")).isEqualTo("SUMMARY;LANGUAGE=en:Only English");
        assertThat(ics2).doesNotContain("LANGUAGE=cy");
    }

    @Test
    void richDescriptionInTheRequestedLanguageBeatsAnotherLanguagesSummary() {
        Map<String, Object> v = values();
        v.put("summary", Map.of("en", "English summary"));
        v.put("description", Map.of("cy", "<p>Disgrifiad <em>llawn</em></p>"));
        assertThat(prop(one(item(v), Lang.CY), "DESCRIPTION")).isEqualTo("DESCRIPTION;LANGUAGE=cy:Disgrifiad llawn");
    }

    @ParameterizedTest
    @CsvSource({"scheduled,CONFIRMED", "rescheduled,CONFIRMED", "moved-online,CONFIRMED", "postponed,TENTATIVE",
            "cancelled,CANCELLED"})
    void statusMapping(String status, String expected) {
        Map<String, Object> v = values();
        v.put("status", status);
        assertThat(prop(one(item(v), Lang.EN), "STATUS")).isEqualTo("STATUS:" + expected);
    }

    @Test
    void missingStatusIsConfirmed() {
        Map<String, Object> v = values();
        v.remove("status");
        assertThat(prop(one(item(v), Lang.EN), "STATUS")).isEqualTo("STATUS:CONFIRMED");
    }

    @Test
    void postponedIsTentativeWithSequenceFromRevision() {
        Map<String, Object> v = values();
        v.put("status", "postponed");
        String ics = one(item(ID, 4, v), Lang.EN);
        assertThat(prop(ics, "STATUS")).isEqualTo("STATUS:TENTATIVE");
        assertThat(prop(ics, "SEQUENCE")).isEqualTo("SEQUENCE:3");
    }

    @Test
    void cancelledIsCancelledAndKept() {
        Map<String, Object> v = values();
        v.put("status", "cancelled");
        String ics = one(item(ID, 2, v), Lang.EN);
        assertThat(count(ics, "BEGIN:VEVENT")).isEqualTo(1);
        assertThat(prop(ics, "STATUS")).isEqualTo("STATUS:CANCELLED");
        assertThat(prop(ics, "SEQUENCE")).isEqualTo("SEQUENCE:1");
    }

    @Test
    void sequenceNeverNegative() {
        assertThat(prop(one(item(ID, 1, values()), Lang.EN), "SEQUENCE")).isEqualTo("SEQUENCE:0");
        assertThat(prop(one(item(ID, 0, values()), Lang.EN), "SEQUENCE")).isEqualTo("SEQUENCE:0");
    }

    @Test
    void allDayUsesDatesInLondon() {
        Map<String, Object> v = values();
        v.put("allDay", true);
        // midnight BST is 23:00 UTC the day before: the date must be London's
        v.put("startDate", OffsetDateTime.parse("2020-04-30T00:00:00+01:00"));
        v.remove("endDate");
        String ics = one(item(v), Lang.EN);
        assertWellFormed(ics);
        assertThat(prop(ics, "DTSTART")).isEqualTo("DTSTART;VALUE=DATE:20200430");
        assertThat(prop(ics, "DTEND")).isEqualTo("DTEND;VALUE=DATE:20200501");
        assertThat(ics).doesNotContain("DTSTART;TZID");

        v.put("endDate", OffsetDateTime.parse("2020-05-01T00:00:00+01:00"));
        assertThat(prop(one(item(v), Lang.EN), "DTEND")).isEqualTo("DTEND;VALUE=DATE:20200502");
    }

    @Test
    void urlLocationCategoriesAndConference() {
        Map<String, Object> v = values();
        v.put("attendanceMode", "online");
        v.put("onlineLink", "https://teams.microsoft.com/l/meetup-join/abc");
        v.put("venue", Map.of("en", "Glamorgan Building, Cardiff"));
        v.put("topics", List.of("secure accommodation", "youth justice", "welfare, lles"));
        String ics = one(item(v), Lang.EN);
        assertWellFormed(ics);
        assertThat(prop(ics, "URL")).isEqualTo("URL:" + BASE + ID);
        assertThat(prop(ics, "LOCATION")).isEqualTo("LOCATION:https://teams.microsoft.com/l/meetup-join/abc");
        assertThat(prop(ics, "CONFERENCE")).isEqualTo("CONFERENCE;VALUE=URI:https://teams.microsoft.com/l/meetup-join/abc");
        assertThat(prop(ics, "CATEGORIES")).isEqualTo("CATEGORIES:secure accommodation,youth justice,welfare\\, lles");
    }

    @Test
    void inPersonAndMixedUseTheVenue() {
        Map<String, Object> v = values();
        v.put("attendanceMode", "mixed");
        v.put("onlineLink", "https://zoom.us/j/1");
        v.put("venue", Map.of("en", "Glamorgan Building, Cardiff", "cy", "Adeilad Morgannwg, Caerdydd"));
        assertThat(prop(one(item(v), Lang.EN), "LOCATION")).isEqualTo("LOCATION;LANGUAGE=en:Glamorgan Building\\, Cardiff");
        assertThat(prop(one(item(v), Lang.CY), "LOCATION")).isEqualTo("LOCATION;LANGUAGE=cy:Adeilad Morgannwg\\, Caerdydd");
        v.put("attendanceMode", "in-person");
        v.remove("onlineLink");
        String ics = one(item(v), Lang.EN);
        assertThat(prop(ics, "LOCATION")).isEqualTo("LOCATION;LANGUAGE=en:Glamorgan Building\\, Cardiff");
        assertThat(props(ics, "CONFERENCE")).isEmpty();
    }

    @Test
    void movedOnlineUsesTheOnlineLinkAsLocation() {
        Map<String, Object> v = values();
        v.put("status", "moved-online");
        v.put("attendanceMode", "in-person");
        v.put("venue", Map.of("en", "Cardiff"));
        v.put("onlineLink", "https://zoom.us/j/2");
        assertThat(prop(one(item(v), Lang.EN), "LOCATION")).isEqualTo("LOCATION:https://zoom.us/j/2");
    }

    @Test
    void optionalPropertiesAreLeftOutWhenEmpty() {
        Map<String, Object> v = new HashMap<>();
        v.put("title", Map.of("en", "Bare"));
        v.put("startDate", OffsetDateTime.parse("2021-02-10T11:00:00Z"));
        Item bare = new Item("event", ID, "/events/x", "x", 1, null, null, null, null, v);
        String ics = ICalendarWriter.event(bare, Lang.EN, "x", null, STAMP);
        assertWellFormed(ics);
        for (String p : List.of("DESCRIPTION", "LOCATION", "URL", "CATEGORIES", "CONFERENCE", "LAST-MODIFIED", "DTEND")) {
            assertThat(props(ics, p)).as(p).isEmpty();
        }
        assertThat(unfold(ics)).contains("SUMMARY;LANGUAGE=en:Bare", "STATUS:CONFIRMED", "SEQUENCE:0");
    }

    @Test
    void plainTextStripsHtml() {
        assertThat(ICalendarWriter.plainText("<p>One &lt;two&gt;</p><ul><li>a</li><li>b &#x175;</li></ul><script>x()</script>end"))
                .isEqualTo("One <two>\n- a\n- b ŵ\nend");
        assertThat(ICalendarWriter.plainText("line<br/>break &nbsp; here")).isEqualTo("line\nbreak here");
        assertThat(ICalendarWriter.plainText(null)).isEmpty();
    }

    @Test
    void realisticFeedIsWellFormed() {
        Map<String, Object> v = values();
        v.put("description", Map.of("cy", "<p>Yn gynharach eleni, oherwydd y cyfnod clo, nid oedd modd i ni gynnal ein gweithdy; "
                + "bydd ExChange Wales yn cynnal gweminar am ddim yn ei le. Byddwn yn recordio'r weminar a bydd ar gael yn fuan ar ôl "
                + "y digwyddiad byw — â ê î ô û ŵ ŷ.</p>"));
        v.put("summary", Map.of("en", "Summary only in English"));
        v.put("speakers", List.of(Map.of("name", "Dr Alyson Rees", "affiliation", Map.of("cy", "Prifysgol Caerdydd"))));
        String ics = ICalendarWriter.calendar(List.of(item(v)), Lang.CY, "Digwyddiadau ExChange Cymru", BASE, STAMP);
        assertWellFormed(ics);
        Matcher m = Pattern.compile("DESCRIPTION;LANGUAGE=cy:Yn gynharach eleni\\\\, oherwydd").matcher(String.join("\n", unfold(ics)));
        assertThat(m.find()).isTrue();
    }
}
