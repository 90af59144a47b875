package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Property-based fuzzing of every public route over raw sockets: random methods, paths, query strings (model and
 * reserved names, hostile values, bad percent-encoding, NUL, invalid UTF-8, brackets), and headers (Accept,
 * Accept-Language with malformed q-values, conditional headers, preview tokens, Origin, forwarding headers, Host).
 * Property: no answer is a 5xx (but a 503 problem), none carries a stack trace or HTML, every answer with a body has a
 * content type of the API (problem+json, JSON, JSON-LD, iCalendar). Seeded and bounded: {@code -Dfuzz.requests=N}
 * and {@code -Dfuzz.seed=S} to run more or reproduce; a failure prints the request.
 */
class PublicApiFuzzTest {
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 4000);
    static final long SEED = Long.getLong("fuzz.seed", 20261130L);
    static final long MAX_MILLIS = Long.getLong("fuzz.millis", 120_000L);
    static final String SECRET = "fuzz-secret-0123456789abcdef-0123456789";
    static final String[] IDS = {"901f7a1b-20f9-458c-9172-3f92ad923f8f", "53e99420-3156-43ef-835f-3948f567cabd",
        "af2ce5a9-14a9-424f-88d8-cd70f13f12e0", "00000000-0000-0000-0000-000000000000", "nope", "..", "%2e%2e", "%00",
        "x%zz", "%C3%28", "[", "]", "a b", "é", "%E2%80%AE", "id;x=1", "~", "x".repeat(300)};
    static final String[] ROUTES = {"/", "/favicon.ico", "/.rest", "/.rest/", "/.rest/exchange", "/.rest/exchange/v1",
        "/.rest/exchange/v1/", "/.rest/exchange/v1/health", "/.rest/exchange/v1/openapi.json",
        "/.rest/exchange/v1/resources", "/.rest/exchange/v1/events", "/.rest/exchange/v1/case-studies",
        "/.rest/exchange/v1/events.ics", "/.rest/exchange/v1/resources/{id}", "/.rest/exchange/v1/events/{id}",
        "/.rest/exchange/v1/case-studies/{id}", "/.rest/exchange/v1/events/{id}.ics", "/.rest/exchange/v1/{id}",
        "/.rest/exchange/v1/events/{id}/{id}", "/.rest/exchange/v2/events", "/.rest/exchange/v1//events",
        "/.rest/exchange/v1/events/", "/.rest/exchange/v1/contributions", "*"};
    static final String[] METHODS = {"GET", "GET", "GET", "GET", "GET", "GET", "GET", "GET", "GET", "GET", "GET", "GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE",
        "TRACE", "PATCH", "CONNECT", "FOO", "get"};
    static final String[] NAMES = {"lang", "q", "sort", "offset", "limit", "preview", "jsonLd", "from", "to", "past", "kind",
        "kind[in]", "kind[ne]", "audiences", "topics", "publicationDate[gte]", "publicationDate[lt]", "startDate[lt]",
        "startDate[gte]", "status", "attendanceMode", "free", "originalLanguage", "relatedResources", "region",
        "moderationState", "title", "body", "x", "kind[zz]", "a[", "]", "[]", "%zz", "%00", "q%00", "lang%C3%28", ""};
    static final String[] VALUES = {"", "en", "cy", "CY-gb", "fr", "report", "report,guidance", "true", "false", "0", "1",
        "-1", "100", "101", "10000", "99999999999999999999", "٥", "１", "1e3", "NaN", "Infinity", "0x10", "+999999999-01-01",
        "-999999999-01-01", "2025-03-12", "2025-03-12T10:00:00+00:00", "2025-13-45", "2025-03-12T10:00:00%2B14:00",
        "title", "-title", "-startDate", "lastModified", "-publicationDate", "body", "a", "ab", "caerdydd", "nghymru lety",
        "%zz", "%", "%00", "%C3%28", "%FF", "%E2%80%AE", "[", "]", "<script>alert(1)</script>", "'\"", "x".repeat(250),
        "w%20".repeat(60), "1.2.3", "9999999999.abc", "53e99420-3156-43ef-835f-3948f567cabd", "*", "\\", "..%2F..%2F"};
    static final String[] ACCEPT = {"application/json", "application/ld+json", "*/*", "text/html", "application/json;q=abc",
        "application/json;q=", "application/ld+json;q=2, application/json;q=-1", "text/calendar", "application/*;q=0.1",
        ";;;", "application/json;charset=x;q=0.5", "*/*;q=NaN", "a/b/c", ",,,"};
    static final String[] ACCEPT_LANGUAGE = {"cy", "en", "cy;q=", "cy;q=2", "cy;q=Infinity", "cy;q=NaN", "en;q=-1, cy",
        "*", "cy-GB,cy;q=0.9,en;q=0.5", ";q=0.5", ",", "x".repeat(2000), "cy;q=0.5;q=0.9", "de, fr;q=0.1", "cy; q = 0.3"};
    static final String[] OTHER_HEADERS = {"If-None-Match: *", "If-None-Match: \"abc\"", "If-None-Match: W/\"x\", \"y\"",
        "If-Modified-Since: Tue, 24 Nov 2026 16:03:52 GMT", "If-Modified-Since: yesterday",
        "If-Modified-Since: Tue, 99 Nov 99999 99:99:99 GMT", "X-Exchange-Preview: 4102444800.abc",
        "X-Exchange-Preview: x", "X-Exchange-Preview: 9999999999999.", "X-Exchange-Preview: ", "Origin: https://frontend.example",
        "Origin: null", "Origin: https://evil.example", "Access-Control-Request-Method: GET",
        "Access-Control-Request-Method: DELETE", "X-Forwarded-For: 10.0.0.1", "X-Forwarded-For: ,,, garbage",
        "Forwarded: for=\"[::1]\";proto=https", "Forwarded: ;;;", "Content-Type: application/json", "Content-Length: 0",
        "Range: bytes=0-10", "Expect: 100-continue", "Cookie: a=b", "X-Forwarded-Host: evil.example",
        "Transfer-Encoding: chunked"};
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000",
            "--preview-secret", SECRET, "--cors-origins", "https://frontend.example");

    @Test
    void noRouteAnswersA5xxAStackTraceOrHtmlWhateverTheInput() throws Exception {
        Random random = new Random(SEED);
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, String> faults = new TreeMap<>();
        int sent = 0;
        for (; sent < REQUESTS && System.currentTimeMillis() < deadline; sent++) {
            String request = request(random);
            String answer = send(request);
            int status = status(answer);
            statuses.merge(status, 1, Integer::sum);
            String head = answer.contains("\r\n\r\n") ? answer.substring(0, answer.indexOf("\r\n\r\n")) : answer;
            String body = answer.contains("\r\n\r\n") ? answer.substring(answer.indexOf("\r\n\r\n") + 4) : "";
            String why = "request #" + sent + " (seed " + SEED + "):\n" + request + "answer:\n"
                    + answer.substring(0, Math.min(answer.length(), 1200));
            String lower = answer.toLowerCase(Locale.ROOT);
            String type = header(head, "content-type");
            String fault = null;
            if (status < 100) {
                fault = "no HTTP answer";
            } else if (status >= 500 && !(status == 503 && body.contains("/problems/unavailable"))) {
                fault = "5xx";
            } else if (page(request) && status < 500) {
                // a web page (docs/pages.md, WebPagesTest) is HTML by design; the checks below are the API's
                fault = lower.contains("\tat ") || lower.contains("undertow") || lower.contains("resteasy") ? "trace or product name on a page"
                        : type != null && !type.matches("(text/html|text/css|text/javascript|image/svg\\+xml|application/problem\\+json)(;.*)?") && !body.isEmpty()
                        && !request.startsWith("HEAD") ? "page content type " + type : null;
            } else if (lower.contains("<html") || lower.contains("\tat ") || lower.contains("exception")
                    || lower.contains("undertow") || lower.contains("resteasy")) {
                fault = "trace, HTML or product name";
            } else if (!body.isEmpty() && !request.startsWith("HEAD") && (type == null
                    || !type.matches("(application/(problem\\+json|json|ld\\+json)|text/calendar)(;.*)?"))) {
                fault = "content type " + type;
            }
            if (fault != null && faults.putIfAbsent(fault + " " + status + " " + request.substring(0, request.indexOf(' ')), why) == null
                    && faults.size() <= 3) {
                System.out.println("FAULT " + fault + "\n" + why);
            }
        }
        System.out.println("fuzz: " + sent + " requests (seed " + SEED + "), statuses " + statuses);
        assertThat(faults).as("kinds of fault (fault, status, method), each with its first request").isEmpty();
        assertThat(sent).as("the run may be cut by time, but not to nothing").isGreaterThan(Math.min(REQUESTS, 500));
    }

    /** Whether the request's target is a web page's (outside /.rest), not the API's. */
    static boolean page(String request) {
        String[] line = request.split(" ", 3);
        return line.length > 1 && line[1].startsWith("/") && !line[1].startsWith("/.rest");
    }

    static String request(Random r) {
        String method = pick(r, METHODS);
        String route = pick(r, ROUTES).replace("{id}", pick(r, IDS));
        StringBuilder target = new StringBuilder(route);
        int params = r.nextInt(10) < 7 ? r.nextInt(5) : r.nextInt(120);
        for (int i = 0; i < params; i++) {
            target.append(i == 0 ? '?' : '&').append(pick(r, NAMES));
            if (r.nextInt(8) > 0) {
                target.append('=').append(pick(r, VALUES).replace(" ", r.nextBoolean() ? "+" : "%20"));
            }
        }
        if (r.nextInt(40) == 0) {
            target.append("#frag");
        }
        List<String> headers = new ArrayList<>();
        int hostKind = r.nextInt(30);
        headers.add(hostKind == 0 ? "Host: a b" : hostKind == 1 ? "Host: evil.example" : hostKind == 2 ? "Host: " : "Host: localhost");
        if (r.nextBoolean()) {
            headers.add("Accept: " + pick(r, ACCEPT));
        }
        if (r.nextBoolean()) {
            headers.add("Accept-Language: " + pick(r, ACCEPT_LANGUAGE));
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            headers.add(pick(r, OTHER_HEADERS));
        }
        if (r.nextInt(50) == 0) {
            headers.add("X-Big: " + "b".repeat(r.nextInt(40_000)));
        }
        String version = r.nextInt(60) == 0 ? "HTTP/1.0" : "HTTP/1.1";
        StringBuilder out = new StringBuilder(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        for (String h : headers) {
            if (!h.startsWith("Transfer-Encoding")) {
                out.append(h).append("\r\n");
            }
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    static String send(String request) throws IOException {
        return RawHttp.exchange(server.port(), request.getBytes(StandardCharsets.UTF_8));
    }

    static int status(String answer) {
        if (answer.length() < 12 || !answer.startsWith("HTTP/1.")) {
            return -1; // closed without an answer, or garbage: every request gets an HTTP answer
        }
        return Integer.parseInt(answer.substring(9, 12));
    }

    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }
}
