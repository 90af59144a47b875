package wales.exchange.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load on the public intake over loopback (bench/intake.sh runs it): {@code submit} sends valid contributions from
 * {@code C} connections for {@code S} seconds (then stops by itself), reports accepted/s and writes every acknowledged
 * status token to a file; {@code check} asks the status of each token and reports how many are found.
 *
 * <pre>
 * java -cp exchange-bench.jar:lib/* wales.exchange.bench.IntakeLoad submit http://127.0.0.1:8080 20 16 tokens.txt
 * java -cp exchange-bench.jar:lib/* wales.exchange.bench.IntakeLoad check  http://127.0.0.1:8080 tokens.txt
 * </pre>
 */
public final class IntakeLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/.rest/exchange/v1";
    /** Distinguishes the texts of one run from another's (runs against the same data are not duplicates). */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private IntakeLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 5 && args[0].equals("submit")) {
            submit(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
        } else if (args.length >= 3 && args[0].equals("check")) {
            check(args[1], Path.of(args[2]));
        } else {
            System.err.println("usage: IntakeLoad submit BASE SECONDS CONNECTIONS TOKENS | check BASE TOKENS");
            System.exit(2);
        }
    }

    static void submit(String base, int seconds, int connections, Path tokensFile) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode form = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + API + "/form-token")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String formToken = form.get("formToken").asText();
        long fill = form.get("minFillSeconds").asLong();
        Thread.sleep(fill * 1000 + 1100); // the form is "filled in" once; its token is then reused by every request
        List<String> tokens = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        AtomicInteger sequence = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(connections);
        java.net.URI uri = URI.create(base);
        for (int t = 0; t < connections; t++) {
            Thread thread = new Thread(() -> {
                // one keep-alive connection per thread, plain HTTP/1.1 over a socket: the client stays cheap next to the server
                Connection c = null;
                try {
                    while (System.nanoTime() < deadline) {
                        int n = sequence.incrementAndGet();
                        int status;
                        String body = "";
                        try {
                            if (c == null) {
                                c = new Connection(uri.getHost(), uri.getPort());
                            }
                            String[] answer = c.post(API + "/contributions", contribution(n, formToken));
                            status = Integer.parseInt(answer[0]);
                            body = answer[1];
                            if (answer[2] != null) {
                                c.close();
                                c = null;
                            }
                        } catch (IOException e) {
                            status = -1;
                            if (c != null) {
                                c.close();
                                c = null;
                            }
                        }
                        statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                        if (status == 202) {
                            tokens.add(JSON.readTree(body).get("token").asText());
                        }
                    }
                } catch (Exception e) {
                    System.err.println("load thread failed: " + e);
                } finally {
                    if (c != null) {
                        c.close();
                    }
                    done.countDown();
                }
            }, "intake-load-" + t);
            thread.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        Files.write(tokensFile, tokens);
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
        System.out.printf("intake load: %d connections, %.1f s, statuses %s, accepted %d = %.0f accepted/s%n", connections, elapsed,
                byStatus, tokens.size(), tokens.size() / elapsed);
    }

    /** A keep-alive HTTP/1.1 connection that sends JSON posts and reads answers with a Content-Length. */
    static final class Connection {
        private final java.net.Socket socket;
        private final java.io.BufferedInputStream in;
        private final java.io.OutputStream out;
        private final String host;

        Connection(String host, int port) throws IOException {
            this.socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            this.in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
            this.out = new java.io.BufferedOutputStream(socket.getOutputStream(), 16384);
            this.host = host + ":" + port;
        }

        /** Status, body, and non-null third element when the server closes the connection. */
        String[] post(String path, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = line();
            if (status == null || status.length() < 12) {
                throw new IOException("no answer");
            }
            int length = 0;
            String close = null;
            for (String h; !(h = line()).isEmpty(); ) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).strip());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = "close";
                }
            }
            byte[] b = in.readNBytes(length);
            return new String[] {status.substring(9, 12), new String(b, StandardCharsets.UTF_8), close};
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != -1; ) {
                if (c == '\n') {
                    int l = b.length();
                    return l > 0 && b.charAt(l - 1) == '\r' ? b.substring(0, l - 1) : b.toString();
                }
                b.append((char) c);
            }
            return b.length() == 0 ? null : b.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    static String contribution(int n, String formToken) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("category", "best-practice-example");
        o.put("title", "Load contribution " + n + " " + RUN);
        o.put("description", "<p>Contribution " + n + " sent by the intake load test: how a school kept routines going.</p>");
        o.put("contributorName", "Load " + n);
        o.put("contributorEmail", "load" + n + "-" + RUN + "@example.org");
        o.put("contributorRole", "teacher");
        o.put("preferredLanguage", n % 2 == 0 ? "en" : "cy");
        o.put("consentToPublish", true);
        o.put("website", "");
        o.put("formToken", formToken);
        return JSON.writeValueAsString(o);
    }

    static void check(String base, Path tokensFile) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> tokens = Files.readAllLines(tokensFile);
        int found = 0;
        List<String> missing = new ArrayList<>();
        for (String t : tokens) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + API + "/submissions/" + t)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                found++;
            } else if (missing.size() < 5) {
                missing.add(t + " → " + r.statusCode());
            }
        }
        System.out.printf("intake check: %d acknowledged, %d found%s%n", tokens.size(), found, missing.isEmpty() ? "" : ", missing e.g. " + missing);
        if (found != tokens.size()) {
            System.exit(1);
        }
    }
}
