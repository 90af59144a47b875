package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The library and an item page in real Chromium (docs/pages.md): facets with the API's counts filter the list, search
 * and paging keep their state in the address, and the item page's comment form ties errors to fields and reports the
 * reference of a sent comment.
 */
class LibraryBrowserTest {
    @RegisterExtension
    static final Browser browser = new Browser("--in-memory", "--rate-limit=1000000", "--intake-min-fill-seconds", "0");
    static final String LACE = "af2ce5a9-14a9-424f-88d8-cd70f13f12e0";

    static WebDriver d() {
        return browser.driver();
    }

    @BeforeAll
    static void moreResources() throws Exception {
        for (int i = 1; i <= 8; i++) {
            int n = i;
            browser.server.withSession((s, svc) -> svc.create(s, "resource", Map.of(
                    "title", Map.of("en", "Training pack " + n, "cy", "Pecyn hyfforddi " + n), "kind", "training-material",
                    "moderationState", "published"), "editor").id());
        }
    }

    static int results() {
        return Integer.parseInt(d().findElement(By.id("results-count")).getText().replaceAll("[^0-9]", ""));
    }

    @Test
    void facetsCountAndFilterSearchFindsAndPagesFollowOneAnother() {
        browser.open("/library");
        int all = results();
        assertThat(all).isGreaterThanOrEqualTo(14);
        assertThat(d().findElements(By.cssSelector("[data-list=library] li"))).hasSize(10);
        WebElement training = d().findElements(By.cssSelector("#facets label")).stream()
                .filter(l -> l.getText().startsWith("Training material")).findFirst().orElseThrow();
        int count = Integer.parseInt(training.getText().replaceAll(".*\\((\\d+)\\)$", "$1"));
        assertThat(count).isEqualTo(8);
        d().findElement(By.id(training.getAttribute("for"))).sendKeys(Keys.SPACE);
        d().findElement(By.cssSelector("#facets button[type=submit]")).sendKeys(Keys.ENTER);
        new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.urlContains("kind=training-material"));
        browser.waitReady();
        assertThat(results()).isEqualTo(count);

        // paging: 10 a page, the next page has the rest, and back
        browser.open("/library");
        d().findElement(By.linkText("Next page")).sendKeys(Keys.ENTER);
        new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.urlContains("offset=10"));
        browser.waitReady();
        assertThat(d().findElements(By.cssSelector("[data-list=library] li"))).hasSize(all - 10);
        assertThat(d().findElement(By.id("paging")).getText()).contains("Page 2 of 2");

        // search in Welsh
        browser.open("/cy/library");
        d().findElement(By.id("q")).sendKeys("pecyn", Keys.ENTER);
        new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.urlContains("q=pecyn"));
        browser.waitReady();
        assertThat(results()).isEqualTo(8);
        List<String> titles = d().findElements(By.cssSelector("[data-list=library] h3")).stream().map(WebElement::getText).toList();
        assertThat(titles).allMatch(t -> t.startsWith("Pecyn hyfforddi"));
    }

    @Test
    void theCommentFormTiesErrorsToFieldsAndReportsTheReference() {
        browser.open("/library/" + LACE);
        assertThat(d().findElement(By.cssSelector("#item h1")).getText()).startsWith("The LACE Project");
        assertThat(d().findElement(By.cssSelector("[data-list=comments]")).getText()).isEqualTo("No comments yet.");
        d().findElement(By.id("comment-submit")).sendKeys(Keys.ENTER);
        new WebDriverWait(d(), Browser.WAIT).until(x -> "true".equals(x.findElement(By.id("comment-displayName")).getAttribute("aria-invalid")));
        assertThat(d().findElement(By.id("comment-displayName")).getAttribute("aria-describedby")).isEqualTo("comment-displayName-error");
        assertThat(d().findElement(By.id("comment-displayName-error")).getText()).isEqualTo("This field is required.");
        assertThat(d().switchTo().activeElement().getAttribute("id")).isEqualTo("comment-displayName");

        d().findElement(By.id("comment-displayName")).sendKeys("Sam");
        d().findElement(By.id("comment-email")).sendKeys("sam.comment@example.org");
        d().findElement(By.id("comment-body")).sendKeys("We used this report in our training day.");
        d().findElement(By.id("comment-submit")).sendKeys(Keys.ENTER);
        WebElement ok = new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#comment-result .success")));
        assertThat(ok.getText()).contains("EX-");
        assertThat(d().findElement(By.id("comment-displayName")).getAttribute("aria-invalid")).isNull();
    }
}
