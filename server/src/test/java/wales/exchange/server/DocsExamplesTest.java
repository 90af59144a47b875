package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.delivery.http.PreviewTokens;

/**
 * Every example of docs/api.md, run against the demo server: each {@code $ curl} command (its status, and the fields,
 * lines or headers of the response the guide shows) and each example path (status 200, and the result named after
 * {@code →}). Only the values that depend on when the demo was installed ({@code created}, {@code lastModified},
 * {@code DTSTAMP}, {@code LAST-MODIFIED}, ETags and dates in headers) and parts cut with {@code …} are not compared.
 */
class DocsExamplesTest {
    static final String SECRET = "docs-examples-secret-0123456789abcdef-0123";
    static final Path GUIDE = Path.of("..", "docs", "api.md");
    static final Set<String> VOLATILE_KEYS = Set.of("created", "lastModified");
    static final Set<String> VOLATILE_HEADERS = Set.of("etag", "last-modified", "date");
    static final Pattern PATH_EXAMPLE = Pattern.compile("(/[^\\s]+)(?:\\s+→\\s+(.*))?");
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--preview-secret", SECRET, "--rate-limit", "1000000");
    static final ObjectMapper json = new ObjectMapper();

    /** A request of the guide and what the guide shows of its answer (null: nothing shown). */
    record Example(String command, String response, boolean responseIsJsonBlock) {
    }

    /** An example path: {@code /events?q=educating → total 2}. */
    record PathExample(String path, String expectation) {
    }

