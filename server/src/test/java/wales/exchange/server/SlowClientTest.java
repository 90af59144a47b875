package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Idle and slow clients are closed by the server within the configured timeouts (1 s here), and the number of
 * connections is capped. Each test waits on the socket's read returning -1 (the server closed it), never on a sleep;
 * the socket's own read timeout only bounds a failing test.
 */
class SlowClientTest {
    static final int MAX_CONNECTIONS = 3;
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--no-demo", "--idle-timeout", "1",
            "--request-timeout", "1", "--max-connections", Integer.toString(MAX_CONNECTIONS));

    static Socket connect() throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        s.setSoTimeout(15_000); // a bound for a failing test, far above the 1 s the server should take
        return s;
    }

    /** Reads until the server closes; returns the milliseconds that took. */
    static long millisUntilClosed(Socket s) throws Exception {
        long t0 = System.nanoTime();
        InputStream in = s.getInputStream();
        try {
            while (in.read() != -1) {
                // a response (e.g. a 408) may come before the close
            }
        } catch (SocketException reset) {
            // closed by the server with a reset: closed all the same
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (Socket s = connect()) {
            assertThat(millisUntilClosed(s)).isLessThan(10_000);
        }
    }

    @Test
    void aConnectionIdleAfterARequestIsClosed() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write("GET /.rest/exchange/v1/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(millisUntilClosed(s)).isLessThan(10_000);
        }
    }

    @Test
    void aSlowlorisHeaderDripIsClosed() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write("GET /.rest/exchange/v1/health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            boolean closed = false;
            // one header line every 200 ms (less than the idle timeout, so only the request timeout can end this)
            for (int i = 0; i < 100 && !closed; i++) {
                s.setSoTimeout(200);
                try {
                    closed = s.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    try {
                        out.write(("X-Drip-" + i + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (SocketException e) {
                        closed = true;
                    }
                } catch (SocketException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed while still sending headers").isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        }
    }

    @Test
    void connectionsBeyondTheCapAreRefusedWithAProblem() throws Exception {
        // a server of its own with the cap and a long idle timeout: held connections must not time out mid-test
        try (ExchangeServerExtension capped = new ExchangeServerExtension("--in-memory", "--no-demo",
                "--max-connections", Integer.toString(MAX_CONNECTIONS)).start()) {
            connectionsBeyondTheCapAreRefused(capped);
        }
    }

    private static void connectionsBeyondTheCapAreRefused(ExchangeServerExtension server) throws Exception {
        Socket[] open = new Socket[MAX_CONNECTIONS];
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                open[i] = new Socket(InetAddress.getLoopbackAddress(), server.port());
                open[i].setSoTimeout(15_000);
                open[i].getOutputStream().write("GET /.rest/exchange/v1/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(open[i].getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            }
            RawHttp.Answer refused = server.raw("GET /.rest/exchange/v1/health HTTP/1.1\r\nHost: x\r\n");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.header("Retry-After")).isNotNull();
        } finally {
            for (Socket s : open) {
                if (s != null) {
                    s.close();
                }
            }
        }
        // once they are closed, new clients are served again (the server notices the closes asynchronously)
        int status = 0;
        for (int i = 0; i < 100 && status != 200; i++) {
            status = server.raw("GET /.rest/exchange/v1/health HTTP/1.1\r\nHost: x\r\n").status();
        }
        assertThat(status).isEqualTo(200);
    }
}
