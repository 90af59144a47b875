package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stop lets the requests in hand end (a contribution whose body is still arriving is answered, not cut off) and
 * answers every new request with a 503 problem in the request's language, until the listener closes.
 */
class GracefulStopTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aStopAnswersTheRequestInHandAndRefusesNewOnesWithAProblem() throws Exception {
        MutableClock clock = new MutableClock();
        ExchangeServerExtension server = IntakeClient.server(clock);
        CompletableFuture<Void> stop = null;
        try {
            IntakeClient c = new IntakeClient(server.port());
            String token = c.formToken();
            clock.advance(Duration.ofSeconds(4));
            byte[] body = IntakeClient.contribution(token, "graceful@example.org", "Sent while the server stops", Map.of())
                    .getBytes(StandardCharsets.UTF_8);
            EdgeHandler edge = server.injector().getInstance(EdgeHandler.class);
            Conditions.await("no request in hand", WAIT, () -> edge.inFlight() == 0);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST " + ExchangeServerExtension.API + "/contributions HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, 0, body.length / 2);
                out.flush();
                Conditions.await("the contribution is in hand", WAIT, () -> edge.inFlight() == 1);

                ExchangeServer running = server.server();
                stop = CompletableFuture.runAsync(running::close);
                Conditions.await("the server stops taking requests", WAIT, edge::stopping);

                RawHttp.Answer refused = RawHttp.send(server.port(), "GET " + ExchangeServerExtension.API
                        + "/events HTTP/1.1\r\nHost: localhost\r\nAccept-Language: cy");
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                assertThat(refused.header("Retry-After")).isEqualTo("5");
                assertThat(refused.header("Content-Language")).isEqualTo("cy");
                assertThat(refused.body()).contains("Mae’r gweinydd yn cau");
                assertThat(stop).as("the stop waits for the request in hand").isNotDone();

                out.write(body, body.length / 2, body.length - body.length / 2);
                out.flush();
                String answer = readAnswer(s.getInputStream());
                assertThat(answer).as(answer).startsWith("HTTP/1.1 202");
                assertThat(answer).contains("\"status\"");
            }
            stop.get(30, TimeUnit.SECONDS);
        } finally {
            if (stop == null) {
                server.close();
            }
        }
    }

    @Test
    void aClientThatGoesAwayMidRequestIsNoLongerInHand() throws Exception {
        ExchangeServerExtension server = IntakeClient.server(new MutableClock());
        try {
            EdgeHandler edge = server.injector().getInstance(EdgeHandler.class);
            Conditions.await("no request in hand", WAIT, () -> edge.inFlight() == 0);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
                s.getOutputStream().write(("POST " + ExchangeServerExtension.API + "/contributions HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"title\":").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                Conditions.await("the request is in hand", WAIT, () -> edge.inFlight() == 1);
            }
            Conditions.await("the request is no longer in hand once its client closed", WAIT, () -> edge.inFlight() == 0);
            long t0 = System.nanoTime();
            assertThat(edge.drain(Duration.ofSeconds(20))).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("nothing to wait for").isLessThan(Duration.ofSeconds(5));
        } finally {
            server.close();
        }
    }

    /** One HTTP/1.1 answer with a Content-Length body (the server closes the connection after it while stopping). */
    private static String readAnswer(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            all.write(buf, 0, n);
            String text = all.toString(StandardCharsets.UTF_8);
            int head = text.indexOf("\r\n\r\n");
            if (head > 0) {
                String length = Arrays.stream(text.substring(0, head).split("\r\n"))
                        .filter(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                        .map(h -> h.substring(h.indexOf(':') + 1).strip()).findFirst().orElse(null);
                if (length != null && all.size() >= head + 4 + Integer.parseInt(length)) {
                    break;
                }
            }
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
