package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import wales.exchange.content.Item;

/** The test server itself: a free port unless one is given, the API's URLs, one start, and nothing left listening after close. */
class ExchangeServerExtensionTest {

    @Test
    void startsOnAFreePortAndStopsListeningOnClose() throws Exception {
        int port;
        try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--no-demo").start()) {
            port = server.port();
            assertThat(port).isPositive().isNotEqualTo(8080);
            assertThat(server.url("/health")).isEqualTo("http://localhost:" + port + "/.rest/exchange/v1/health");
            assertThat(server.json(server.get("/health")).get("status").asText()).isEqualTo("up");
            assertThat(server.raw("GET /.rest/exchange/v1/health HTTP/1.1\r\nHost: localhost").status()).isEqualTo(200);
            List<Item> events = server.withSession((s, content) -> content.list(s, "event", 0, 10));
            assertThat(events).as("--no-demo").isEmpty();
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(ConnectException.class);
    }
}
