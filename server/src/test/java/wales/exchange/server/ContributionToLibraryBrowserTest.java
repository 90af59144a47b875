package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole path in one real Chromium (docs/pages.md), through the public and moderation APIs only: a contribution
 * sent through the page's form appears in the moderation console; a moderator takes it and writes a note, a second
 * moderator approves and converts it; the first moderator writes the draft's Welsh in the console's edit form (Welsh
 * console: a field error tied to its field, then a 409 when the draft changed meanwhile, reloaded, then saved); the
 * console refuses that moderator's approval (four-eyes: they edited it) and the second moderator's (they made it), and
 * shows a 409 when the item changed meanwhile; the administrator approves and publishes; the resource is then in the
 * library in English and in Welsh. The console's actions are done with the keyboard, and axe finds nothing on the
 * console's pages (queue, item, edit form, its errors) in either language.
 */
class ContributionToLibraryBrowserTest {
    @RegisterExtension
    static final Browser browser = new Browser("--in-memory", "--rate-limit=1000000", "--intake-min-fill-seconds", "0",
            "--intake-secret", IntakeClient.SECRET, "--admin-password", ContributionToLibraryBrowserTest.ADMIN_PASSWORD);
    static final String ADMIN_PASSWORD = "an administrator's password";
    static final String TITLE = "Homework club for children in foster care";
    static final String WELSH_TITLE = "Clwb gwaith cartref i blant mewn gofal maeth";

    static WebDriver d() {
        return browser.driver();
    }

    static String password(String user) {
        return user.equals("admin") ? ADMIN_PASSWORD : browser.server.server().demoUsers().get(user);
    }

    static void signIn(String path, String user) {
        browser.open(path);
        consoleReady();
        if (!d().findElements(By.id("logout")).isEmpty()) {
            d().findElement(By.id("logout")).sendKeys(Keys.ENTER);
            consoleReady();
        }
        d().findElement(By.id("login-user")).sendKeys(user);
        d().findElement(By.id("login-password")).sendKeys(password(user), Keys.ENTER);
        consoleReady();
        assertThat(d().findElement(By.id("logout")).isDisplayed()).isTrue();
    }

    static void consoleReady() {
        new WebDriverWait(d(), Browser.WAIT).until(x -> "ready".equals(x.findElement(By.tagName("body")).getAttribute("data-console")));
    }

    /** Moves the console to a view (its address's fragment) and waits until it is shown. */
    static void hash(String fragment) {
        browser.js("document.body.removeAttribute('data-console'); location.hash = arguments[0];", fragment);
        consoleReady();
    }

    static void openItem(String id) {
        hash("#item=" + id);
        assertThat(d().findElement(By.id("item-view")).isDisplayed()).isTrue();
    }