    static List<Example> curlExamples() throws Exception {
        List<String> lines = Files.readAllLines(GUIDE, StandardCharsets.UTF_8);
        List<Example> out = new ArrayList<>();
        List<List<String>> blocks = new ArrayList<>();
        List<String> langs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```")) {
                String lang = lines.get(i).substring(3).strip();
                List<String> block = new ArrayList<>();
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    block.add(lines.get(i));
                }
                blocks.add(block);
                langs.add(lang);
            }
        }
        for (int b = 0; b < blocks.size(); b++) {
            List<String> block = blocks.get(b);
            for (int i = 0; i < block.size(); i++) {
                if (!block.get(i).startsWith("$ ")) {
                    continue;
                }
                StringBuilder command = new StringBuilder(block.get(i).substring(2));
                while (command.toString().endsWith("\\") && i + 1 < block.size()) {
                    command.setLength(command.length() - 1);
                    command.append(' ').append(block.get(++i).strip());
                }
                if (!command.toString().startsWith("curl ")) {
                    continue;
                }
                StringBuilder response = new StringBuilder();
                while (i + 1 < block.size() && !block.get(i + 1).startsWith("$ ")) {
                    response.append(block.get(++i)).append('\n');
                }
                if (response.length() > 0) {
                    out.add(new Example(command.toString(), response.toString(), false));
                } else if (b + 1 < blocks.size() && langs.get(b + 1).equals("json")) {
                    out.add(new Example(command.toString(), String.join("\n", blocks.get(b + 1)), true));
                } else {
                    out.add(new Example(command.toString(), null, false));
                }
            }
        }
        return out;
    }

    static List<PathExample> pathExamples() throws Exception {
        List<PathExample> out = new ArrayList<>();
        boolean inBlock = false;
        for (String line : Files.readAllLines(GUIDE, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            Matcher m = PATH_EXAMPLE.matcher(line.strip());
            if (inBlock && line.startsWith("/") && m.matches() && line.contains("?")) {
                out.add(new PathExample(m.group(1), m.group(2)));
            }
        }
        return out;
    }

    @Test
    void theGuideHasExamplesToRun() throws Exception {
        assertThat(curlExamples()).hasSizeGreaterThanOrEqualTo(15);
        assertThat(curlExamples()).filteredOn(e -> e.response() != null).hasSizeGreaterThanOrEqualTo(15);
        assertThat(pathExamples()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(Files.readString(GUIDE)).doesNotContain("for illustration");
    }

    @TestFactory
    Stream<DynamicTest> everyCurlExampleAnswersAsShown() throws Exception {
        return curlExamples().stream().map(e -> DynamicTest.dynamicTest(e.command(), () -> run(e)));
    }

    @TestFactory
    Stream<DynamicTest> everyExamplePathAnswers() throws Exception {
        return pathExamples().stream().map(p -> DynamicTest.dynamicTest(p.path(), () -> {
            HttpResponse<String> r = send("GET", server.url(p.path()), List.of());
            assertThat(r.statusCode()).as(p.path() + ": " + r.body()).isEqualTo(200);
            if (p.expectation() != null) {
                JsonNode body = json.readTree(r.body());
                String x = p.expectation().strip();
                if (x.startsWith("total ")) {
                    assertThat(body.get("total").asInt()).as(p.path()).isEqualTo(Integer.parseInt(x.substring(6).strip()));
                } else {
                    List<String> titles = new ArrayList<>();
                    body.get("items").forEach(i -> titles.add(i.get("title").asText()));
                    assertThat(titles).as(p.path()).contains(x.replaceAll("^\"|\"$", ""));
                }
            }
        }));
    }

    private void run(Example e) throws Exception {
        List<String> args = shellWords(e.command());
        String method = "GET";
        List<String[]> headers = new ArrayList<>();
        String url = null;
        boolean includeHeaders = false;
        for (Iterator<String> it = args.subList(1, args.size()).iterator(); it.hasNext(); ) {
            String a = it.next();
            if (a.equals("-H")) {
                String h = it.next();
                int colon = h.indexOf(':');
                headers.add(new String[] {h.substring(0, colon).strip(), h.substring(colon + 1).strip()});
            } else if (a.equals("-X")) {
                method = it.next();
            } else if (a.startsWith("-")) {
                includeHeaders |= a.contains("i");
            } else {
                url = "http://" + a.replace("localhost:8080", "localhost:" + server.port());
            }
        }
        assertThat(url).as(e.command()).isNotNull();
        for (String[] h : headers) {
            if (h[1].contains("$TOKEN")) {
                h[1] = h[1].replace("$TOKEN", server.injector().getInstance(PreviewTokens.class).issue(Duration.ofMinutes(5)));
            }
            if (h[1].contains("$ETAG")) {
                h[1] = h[1].replace("$ETAG", send("GET", url, List.of()).headers().firstValue("ETag").orElseThrow());
            }
        }
        HttpResponse<String> r = send(method, url, headers);
        String shown = e.response() == null ? null : e.response().replace("localhost:8080", "localhost:" + server.port());
        int expected = 200;
        JsonNode expectedJson = null;
        if (shown != null && shown.startsWith("HTTP/1.1 ")) {
            expected = Integer.parseInt(shown.substring(9, 12));
        } else if (shown != null && shown.strip().startsWith("{")) {
            expectedJson = json.readTree(shown);
            if (expectedJson.has("status") && expectedJson.path("type").asText().startsWith("https://exchangewales.org/problems/")) {
                expected = expectedJson.get("status").asInt();
            }
        }
        assertThat(r.statusCode()).as(e.command() + " → " + r.body()).isEqualTo(expected);
        if (shown == null) {
            return;
        }
        if (shown.startsWith("HTTP/1.1 ")) {
            assertThat(includeHeaders).isTrue();
            for (String line : shown.split("\n")) {
                int colon = line.indexOf(": ");
                if (line.startsWith("HTTP/") || colon < 0 || line.strip().equals("…")) {
                    continue;
                }
                String name = line.substring(0, colon);
                String value = line.substring(colon + 2);
                assertThat(r.headers().firstValue(name)).as(e.command() + ": header " + name).isPresent();
                if (!VOLATILE_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT)) && !value.equals("…")) {
                    assertThat(r.headers().firstValue(name)).as(e.command() + ": header " + name).contains(value);
                }
            }
        } else if (expectedJson != null) {
            List<String> problems = new ArrayList<>();
            subset(expectedJson, json.readTree(r.body()), "$", problems);
            assertThat(problems).as(e.command()).isEmpty();
        } else {
            List<String> actual = unfold(r.body());
            for (String line : unfold(shown)) {
                if (line.isBlank() || line.equals("…") || line.startsWith("DTSTAMP:") || line.startsWith("LAST-MODIFIED:")) {
                    continue;
                }
                assertThat(actual).as(e.command()).contains(line);
            }
        }
    }

    /** Whether {@code actual} has everything {@code shown} shows; differences are added to {@code problems}. */
    static void subset(JsonNode shown, JsonNode actual, String at, List<String> problems) {
        if (shown.isObject()) {
            if (!actual.isObject()) {
                problems.add(at + ": not an object: " + actual);
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = shown.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("…") || VOLATILE_KEYS.contains(f.getKey())) {
                    continue;
                }
                if (!actual.has(f.getKey())) {
                    problems.add(at + "." + f.getKey() + ": missing");
                } else {
                    subset(f.getValue(), actual.get(f.getKey()), at + "." + f.getKey(), problems);
                }
            }
        } else if (shown.isArray()) {
            if (!actual.isArray()) {
                problems.add(at + ": not an array: " + actual);
                return;
            }
            boolean cut = shown.size() > 0 && shown.get(shown.size() - 1).asText().equals("…");
            int n = cut ? shown.size() - 1 : shown.size();
            if (cut ? actual.size() < n : actual.size() != n) {
                problems.add(at + ": " + actual.size() + " elements, the guide shows " + shown.size());
                return;
            }
            for (int i = 0; i < n; i++) {
                subset(shown.get(i), actual.get(i), at + "[" + i + "]", problems);
            }
        } else if (shown.isTextual() && shown.asText().endsWith("…")) {
            String prefix = shown.asText().substring(0, shown.asText().length() - 1).stripTrailing();
            if (!actual.isTextual() || !actual.asText().startsWith(prefix)) {
                problems.add(at + ": " + actual + " does not start with " + prefix);
            }
        } else if (!shown.equals(actual) && !(shown.isNumber() && actual.isNumber() && shown.asDouble() == actual.asDouble())) {
            problems.add(at + ": " + actual + ", the guide shows " + shown);
        }
    }

    /** iCalendar (or any text) lines with RFC 5545 folding undone. */
    static List<String> unfold(String text) {
        return List.of(text.replace("\r\n", "\n").replace("\n ", "").split("\n"));
    }

    static HttpResponse<String> send(String method, String url, List<String[]> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
        for (String[] h : headers) {
            b.header(h[0], h[1]);
        }
        return server.send(b.build());
    }

    /** Splits a shell command line into words: single and double quotes, no expansion. */
    static List<String> shellWords(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean any = false;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || w.length() > 0) {
                    out.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
            }
        }
        if (any || w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }
}
