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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review 5 of h4-form: the multipart contribution is read whole (up to 64 KiB + the attachment limit + 16 KiB, 10.1 MB
 * by default) before the address limit is asked, unlike the upload step ({@code IntakeService.upload} asks it first).
 * Fails on 58dee69.
 */
class Review5FormTest {
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000",
            "--intake-min-fill-seconds", "0", "--intake-secret", IntakeClient.SECRET, "--intake-address-limit", "1");

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

    private static String statusLine(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1).strip();
    }
}
