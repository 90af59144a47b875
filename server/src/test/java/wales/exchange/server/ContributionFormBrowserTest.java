package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.support.ui.Select;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The contribution form in real Chromium (docs/pages.md): operated with the keyboard only (Tab, arrows, Space, typing,
 * Enter: never a click), every focused control visibly focused; errors come back tied to their fields through the
 * error summary; the reference and the status link after sending, and the status page; and the same without
 * JavaScript (script execution off in the browser), with a file attached, and a form that comes back after an error
 * with what was typed (but the file).
 */
class ContributionFormBrowserTest {
    @RegisterExtension
    static final Browser browser = new Browser("--in-memory", "--rate-limit=1000000", "--intake-min-fill-seconds", "0",
            "--intake-secret", IntakeClient.SECRET);

    static WebDriver d() {
        return browser.driver();
    }

    static WebElement active() {
        return d().switchTo().activeElement();
    }

    static void keys(CharSequence... keys) {
        new Actions(d()).sendKeys(keys).perform();
    }

    /** Tabs forward until the element with {@code id} has focus (at most 40 stops), checking each stop shows its focus. */
    static void tabTo(String id) {
        for (int i = 0; i < 40; i++) {
            keys(Keys.TAB);
            WebElement a = active();
            String outline = a.getCssValue("outline-style");
            assertThat(outline).as("visible focus on " + a.getTagName() + "#" + a.getAttribute("id") + " " + a.getText()).isNotEqualTo("none");
            if (id.equals(a.getAttribute("id"))) {
                return;
            }
        }
        throw new AssertionError("no Tab stop reached #" + id);
    }

