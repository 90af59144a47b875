package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One address cannot take every connection: it has a share of its own, and others are still served. */
class ConnectionShareTest {

    static Socket requestFrom(String local, int port) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        s.getOutputStream().write("GET /.rest/exchange/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfConnections() throws Exception {
        try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--no-demo").start()) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < EdgeHandler.MAX_CONNECTIONS_PER_ADDRESS; i++) {
                    Socket s = requestFrom("127.0.0.1", server.port());
                    held.add(s);
                    assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                }
                try (Socket one = requestFrom("127.0.0.1", server.port())) {
                    String answer = new String(one.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(answer).startsWith("HTTP/1.1 503").contains("application/problem+json");
                }
                try (Socket other = requestFrom("127.0.0.2", server.port())) {
                    assertThat(new String(other.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
