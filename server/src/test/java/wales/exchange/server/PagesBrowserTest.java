package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Every public page in real headless Chromium, in both languages (docs/pages.md): axe-core finds no WCAG 2.2 AA
 * violation, nothing is loaded from anywhere but the server, the layout reflows at 320 px and at 200% zoom, the
 * language switch keeps the page, and an English-only item on a Welsh page says so in Welsh. Page weight and time to
 * first render of each page go to {@code target/page-metrics.md} (and docs/pages.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PagesBrowserTest {
    @RegisterExtension
    static final Browser browser = new Browser("--in-memory", "--rate-limit=1000000");
    /** A demo resource (LACE report) and the items this class adds. */
    static final String LACE = "af2ce5a9-14a9-424f-88d8-cd70f13f12e0";
    static String englishOnly;
    static String rescheduled;

    static List<String> pages() {
        return List.of("/", "/events", "/library", "/library?q=care&kind=report", "/library/" + LACE, "/contribute",
                "/contribute?errors=title,contributorEmail,consentToPublish", "/submitted?ref=EX-ABCD123456&token=s1.0.x",
                "/status?token=s1.00000000-0000-0000-0000-000000000000.abc", "/moderation", "/no-such-page");
    }

    @BeforeAll
    static void content() throws Exception {
        englishOnly = browser.server.withSession((s, svc) -> svc.create(s, "resource", Map.of(
                "title", Map.of("en", "Only in English: a guide for designated teachers"),
                "summary", Map.of("en", "Written in English; no Welsh version yet."), "kind", "report",
                "moderationState", "published"), "editor").id());
        rescheduled = browser.server.withSession((s, svc) -> svc.create(s, "event", Map.of(
                "title", Map.of("en", "Care and education conference", "cy", "Cynhadledd gofal ac addysg"),
                "startDate", "2031-03-12T10:00", "previousStartDate", "2031-02-05T10:00", "status", "rescheduled",
                "registrationLink", "https://www.example.org/register", "recordingLink", "https://www.example.org/recording",
                "moderationState", "published"), "editor").id());
        browser.server.withSession((s, svc) -> svc.create(s, "event", Map.of("title", Map.of("en", "Summer seminar", "cy", "Seminar yr haf"),
                "startDate", "2031-07-01T10:00", "moderationState", "published"), "editor").id());
    }

    static String welsh(String page) {
        return page.equals("/") ? "/cy/" : "/cy" + page;
    }

    @Test
    @Order(1)
    void everyPageInBothLanguagesHasNoAxeViolationAndLoadsNothingFromElsewhere() throws Exception {
        Map<String, Map<String, Object>> figures = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String page : pages()) {
            for (String path : List.of(page, welsh(page))) {
                browser.open(path);
                List<String> violations = browser.axeViolations();
                if (!violations.isEmpty()) {
                    problems.add(path + ": " + violations);
                }
                List<String> foreign = browser.foreignRequests();
                if (!foreign.isEmpty()) {
                    problems.add(path + ": requests elsewhere " + foreign);
                }
                String lang = browser.driver().findElement(By.tagName("html")).getAttribute("lang");
                if (!lang.equals(path.startsWith("/cy") ? "cy" : "en")) {
                    problems.add(path + ": <html lang=" + lang + ">");
                }
                figures.put(path, browser.metrics());
                if (path.matches("(/cy)?/(events|contribute)")) {
                    browser.screenshot(path.replace("/", "-").substring(1));
                }
            }
        }
        writeFigures(figures);
        assertThat(problems).isEmpty();
    }

    @Test
    @Order(2)
    void theLayoutReflowsAt320PixelsAndAt200PercentZoom() {
        try {
            // 320 CSS px is WCAG 1.4.10's width; 640 px is a 1280 px window at 200% zoom
            for (int width : new int[] {320, 640}) {
                browser.resize(width, 800);
                for (String path : List.of("/", "/cy/events", "/library", "/cy/contribute", "/library/" + LACE)) {
                    browser.open(path);
                    Number scroll = (Number) browser.js("return document.documentElement.scrollWidth;");
                    Number inner = (Number) browser.js("return document.documentElement.clientWidth;");
                    assertThat(scroll.intValue()).as(path + " at " + width + " px: no horizontal scrolling").isLessThanOrEqualTo(inner.intValue());
                }
            }
        } finally {
            browser.resize(1280, 900);
        }
    }

    @Test
    @Order(3)
    void theLanguageSwitchKeepsTheReaderOnTheSamePage() {
        browser.open("/library?q=care");
        browser.driver().findElement(By.id("lang-switch")).click();
        browser.waitReady();
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(browser.base() + "/cy/library?q=care");
        assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Llyfrgell");
        assertThat(browser.driver().findElement(By.id("q")).getAttribute("value")).isEqualTo("care");
        browser.driver().findElement(By.id("lang-switch")).click();
        browser.waitReady();
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(browser.base() + "/library?q=care");
    }

    @Test
    @Order(4)
    void anEnglishOnlyItemOnAWelshPageSaysSoInWelsh() {
        browser.open("/cy/library/" + englishOnly);
        WebElement title = browser.driver().findElement(By.cssSelector("#item h1"));
        assertThat(title.getText()).isEqualTo("Only in English: a guide for designated teachers");
        assertThat(title.getAttribute("lang")).isEqualTo("en");
        assertThat(browser.driver().findElement(By.cssSelector("#item .fallback")).getText())
                .isEqualTo("Ddim ar gael yn Gymraeg eto: yn cael ei ddangos yn Saesneg.");
        // in the list too
        browser.open("/cy/library");
        WebElement card = browser.driver().findElement(By.xpath("//a[@href='/cy/library/" + englishOnly + "']/ancestor::li"));
        assertThat(card.findElement(By.tagName("h3")).getAttribute("lang")).isEqualTo("en");
        assertThat(card.findElement(By.className("fallback")).getText()).startsWith("Ddim ar gael yn Gymraeg");
        // the English page has nothing to say about it
        browser.open("/library/" + englishOnly);
        assertThat(browser.driver().findElements(By.cssSelector("#item .fallback"))).isEmpty();
    }

    @Test
    @Order(5)
    void eventsShowTheirStatusThePreviousDateInLondonTimeAndTheirLinks() {
        browser.open("/cy/events");
        WebElement card = browser.driver().findElement(By.xpath("//h3[text()='Cynhadledd gofal ac addysg']/ancestor::li"));
        assertThat(card.findElement(By.className("badge")).getText()).isEqualTo("Wedi’i aildrefnu");
        assertThat(card.findElement(By.cssSelector("del time")).getAttribute("datetime")).isEqualTo("2031-02-05T10:00:00+00:00");
        assertThat(card.findElement(By.cssSelector("p.meta time")).getText()).isEqualTo("dydd Mercher 12 Mawrth 2031 am 10:00");
        assertThat(card.findElement(By.linkText("Cofrestru")).getAttribute("href")).isEqualTo("https://www.example.org/register");
        assertThat(card.findElement(By.linkText("Gwylio’r recordiad")).getAttribute("href")).isEqualTo("https://www.example.org/recording");
        assertThat(card.findElement(By.partialLinkText(".ics")).getAttribute("href"))
                .isEqualTo(browser.base() + "/.rest/exchange/v1/events/" + rescheduled + ".ics?lang=cy");
        // past events: the demo's, with the postponed one badged
        List<WebElement> past = browser.driver().findElements(By.cssSelector("[data-list=past-events] li"));
        assertThat(past).hasSizeGreaterThanOrEqualTo(3);
        assertThat(browser.driver().findElements(By.cssSelector("[data-list=past-events] .badge.postponed"))).isNotEmpty();
        // an event without a date says so (never 1 January 1970)
        assertThat(browser.driver().findElement(By.tagName("main")).getText()).doesNotContain("1970").contains("Dyddiad i’w gadarnhau");
        // summer time: 10:00 in London is 09:00 UTC
        browser.open("/events");
        assertThat(browser.driver().findElement(By.xpath("//h3[text()='Summer seminar']/ancestor::li//p[@class='meta']/time")).getText())
                .isEqualTo("Tuesday 1 July 2031, 10:00");
    }

    @Test
    @Order(6)
    void theHomePageShowsUpcomingEventsNewestResourcesAndTheFiveCategories() {
        browser.open("/");
        assertThat(browser.driver().findElements(By.cssSelector("[data-list=upcoming-events] h3"))).extracting(WebElement::getText)
                .hasSizeLessThanOrEqualTo(3).contains("Care and education conference");
        assertThat(browser.driver().findElements(By.cssSelector("[data-list=newest-resources] li"))).hasSize(3);
        wales.exchange.i18n.Messages m = new wales.exchange.i18n.Messages();
        List<String> five = List.of("academic-literature", "policy-report", "best-practice-example", "training-material", "other");
        assertThat(browser.driver().findElements(By.cssSelector(".categories li"))).extracting(WebElement::getText)
                .containsExactlyElementsOf(five.stream().map(c -> m.get(wales.exchange.i18n.Lang.EN, "exchange.option." + c)).toList());
        browser.open("/cy/");
        assertThat(browser.driver().findElements(By.cssSelector(".categories li"))).extracting(WebElement::getText)
                .containsExactlyElementsOf(five.stream().map(c -> m.get(wales.exchange.i18n.Lang.CY, "exchange.option." + c)).toList());
    }

    private static void writeFigures(Map<String, Map<String, Object>> figures) throws IOException {
        StringBuilder b = new StringBuilder("| Page | Requests | Transferred (bytes) | Decoded (bytes) | Time to first byte (ms) | First contentful paint (ms) |\n|---|---|---|---|---|---|\n");
        figures.forEach((path, m) -> b.append("| `").append(path).append("` | ").append(m.get("requests")).append(" | ")
                .append(m.get("transfer")).append(" | ").append(m.get("decoded")).append(" | ").append(m.get("ttfb")).append(" | ")
                .append(m.get("fcp")).append(" |\n"));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/page-metrics.md"), b);
        System.out.println("page metrics (headless Chromium, loopback):\n" + b);
    }
}
