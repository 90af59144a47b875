package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Property-based fuzzing of the public intake over raw sockets: random JSON bodies built from the forms' fields with
 * hostile values (JCR-SQL2 and XPath injections, node-name characters, path traversal, control characters, invalid
 * UTF-8, huge numbers, deep nesting, wrong types, duplicate keys, truncation), random content types and lengths, on
 * every intake route (contributions, attachments, comments, reports, form token, status, export and erasure by token,
 * comments under items). Properties: no 5xx, no stack trace, HTML or product name, only the API's content types; and
 * afterwards, every node the intake created has a name the server made (dates, hex, references, digits), never one
 * from the input. Seeded and bounded: {@code -Dfuzz.intake.requests=N}, {@code -Dfuzz.seed=S}.
 */
class IntakeFuzzTest {
    static final int REQUESTS = Integer.getInteger("fuzz.intake.requests", 3000);
    static final long SEED = Long.getLong("fuzz.seed", 20261130L);
    static final long MAX_MILLIS = Long.getLong("fuzz.millis", 120_000L);
    static final String API = ExchangeServerExtension.API;
    static final String[] HOSTILE = {"", " ", "x", "'", "\"", "' OR 1=1 --", "x' OR c.[target] IS NOT NULL OR 'x",
        "]) OR ISDESCENDANTNODE([/]) OR ([", "//*[@jcr:primaryType]", "/jcr:root//element(*, nt:base)", "../../..", "..", "/",
        "a/b", "a:b", "[1]", "*", "|", "%2e%2e%2f", "%00", "\u0000", "\u0007", "\r\n", "\t", "é", "ŵŷ", "\uD83D\uDE00", "\u202E",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:alert(1)\">x</a>", "&lt;b&gt;",
        "${jndi:ldap://x}", "{{7*7}}", "x".repeat(301), "y".repeat(5001), "sam@example.org", "07700 900123",
        "resources", "events", "home", "case-studies", "901f7a1b-20f9-458c-9172-3f92ad923f8f",
        "00000000-0000-0000-0000-000000000000", "EX-0000000000", "en", "cy", "fr", "true", "published", "submitted"};
    static final String[] FIELDS = {"category", "title", "description", "links", "attachment", "contributorName",
        "contributorEmail", "contributorRole", "organisation", "preferredLanguage", "consentToPublish", "consentToContact",
        "licence", "moderationState", "website", "formToken", "target", "displayName", "email", "body", "language", "reason",
        "jcr:uuid", "jcr:primaryType", "mgnl:created", "exchange:reference", "__proto__", "", "a.b", "x[0]"};
    static final String[] ROUTES = {"POST /contributions", "POST /contributions", "POST /contributions", "POST /comments",
        "POST /comments", "POST /comments", "POST /contributions/attachments", "POST /comments/{id}/reports",
        "GET /form-token", "GET /submissions/{token}", "GET /submissions/{token}/data", "DELETE /submissions/{token}",
        "GET /events/{id}/comments", "GET /resources/{id}/comments", "PUT /contributions", "DELETE /comments",
        "POST /submissions/{token}", "POST /contributions/{id}", "PATCH /comments"};
    static final String[] TYPES = {"application/json", "application/json", "application/json", "application/json", "application/json",
        "application/json", "application/json", "application/json; charset=utf-8",
        "APPLICATION/JSON", "text/plain", "application/pdf", "image/png", "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded", "application/json;;", "", "*/*"};
    static final String[] IDS = {"901f7a1b-20f9-458c-9172-3f92ad923f8f", "00000000-0000-0000-0000-000000000000", "x", "..",
        "%2e%2e", "%27%20OR%201%3D1", "%5B*%5D", "a%2Fb", "%00", "s1.00000000000000000000000000000000.AAAAAAAAAAAAAAAAAAAAAA",
        "s1." + "a".repeat(32) + "." + "_".repeat(22), "x".repeat(300)};
    static final Pattern TOKEN = Pattern.compile("\"token\":\"(s1\\.[0-9a-f]{32}\\.[A-Za-z0-9_-]{22})\"");
    static final Pattern SAFE_NAME = Pattern.compile("[0-9]{4}|[0-9]{2}|[0-9a-f]{2}|[0-9]{4}-[0-9]{2}(-[0-9]{2})?|[0-9a-f]{32}|[0-9a-f]{64}"
            + "|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|ex-[0-9a-z]{10}|attachmentFile|personal|digests|uploads|statistics");

    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000",
            "--intake-min-fill-seconds", "0", "--intake-address-limit", "100000000", "--intake-email-limit", "100000000",
            "--post-moderated-boards", "events,home", "--intake-max-attachment-kb", "32");

    @Test
    void noIntakeRouteAnswersA5xxOrATraceAndNoInputBecomesANodeName() throws Exception {
        Random random = new Random(SEED);
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, String> faults = new TreeMap<>();
        List<String> tokens = new ArrayList<>();
        int sent = 0;
        for (; sent < REQUESTS && System.currentTimeMillis() < deadline; sent++) {
            byte[] request = request(random, tokens);
            String answer = send(request);
            int status = PublicApiFuzzTest.status(answer);
            statuses.merge(status, 1, Integer::sum);
            String head = answer.contains("\r\n\r\n") ? answer.substring(0, answer.indexOf("\r\n\r\n")) : answer;
            String body = answer.contains("\r\n\r\n") ? answer.substring(answer.indexOf("\r\n\r\n") + 4) : "";
            Matcher m = TOKEN.matcher(body);
            if (m.find() && tokens.size() < 200) {
                tokens.add(m.group(1));
            }
            String shown = new String(request, StandardCharsets.UTF_8);
            String why = "request #" + sent + " (seed " + SEED + "):\n" + shown.substring(0, Math.min(shown.length(), 1500))
                    + "\nanswer:\n" + answer.substring(0, Math.min(answer.length(), 1200));
            String lower = answer.toLowerCase(Locale.ROOT);
            String type = PublicApiFuzzTest.header(head, "content-type");
            String fault = null;
            if (status < 100) {
                fault = "no HTTP answer";
            } else if (status >= 500 && !(status == 503 && body.contains("/problems/unavailable"))) {
                fault = "5xx";
            } else if (lower.contains("<html") || lower.contains("\tat ") || lower.contains("exception")
                    || lower.contains("undertow") || lower.contains("resteasy") || lower.contains("jackson")
                    || lower.contains("javax.jcr") || lower.contains("repositoryexception")) {
                fault = "trace, HTML or product name";
            } else if (!body.isEmpty() && (type == null || !type.matches("(application/(problem\\+json|json))(;.*)?"))) {
                fault = "content type " + type;
            }
            if (fault != null && faults.putIfAbsent(fault + " " + status + " " + shown.substring(0, shown.indexOf(' ')), why) == null
                    && faults.size() <= 3) {
                System.out.println("FAULT " + fault + "\n" + why);
            }
        }
        System.out.println("intake fuzz: " + sent + " requests (seed " + SEED + "), statuses " + statuses + ", " + tokens.size() + " receipts");
        assertThat(faults).as("kinds of fault (fault, status, method), each with its first request").isEmpty();
        assertThat(sent).as("the run may be cut by time, but not to nothing").isGreaterThan(Math.min(REQUESTS, 500));
        assertThat(statuses.getOrDefault(202, 0)).as("some submissions get through validation").isPositive();
        List<String> badNames = new ArrayList<>();
        int[] nodes = {0};
        server.withSession((s, svc) -> {
            for (String root : List.of("/intake", "/contributions", "/comments")) {
                if (s.nodeExists(root)) {
                    walk(s.getNode(root), badNames, nodes);
                }
            }
            return null;
        });
        System.out.println("intake fuzz: " + nodes[0] + " nodes under /intake, /contributions, /comments");
        assertThat(badNames).as("node names not made by the server").isEmpty();
    }

    static void walk(Node n, List<String> bad, int[] count) throws Exception {
        for (NodeIterator it = n.getNodes(); it.hasNext(); ) {
            Node c = it.nextNode();
            count[0]++;
            if (!SAFE_NAME.matcher(c.getName()).matches() || c.getIndex() > 1) {
                bad.add(c.getPath());
            }
            walk(c, bad, count);
        }
    }

    static byte[] request(Random r, List<String> tokens) {
        String[] route = pick(r, ROUTES).split(" ");
        String method = route[0];
        String id = pick(r, IDS);
        String token = !tokens.isEmpty() && r.nextInt(3) > 0 ? tokens.get(r.nextInt(tokens.size())) : pick(r, IDS);
        String path = API + route[1].replace("{id}", id).replace("{token}", token);
        if (r.nextInt(6) == 0) {
            path += "?lang=" + pick(r, new String[] {"en", "cy", "fr", "%zz", ""});
        }
        byte[] body;
        String type;
        if (route[1].endsWith("attachments")) {
            type = pick(r, new String[] {"application/pdf", "image/png", "image/jpeg", "text/plain", "application/x-msdownload", ""});
            body = pick(r, new String[] {"%PDF-1.7 x", "\u0089PNG\r\n\u001a\n", "MZ\u0000\u0000", "plain text", "", "x".repeat(40_000)})
                    .getBytes(StandardCharsets.ISO_8859_1);
        } else {
            type = pick(r, TYPES);
            body = method.equals("GET") || method.equals("DELETE") && r.nextBoolean() ? new byte[0] : json(r, route[1]);
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        if (!type.isEmpty()) {
            head.append("Content-Type: ").append(type).append("\r\n");
        }
        if (r.nextBoolean()) {
            head.append("Accept-Language: ").append(pick(r, new String[] {"cy", "en", "cy;q=2", "*", "fr"})).append("\r\n");
        }
        int length = r.nextInt(25) == 0 ? Math.max(0, body.length - 1 - r.nextInt(Math.max(1, body.length))) : body.length;
        if (length < body.length) {
            body = java.util.Arrays.copyOf(body, length); // a truncated body, its length honest
        }
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A JSON body: usually an object of form fields (a valid submission in about one case in four), sometimes garbage. */
    static byte[] json(Random r, String route) {
        int kind = r.nextInt(20);
        if (kind == 0) {
            return "[".repeat(r.nextInt(2000)).getBytes(StandardCharsets.UTF_8);
        }
        if (kind == 1) {
            return new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        }
        if (kind == 2) {
            return ("{\"title\":1e" + r.nextInt(100000) + ",\"title\":2}").getBytes(StandardCharsets.UTF_8);
        }
        if (kind == 3) {
            return pick(r, new String[] {"", "null", "1", "\"x\"", "{", "}", "{\"a\":}", "{} {}", "{\"a\":[1,2,{\"b\":[[[[[[[[[]]]]]]]]]}]}"})
                    .getBytes(StandardCharsets.UTF_8);
        }
        Map<String, Object> o = new java.util.LinkedHashMap<>();
        boolean comment = route.startsWith("/comments");
        if (r.nextInt(4) > 0) { // start from a valid form
            String email = "fuzz" + r.nextInt(100000) + "@example.org";
            if (comment) {
                o.put("target", pick(r, new String[] {"events", "home", "resources", "901f7a1b-20f9-458c-9172-3f92ad923f8f"}));
                o.put("displayName", "Fuzz");
                o.put("email", email);
                o.put("body", "Comment " + r.nextLong());
            } else {
                o.put("category", "other");
                o.put("title", "Fuzz " + r.nextLong());
                o.put("description", "Text " + r.nextLong());
                o.put("contributorName", "Fuzz");
                o.put("contributorEmail", email);
                o.put("preferredLanguage", "cy");
                o.put("consentToPublish", true);
            }
        }
        for (int i = r.nextInt(5); i > 0; i--) {
            String field = pick(r, FIELDS);
            Object value = switch (r.nextInt(8)) {
                case 0 -> r.nextInt(3) == 0 ? null : r.nextBoolean();
                case 1 -> r.nextInt(2) == 0 ? new java.math.BigInteger(200, r) : r.nextDouble() * 1e300;
                case 2 -> List.of(pick(r, HOSTILE), pick(r, HOSTILE));
                case 3 -> Map.of(pick(r, HOSTILE), pick(r, HOSTILE));
                default -> pick(r, HOSTILE);
            };
            o.put(field, value);
        }
        try {
            return IntakeClient.JSON.writeValueAsBytes(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String send(byte[] request) throws IOException {
        return RawHttp.exchange(server.port(), request);
    }

    static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }
}
