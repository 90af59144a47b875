package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import wales.exchange.intake.IntakeService;
import wales.exchange.intake.ReadBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limits asked of a multipart contribution before its body (up to 64 KiB + the attachment limit + 16 KiB, 10.1 MB
 * by default) is read, as of the upload step: the client address's limit (429), and the bytes of files being read at
 * once, shared by both ({@link ReadBudget}, 503). Review 5 of h4-form found the first missing (fails on 58dee69).
 */
class IntakeMultipartLimitsTest {
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000",
            "--intake-min-fill-seconds", "0", "--intake-secret", IntakeClient.SECRET, "--intake-address-limit", "1");
    @RegisterExtension
    static final ExchangeServerExtension open = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000",
            "--intake-min-fill-seconds", "0", "--intake-secret", IntakeClient.SECRET, "--intake-address-limit", "100000");
    private static final String BOUNDARY = "b0undary";
    private static final int SLOW = 10_000_000;

    /**
     * D1: an address over its limit can still make the server read and hold a 10 MB body per request, on each of
     * the 64 intake threads at once (several copies each: readNBytes' chunks, the copy of a cut body, the file's copy),
     * about 1.3-2 GB against a 768 MiB heap: an unauthenticated client exhausts the heap. The limit must be asked
     * before the body is read, as the upload step does: here the answer must be 429 without the body being sent.
     */
    @Test
    void anAddressOverItsLimitIsRefusedBeforeItsMultipartBodyIsRead() throws Exception {
        String boundary = "b0undary";
        // the address's one submission of the hour (a form with field errors still counts)
        byte[] small = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> first = server.http().send(HttpRequest.newBuilder(URI.create(server.url("/contributions")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(small)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).as(first.body()).isNotEqualTo(429);

        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
            s.setSoTimeout(15_000);
            String head = "POST " + ExchangeServer.API_PATH + "contributions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: 8000000\r\n\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\n" + "a".repeat(1024);
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String status;
            try {
                status = statusLine(s.getInputStream());
            } catch (SocketTimeoutException e) {
                status = "no answer in 15 s: the server waits for the 8 MB body of an address over its limit";
            }
            assertThat(status).startsWith("HTTP/1.1 429");
        }
    }

    /**
     * The bytes of files being read at once are bounded (48 MiB), for multipart contributions and uploads together:
     * five bodies of 10 MB that are slow to come hold 50 MB, and the next multipart contribution or upload is refused at
     * once with 503 and Retry-After (in English and Welsh), its body unread; once those are answered, it is taken.
     */
    @Test
    void filesBeingReadAreBoundedTogetherAndTheNextIsRefusedAtOnceWith503() throws Exception {
        IntakeService intake = open.injector().getInstance(IntakeService.class);
        assertThat(intake.readBudgetFree()).isEqualTo(ReadBudget.BYTES);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Socket s = slowMultipart(open.port(), SLOW);
                slow.add(s);
            }
            awaitCondition(() -> intake.readBudgetFree() == ReadBudget.BYTES - 5L * SLOW);

            byte[] body = multipart("a".repeat(1_000_000));
            long t0 = System.nanoTime();
            HttpResponse<String> en = postMultipart(body, "en");
            assertThat(en.statusCode()).as(en.body()).isEqualTo(503);
            assertThat(en.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(en.headers().firstValue("Retry-After")).hasValue(Integer.toString(ReadBudget.RETRY_AFTER_SECONDS));
            assertThat(IntakeClient.json(en).get("detail").asText()).isEqualTo(
                    "Too many files are being received just now: please try again in a few seconds.");
            HttpResponse<String> cy = postMultipart(body, "cy");
            assertThat(cy.statusCode()).isEqualTo(503);
            assertThat(IntakeClient.json(cy).get("detail").asText()).isEqualTo(
                    "Mae gormod o ffeiliau’n cael eu derbyn ar hyn o bryd: rhowch gynnig arall arni ymhen ychydig eiliadau.");
            // the upload step shares the bound
            HttpResponse<String> upload = open.http().send(HttpRequest.newBuilder(URI.create(open.url("/contributions/attachments?lang=en")))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofByteArray("b".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(503);
            assertThat(upload.headers().firstValue("Retry-After")).isPresent();
            assertThat(System.nanoTime() - t0).as("refused without waiting for anything").isLessThan(10_000_000_000L);
            assertThat(intake.readBudgetFree()).isEqualTo(ReadBudget.BYTES - 5L * SLOW);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        // the slow bodies end (cut short): their bytes are given back, and the same contribution is taken
        awaitCondition(() -> intake.readBudgetFree() == ReadBudget.BYTES);
        HttpResponse<String> after = postMultipart(multipart("a".repeat(1_000_000)), "en");
        assertThat(after.statusCode()).as(after.body()).isNotEqualTo(503).isNotEqualTo(429);
        awaitCondition(() -> intake.readBudgetFree() == ReadBudget.BYTES);
    }

    /** A multipart contribution declaring {@code length} bytes, of which only its start is sent (the socket is left open). */
    private static Socket slowMultipart(int port, int length) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        String head = "POST " + ExchangeServer.API_PATH + "contributions HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + length + "\r\n\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n" + "a".repeat(1024);
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** A contribution form with a text file (its fields are not all valid: the answer is a 400 of field errors). */
    private static byte[] multipart(String text) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nBounded\r\n--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"attachment\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                + text + "\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> postMultipart(byte[] body, String lang) throws Exception {
        return open.http().send(HttpRequest.newBuilder(URI.create(open.url("/contributions?lang=" + lang)))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Returns once {@code condition} holds, re-checking every few milliseconds; fails after 30 s. */
    private static void awaitCondition(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 30 s").isLessThan(deadline);
            LockSupport.parkNanos(5_000_000L);
        }
    }

    private static String statusLine(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1).strip();
    }
}