    @Test
    void aContributionIsSentWithTheKeyboardOnlyAndItsStatusFollowed() {
        browser.open("/cy/contribute");
        tabTo("category-academic-literature");
        keys(Keys.ARROW_DOWN); // radio group: the arrow moves and chooses
        assertThat(active().getAttribute("id")).isEqualTo("category-policy-report");
        assertThat(active().isSelected()).isTrue();
        keys(Keys.TAB);
        assertThat(active().getAttribute("id")).isEqualTo("title");
        keys("Ymateb i ymgynghoriad symud ysgol");
        keys(Keys.TAB, "Ein hymateb i’r ymgynghoriad, gyda’r hyn a ddysgwyd gan ofalwyr maeth.");
        keys(Keys.TAB, "https://www.example.org/ymateb");
        keys(Keys.TAB, "Rhian Jones");
        keys(Keys.TAB, "rhian.keyboard@example.org");
        keys(Keys.TAB); // role: left as it is
        assertThat(active().getAttribute("id")).isEqualTo("contributorRole");
        keys(Keys.TAB, "Cyngor Sir");
        keys(Keys.TAB);
        assertThat(active().getAttribute("id")).isEqualTo("preferredLanguage-cy"); // the page's language is preselected
        keys(Keys.TAB, Keys.SPACE);
        assertThat(active().getAttribute("id")).isEqualTo("consentToPublish");
        assertThat(active().isSelected()).isTrue();
        tabTo("submit"); // the honeypot is never a Tab stop
        keys(Keys.ENTER);

        new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.urlContains("/cy/submitted?"));
        browser.waitReady();
        assertThat(d().findElement(By.id("reference")).getText()).matches("EX-[A-Z0-9]+");
        assertThat(d().findElement(By.tagName("h1")).getText()).isEqualTo("Diolch");
        tabTo("status-link");
        keys(Keys.ENTER);
        new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.urlContains("/cy/status?token=s1."));
        browser.waitReady();
        assertThat(d().findElement(By.id("status-label")).getText()).isEqualTo("Wedi’i dderbyn");
    }

    @Test
    void errorsAreSummarisedAndTiedToTheirFieldsAndTheSummaryLeadsToThem() {
        browser.open("/contribute");
        tabTo("title");
        keys("Only a title");
        tabTo("submit");
        keys(Keys.ENTER);
        new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.urlContains("/contribute?errors="));
        browser.waitReady();
        // the summary has focus (the script moves it there) and lists each field in error
        assertThat(active().getAttribute("id")).isEqualTo("error-summary");
        assertThat(d().findElements(By.cssSelector("#error-summary li a"))).extracting(e -> e.getAttribute("hash"))
                .contains("#category-academic-literature", "#description", "#contributorName", "#contributorEmail", "#consentToPublish");
        WebElement email = d().findElement(By.id("contributorEmail"));
        assertThat(email.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(email.getAttribute("aria-describedby")).isEqualTo("contributorEmail-hint contributorEmail-error");
        assertThat(d().findElement(By.id("contributorEmail-error")).getText()).isEqualTo("Give a valid email address, like name@example.org.");
        // from the summary to the field, by keyboard
        keys(Keys.TAB);
        while (!"#contributorEmail".equals(active().getAttribute("hash"))) {
            assertThat(active().getTagName()).isEqualTo("a");
            keys(Keys.TAB);
        }
        keys(Keys.ENTER);
        new WebDriverWait(d(), Duration.ofSeconds(5)).until(x -> "contributorEmail".equals(active().getAttribute("id")));
    }

    @Test
    void theFormWorksWithoutJavaScript() {
        ChromeDriver chrome = (ChromeDriver) d();
        chrome.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
        try {
            d().get(browser.base() + "/contribute");
            d().findElement(By.id("category-training-material")).click();
            d().findElement(By.id("title")).sendKeys("Training plan for designated teachers");
            d().findElement(By.id("description")).sendKeys("A one-day plan we used in three schools.");
            d().findElement(By.id("contributorName")).sendKeys("Sam Evans");
            d().findElement(By.id("contributorEmail")).sendKeys("sam.nojs@example.org");
            d().findElement(By.id("preferredLanguage-en")).click();
            d().findElement(By.id("consentToPublish")).click();
            d().findElement(By.id("submit")).click();
            new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.urlContains("/submitted?"));
            assertThat(d().findElement(By.tagName("body")).getAttribute("data-ready")).as("no script ran").isNull();
            assertThat(d().findElement(By.id("reference")).getText()).matches("EX-[A-Z0-9]+");
            assertThat(d().findElement(By.id("status-link")).getAttribute("href")).contains("/status?token=s1.");
        } finally {
            chrome.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", false));
        }
    }

    @Test
    void withoutJavaScriptAFileIsSentAndAnErrorBringsBackWhatWasTyped() throws Exception {
        Path dir = Files.createTempDirectory("exchange-upload-");
        Path pdf = Files.write(dir.resolve("cynllun.pdf"), "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        Path notText = Files.write(dir.resolve("nodiadau.txt"), new byte[] {0, 1, 2, 3, 'M', 'Z'});
        String title = "<script>document.title='x'</script> \"Cynllun\" & mwy";
        String description = "Llinell un\nLlinell \"dau\" </textarea>";
        ChromeDriver chrome = (ChromeDriver) d();
        chrome.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
        try {
            d().get(browser.base() + "/cy/contribute");
            d().findElement(By.id("category-other")).click();
            d().findElement(By.id("title")).sendKeys(title);
            d().findElement(By.id("description")).sendKeys(description);
            d().findElement(By.id("contributorName")).sendKeys("Sam O'Brien");
            d().findElement(By.id("contributorEmail")).sendKeys("sam-at-example.org");
            new Select(d().findElement(By.id("contributorRole"))).selectByValue("teacher");
            d().findElement(By.id("preferredLanguage-en")).click();
            d().findElement(By.id("consentToContact")).click();
            d().findElement(By.id("attachment")).sendKeys(notText.toString());
            d().findElement(By.id("submit")).click();
            new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.urlContains("/cy/contribute?errors="));
            String url = d().getCurrentUrl();
            assertThat(url).contains("&form=").doesNotContain("Sam").doesNotContain("sam-at").doesNotContain("Cynllun").doesNotContain("teacher");
            // what was typed is back, as typed (escaped in the page: the script in the title is text, not a script)
            assertThat(d().findElement(By.id("title")).getAttribute("value")).isEqualTo(title);
            assertThat(d().findElement(By.id("description")).getAttribute("value")).isEqualTo(description);
            assertThat(d().findElement(By.id("contributorName")).getAttribute("value")).isEqualTo("Sam O'Brien");
            assertThat(d().findElement(By.id("contributorEmail")).getAttribute("value")).isEqualTo("sam-at-example.org");
            assertThat(new Select(d().findElement(By.id("contributorRole"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("teacher");
            assertThat(d().findElement(By.id("category-other")).isSelected()).isTrue();
            assertThat(d().findElement(By.id("preferredLanguage-en")).isSelected()).isTrue();
            assertThat(d().findElement(By.id("consentToContact")).isSelected()).isTrue();
            assertThat(d().findElement(By.id("consentToPublish")).isSelected()).isFalse();
            assertThat(d().findElement(By.id("attachment")).getAttribute("value")).as("a file is never kept").isEmpty();
            assertThat(d().findElements(By.xpath("//script[contains(., 'document.title')]"))).isEmpty();
            // the errors, the file's among them, in Welsh
            assertThat(d().findElement(By.id("attachment-error")).getText()).startsWith("Ni allwn dderbyn y math hwn o ffeil");
            assertThat(d().findElement(By.id("attachment")).getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(d().findElements(By.cssSelector("#error-summary li a"))).extracting(e -> e.getAttribute("hash"))
                    .contains("#attachment", "#contributorEmail", "#consentToPublish");
            // corrected, with a PDF this time: sent, and the file is the contribution's attachment
            d().findElement(By.id("contributorEmail")).clear();
            d().findElement(By.id("contributorEmail")).sendKeys("sam.obrien@example.org");
            d().findElement(By.id("consentToPublish")).click();
            d().findElement(By.id("attachment")).sendKeys(pdf.toString());
            d().findElement(By.id("submit")).click();
            new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.urlContains("/submitted?"));
            assertThat(d().findElement(By.id("reference")).getText()).matches("EX-[A-Z0-9]+");
            String href = d().findElement(By.id("status-link")).getAttribute("href");
            String token = java.net.URLDecoder.decode(href.substring(href.indexOf("token=") + 6), StandardCharsets.UTF_8);
            var data = browser.server.json(browser.server.get("/submissions/" + token + "/data"));
            assertThat(data.at("/attachment/mimeType").asText()).as(data.toString()).isEqualTo("application/pdf");
        } finally {
            chrome.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", false));
            Files.deleteIfExists(pdf);
            Files.deleteIfExists(notText);
            Files.deleteIfExists(dir);
        }
        // the form as it comes back, with the file's error and what was typed: nothing for axe, in English now
        browser.open("/contribute");
        d().findElement(By.id("title")).sendKeys("A title");
        d().findElement(By.id("contributorName")).sendKeys("Sam");
        Path again = Files.write(Files.createTempFile("exchange-upload-", ".txt"), new byte[] {0, 1, 2});
        try {
            d().findElement(By.id("attachment")).sendKeys(again.toString());
            d().findElement(By.id("submit")).click();
            new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.urlContains("/contribute?errors="));
            browser.waitReady();
        } finally {
            Files.deleteIfExists(again);
        }
        assertThat(d().findElement(By.id("title")).getAttribute("value")).isEqualTo("A title");
        assertThat(d().findElement(By.id("attachment-error")).getText()).startsWith("This kind of file cannot be taken");
        assertThat(browser.axeViolations()).isEmpty();
    }
}
