package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The real server and one real headless Chromium for a test class (docs/pages.md, "Browser tests"): Debian's
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (or the system properties {@code browser.chromium},
 * {@code browser.chromedriver}), both paths given to Selenium, so Selenium Manager never runs and nothing is
 * downloaded. A fresh profile per class, deleted after. axe-core's {@code axe.min.js} comes from the npm registry
 * through {@code scripts/fetch-axe.sh} into the git-ignored {@code .cache/axe-core/} (fetched here if missing).
 *
 * <pre>
 * &#64;RegisterExtension
 * static final Browser browser = new Browser("--in-memory", "--rate-limit=1000000");
 * </pre>
 */
final class Browser implements BeforeAllCallback, AfterAllCallback {
    static final String CHROMIUM = System.getProperty("browser.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("browser.chromedriver", "/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(20);
    /** WCAG 2.0, 2.1 and 2.2 level A and AA, as axe-core tags them. */
    static final List<String> WCAG_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

    final ExchangeServerExtension server;
    private WebDriver driver;
    private Path profile;
    private static String axe;

    Browser(String... serverArgs) {
        this.server = new ExchangeServerExtension(serverArgs);
    }

    Browser(ExchangeServerExtension server) {
        this.server = server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server.start();
        assertThat(new File(CHROMIUM).canExecute()).as("Chromium (apt-get install chromium; .ci/run installs it)").isTrue();
        assertThat(new File(CHROMEDRIVER).canExecute()).as("chromedriver (apt-get install chromium-driver; .ci/run installs it)").isTrue();
        profile = Files.createTempDirectory("exchange-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT).pageLoadTimeout(WAIT);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            server.close();
            if (profile != null) {
                try (var walk = Files.walk(profile)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    WebDriver driver() {
        return driver;
    }

    String base() {
        return "http://localhost:" + server.port();
    }

    /** Opens a page (a path such as {@code /cy/events}) and waits until its script says everything has loaded. */
    void open(String path) {
        driver.get(base() + path);
        waitReady();
    }

    void waitReady() {
        new WebDriverWait(driver, WAIT).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    }

    WebElement waitFor(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** The viewport as a PNG in {@code target/screenshots/<name>.png} (the README's pictures are copied from there). */
    void screenshot(String name) throws IOException {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
        assertThat(png.length).as("a screenshot of " + name).isGreaterThan(1000);
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), png);
    }

    /** Keys sent to whatever has focus (the keyboard, not a click). */
    void keys(CharSequence... keys) {
        new org.openqa.selenium.interactions.Actions(driver).sendKeys(keys).perform();
    }

    WebElement active() {
        return driver.switchTo().activeElement();
    }

    /** Tabs forward until the element with {@code id} has focus (at most 60 stops), checking each stop shows its focus. */
    void tabTo(String id) {
        for (int i = 0; i < 60; i++) {
            keys(org.openqa.selenium.Keys.TAB);
            WebElement a = active();
            assertThat(a.getCssValue("outline-style")).as("visible focus on " + a.getTagName() + "#" + a.getAttribute("id")).isNotEqualTo("none");
            if (id.equals(a.getAttribute("id"))) {
                return;
            }
        }
        throw new AssertionError("no Tab stop reached #" + id);
    }

    /** axe-core on the current page, WCAG 2.2 AA tags: each violation as "rule (impact): target: summary". */
    @SuppressWarnings("unchecked")
    List<String> axeViolations() throws IOException, InterruptedException {
        js(axeSource());
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
                + ".then(function (r) { done(r.violations.map(function (v) { return v.id + ' (' + v.impact + '): '"
                + " + v.nodes.map(function (n) { return n.target.join(' ') + ': ' + n.failureSummary; }).join(' | '); })); })"
                + ".catch(function (e) { done(['axe failed: ' + e]); });", WCAG_AA);
        return (List<String>) result;
    }

    /** Every resource the page loaded (Performance API) is from the server itself: no CDN, font or script elsewhere. */
    @SuppressWarnings("unchecked")
    List<String> foreignRequests() {
        List<String> names = (List<String>) js("return performance.getEntriesByType('resource').map(function (e) { return e.name; });");
        return names.stream().filter(n -> !n.startsWith(base() + "/")).toList();
    }

    /** Page weight (bytes over the wire: document and every resource) and first render (first contentful paint, ms). */
    @SuppressWarnings("unchecked")
    Map<String, Object> metrics() {
        new WebDriverWait(driver, WAIT).until(d -> ((JavascriptExecutor) d).executeScript(
                "return performance.getEntriesByType('paint').some(function (p) { return p.name === 'first-contentful-paint'; });"));
        return (Map<String, Object>) js("var nav = performance.getEntriesByType('navigation')[0];"
                + "var res = performance.getEntriesByType('resource');"
                + "var fcp = performance.getEntriesByType('paint').filter(function (p) { return p.name === 'first-contentful-paint'; })[0];"
                + "return {transfer: nav.transferSize + res.reduce(function (s, r) { return s + r.transferSize; }, 0),"
                + " decoded: nav.decodedBodySize + res.reduce(function (s, r) { return s + r.decodedBodySize; }, 0),"
                + " requests: 1 + res.length, fcp: Math.round(fcp.startTime), ttfb: Math.round(nav.responseStart)};");
    }

    /** The contents of axe.min.js, fetched once by scripts/fetch-axe.sh when missing. */
    static synchronized String axeSource() throws IOException, InterruptedException {
        if (axe == null) {
            Path root = Path.of("").toAbsolutePath();
            while (root != null && !Files.exists(root.resolve("scripts/fetch-axe.sh"))) {
                root = root.getParent();
            }
            assertThat(root).as("the project root (scripts/fetch-axe.sh)").isNotNull();
            Path file = root.resolve(".cache/axe-core/axe.min.js");
            if (!Files.exists(file)) {
                // not the test JVM's standard input: npm makes an inherited input non-blocking, and Surefire reads its
                // commands from that pipe ("std/in stream corrupted")
                Process p = new ProcessBuilder("bash", "scripts/fetch-axe.sh").directory(root.toFile()).inheritIO()
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("scripts/fetch-axe.sh (npm pack axe-core@4)").isTrue();
            }
            axe = Files.readString(file, StandardCharsets.UTF_8);
        }
        return axe;
    }
}