    /** A transition through the moderation API itself (another tab, another person), at the item's current revision. */
    static void apiTransition(String user, String id, String to, String reason) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password(user)).getBytes(StandardCharsets.UTF_8));
        var item = browser.server.json(browser.server.send(HttpRequest.newBuilder(URI.create(browser.server.url("/moderation/items/" + id)))
                .header("Authorization", auth).build()));
        String body = "{\"to\":\"" + to + "\",\"revision\":" + item.get("revision").asLong()
                + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}";
        var r = browser.server.send(HttpRequest.newBuilder(URI.create(browser.server.url("/moderation/items/" + id + "/transitions")))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** An edit through the moderation API itself (another person), at the draft's current ETag. */
    static void apiEdit(String user, String id, String patch) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password(user)).getBytes(StandardCharsets.UTF_8));
        var got = browser.server.send(HttpRequest.newBuilder(URI.create(browser.server.url("/moderation/items/" + id)))
                .header("Authorization", auth).build());
        var r = browser.server.send(HttpRequest.newBuilder(URI.create(browser.server.url("/moderation/items/" + id)))
                .header("Authorization", auth).header("Content-Type", "application/merge-patch+json")
                .header("If-Match", got.headers().firstValue("ETag").orElseThrow())
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Saves the edit form with the keyboard: Tab from its last field to Save, Enter. */
    static void saveEdit() {
        List<WebElement> fields = d().findElements(By.cssSelector("#edit-form input, #edit-form textarea, #edit-form select"));
        fields.get(fields.size() - 1).sendKeys("");
        browser.tabTo("edit-save");
        browser.keys(Keys.ENTER);
        consoleReady();
    }

    /** Replaces the text of an edit form's field by typing. */
    static void type(String id, String text) {
        WebElement e = d().findElement(By.id(id));
        e.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        e.sendKeys(text);
    }

    /** Focuses the console's button with the keyboard and presses it. */
    static void press(String id) {
        d().findElement(By.id("reason")).sendKeys(""); // focus starts in the decision form
        browser.tabTo(id);
        browser.keys(Keys.ENTER);
        consoleReady();
    }

    static String alert() {
        return d().findElement(By.id("mod-alert")).getText();
    }

    @Test
    void aContributionGoesFromTheFormThroughTheConsoleToTheLibraryInBothLanguages() throws Exception {
        // 1. the public sends it through the form
        browser.open("/contribute");
        d().findElement(By.id("category-best-practice-example")).sendKeys(Keys.SPACE);
        d().findElement(By.id("title")).sendKeys(TITLE);
        d().findElement(By.id("description")).sendKeys("Twice a week after school, with volunteers from the sixth form.");
        d().findElement(By.id("links")).sendKeys("https://www.example.org/homework-club");
        d().findElement(By.id("contributorName")).sendKeys("Alex Morgan");
        d().findElement(By.id("contributorEmail")).sendKeys("alex.e2e@example.org");
        d().findElement(By.id("preferredLanguage-en")).sendKeys(Keys.SPACE);
        d().findElement(By.id("consentToPublish")).sendKeys(Keys.SPACE);
        d().findElement(By.id("submit")).sendKeys(Keys.ENTER);
        new WebDriverWait(d(), Browser.WAIT).until(ExpectedConditions.urlContains("/submitted?"));

        // 2. it is in the console's queue (filtered to contributions in English), oldest first
        signIn("/moderation", "moderator1");
        List<String> problems = new ArrayList<>(axe("/moderation (queue)"));
        hash("#queue?type=contribution&language=en");
        browser.screenshot("moderation-queue");
        WebElement link = d().findElement(By.linkText(TITLE));
        String contribution = link.getAttribute("href").replaceAll(".*#item=", "");
        assertThat(Integer.parseInt(d().findElement(By.cssSelector("#counts a[data-state=in-review] .count")).getText())).isPositive();
        assertThat(d().findElements(By.id("response-plot"))).hasSize(1);
        link.sendKeys(Keys.ENTER);
        consoleReady();
        assertThat(d().findElement(By.id("h-item")).getText()).isEqualTo(TITLE);
        assertThat(d().findElement(By.id("item-view")).getText()).contains("Contributor’s language: English")
                .contains("Category: Best practice example or case study").contains("https://www.example.org/homework-club");
        // a contribution in review can be edited, but not its contributor's personal data
        assertThat(d().findElement(By.id("edit-title")).getAttribute("value")).isEqualTo(TITLE);
        assertThat(d().findElements(By.id("edit-contributorEmail"))).isEmpty();
        problems.addAll(axe("/moderation (item)"));
        browser.screenshot("moderation-item");
        browser.js("document.getElementById('h-edit').scrollIntoView()");
        browser.screenshot("moderation-edit");
        // moderator1 claims it and writes a note
        press("claim");
        d().findElement(By.id("note-text")).sendKeys("Checked the link: it works.");
        d().findElement(By.id("note-submit")).sendKeys(Keys.ENTER);
        consoleReady();
        assertThat(d().findElement(By.id("notes")).getText()).contains("moderator1: Checked the link: it works.");

        // 3. a second moderator approves it and converts it to a draft resource (the console in Welsh)
        signIn("/cy/moderation", "moderator2");
        problems.addAll(axe("/cy/moderation (queue)"));
        browser.screenshot("cy-moderation-queue");
        openItem(contribution);
        problems.addAll(axe("/cy/moderation (item)"));
        browser.screenshot("cy-moderation-item");
        press("to-approved");
        assertThat(d().findElement(By.id("item-state")).getText()).isEqualTo("Wedi’i gymeradwyo");
        // its history in Welsh too: dates named from the Welsh bundle, actions and states in Welsh, no English codes
        String month = welshPageString("months").split(",")[java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).getMonthValue() - 1];
        assertThat(d().findElement(By.id("history")).getText()).contains(month).contains(" am ")
                .contains(welshPageString("mod.did.transition")).contains("Wedi’i gymeradwyo")
                .doesNotContain("transition").doesNotContain("approved").doesNotContain("in-review");
        press("convert-resource");
        String draft = alert().replaceAll(".*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}).*", "$1");
        assertThat(draft).matches("[0-9a-f-]{36}");

        // 4. moderator1 writes the draft's Welsh in the console's edit form (the console in Welsh)
        signIn("/cy/moderation", "moderator1");
        openItem(draft);
        WebElement titleCy = d().findElement(By.id("edit-title-cy"));
        assertThat(titleCy.getAttribute("lang")).isEqualTo("cy");
        assertThat(d().findElement(By.id("edit-title-en")).getAttribute("lang")).isEqualTo("en");
        assertThat(d().findElement(By.id("edit-title-en")).getAttribute("value")).isEqualTo(TITLE);
        assertThat(d().findElement(By.cssSelector("label[for=edit-title-cy]")).getText()).isEqualTo(welshPageString("lang.cy"));
        assertThat(d().findElement(By.cssSelector("label[for=edit-title-en]")).getText()).isEqualTo(welshPageString("lang.en"));
        assertThat(d().findElement(By.id("h-edit")).getText()).isEqualTo(welshPageString("mod.edit"));
        problems.addAll(axe("/cy/moderation (edit form)"));
        // a field error: shown at the field (aria-invalid, aria-describedby), in the summary, which takes the focus
        type("edit-link", "homework club");
        titleCy.sendKeys(WELSH_TITLE);
        saveEdit();
        WebElement errors = d().findElement(By.id("edit-errors"));
        assertThat(errors.isDisplayed()).isTrue();
        assertThat(browser.active().getAttribute("id")).isEqualTo("edit-errors");
        assertThat(errors.getText()).contains(welshPageString("mod.editErrors")).contains("http://");
        WebElement linkBox = d().findElement(By.id("edit-link"));
        assertThat(linkBox.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(linkBox.getAttribute("aria-describedby")).isEqualTo("edit-link-error");
        assertThat(d().findElement(By.id("edit-link-error")).getText()).contains("http://");
        problems.addAll(axe("/cy/moderation (edit form with an error)"));
        errors.findElement(By.tagName("a")).sendKeys(Keys.ENTER); // the summary's link leads the keyboard to the field
        assertThat(browser.active().getAttribute("id")).isEqualTo("edit-link");
        assertThat(browser.js("return location.hash")).isEqualTo("#item=" + draft);
        assertThat(browser.server.json(browser.server.send(HttpRequest.newBuilder(URI.create(browser.server.url("/moderation/items/" + draft)))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("moderator1:" + password("moderator1"))
                        .getBytes(StandardCharsets.UTF_8))).build())).get("values").get("title").has("cy")).as("nothing saved").isFalse();
        // the draft changes meanwhile (another editor, through the API): the save is a 409, shown, nothing lost; reload
        type("edit-link", "https://www.example.org/homework-club");
        apiEdit("editor", draft, "{\"summary\":{\"en\":\"Twice a week after school.\"}}");
        saveEdit();
        assertThat(d().findElement(By.id("edit-conflict")).getText()).contains(welshPageString("mod.editConflict"));
        assertThat(browser.active().getAttribute("id")).isEqualTo("edit-reload");
        String before = d().findElement(By.id("item-view")).getAttribute("data-revision");
        browser.keys(Keys.ENTER);
        consoleReady();
        assertThat(d().findElement(By.id("item-view")).getAttribute("data-revision")).isNotEqualTo(before);
        assertThat(d().findElement(By.id("edit-summary-en")).getAttribute("value")).isEqualTo("Twice a week after school.");
        d().findElement(By.id("edit-title-cy")).sendKeys(WELSH_TITLE);
        d().findElement(By.id("edit-summary-cy")).sendKeys("Ddwywaith yr wythnos ar ôl ysgol.");
        saveEdit();
        assertThat(alert()).contains(welshPageString("mod.saved"));
        assertThat(d().findElement(By.id("values")).getText()).contains(WELSH_TITLE).contains("Ddwywaith yr wythnos ar ôl ysgol.");
        assertThat(d().findElement(By.id("edit-title-cy")).getAttribute("value")).isEqualTo(WELSH_TITLE);
        browser.js("document.getElementById('h-edit').scrollIntoView()");
        browser.screenshot("cy-moderation-edit");
        assertThat(d().findElement(By.id("history")).getText()).contains("moderator1 · " + welshPageString("mod.did.edit"));

        // 5. moderator1 submits it; approving what they edited is refused (four-eyes), shown in Welsh
        press("to-in-review");
        press("to-approved");
        assertThat(alert()).contains("Rhaid i rywun arall");
        assertThat(d().findElement(By.id("item-state")).getText()).isEqualTo("Wrthi’n cael ei adolygu");
        // so is moderator2's: they made the draft (the conversion)
        signIn("/cy/moderation", "moderator2");
        openItem(draft);
        press("to-approved");
        assertThat(alert()).contains("Rhaid i rywun arall");
        // 6. a change meanwhile: the console's next decision is a 409, shown, and the item reloaded
        String revisionShown = d().findElement(By.id("item-view")).getAttribute("data-revision");
        apiTransition("moderator2", draft, "draft", "Back for a check");
        apiTransition("moderator2", draft, "in-review", null);
        press("to-withdrawn");
        assertThat(alert()).contains("Mae rhywun arall wedi newid yr eitem hon");
        assertThat(d().findElement(By.id("item-view")).getAttribute("data-revision")).isNotEqualTo(revisionShown);

        // 7. someone who neither made, edited nor submitted it approves and publishes: the administrator
        signIn("/moderation", "admin");
        openItem(draft);
        press("to-approved");
        assertThat(d().findElement(By.id("item-state")).getText()).isEqualTo("Approved");
        press("to-published");
        assertThat(d().findElement(By.id("item-state")).getText()).isEqualTo("Published");

        // 8. it is in the library, in both languages
        browser.open("/library?q=homework");
        assertThat(d().findElement(By.cssSelector("a[href='/library/" + draft + "']")).getText()).isEqualTo(TITLE);
        browser.open("/cy/library?q=cartref"); // Welsh search words
        assertThat(d().findElement(By.cssSelector("a[href='/cy/library/" + draft + "']")).getText())
                .isEqualTo(WELSH_TITLE);
        browser.open("/cy/library/" + draft);
        assertThat(d().findElement(By.cssSelector("#item h1")).getText()).isEqualTo(WELSH_TITLE);
        assertThat(problems).isEmpty();
    }

    private static List<String> axe(String where) throws Exception {
        return browser.axeViolations().stream().map(v -> where + ": " + v).toList();
    }

    /** A page string of the Welsh bundle ({@code exchange.page.js.<key>}), as the module jar carries it. */
    private static String welshPageString(String key) {
        try (var in = ContributionToLibraryBrowserTest.class.getResourceAsStream("/exchange/i18n/exchange-messages_cy.properties")) {
            java.util.Properties p = new java.util.Properties();
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            return p.getProperty("exchange.page.js." + key);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
