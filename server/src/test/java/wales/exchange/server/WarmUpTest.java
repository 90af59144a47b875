package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.DeliveryModule;
import wales.exchange.model.ContentModel;

/** The JIT warm-up after a start: bounded, valid list queries, free of the rate limit and the access log, logged once. */
class WarmUpTest {

    @Test
    void aStartedServerAsksItsListRoutesOnceFreeOfTheRateLimitAndTheAccessLog() throws Exception {
        String log = TransportHardeningTest.logOf(() -> {
            // a rate limit of 1 request a second: the warm-up's 300 requests would mostly be 429s if it were charged
            try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--warm-up", "300",
                    "--rate-limit", "1", "--access-log").start()) {
                WarmUp w = server.server().warmUp();
                assertThat(w).isNotNull();
                w.join(WarmUp.MAX_MILLIS + 30_000);
                assertThat(w.done()).as("bounded in time").isTrue();
                assertThat(w.asked()).isEqualTo(300);
                assertThat(w.notOk()).as("answers that were not 200").isZero();
                // items the list answers named, every other request while there are some: the item route is compiled too
                assertThat(w.itemsAsked()).as("items asked (each once: the demo content has a few)").isPositive().isLessThan(150);
                assertThat(server.injector().getInstance(wales.exchange.delivery.http.DeliveryEndpoint.class).coldItems())
                        .as("items answered as a client's cold item is").isGreaterThanOrEqualTo(w.itemsAsked());
                // clients are still limited: a burst of 2, then 429
                int ok = 0;
                while (ok < 10 && server.get("/events").statusCode() == 200) {
                    ok++;
                }
                assertThat(ok).isBetween(1, 4);
            }
        });
        assertThat(log).containsOnlyOnce("warm-up: 300 requests (").contains(" items) in ").contains("(0 not 200)");
        assertThat(log).as("the access log has only the test's requests").doesNotContain("exchange-warm-up")
                .contains("\"GET /.rest/exchange/v1/events HTTP/1.1\" 200");
    }

    /**
     * A first run of clients right after a start shared the two cores with the warm-up (and the repository check) and ran
     * at a third to a half of its later speed: the warm-up now waits while clients are being served.
     */
    @Test
    void theWarmUpWaitsWhileClientsAreServed() throws Exception {
        String log = TransportHardeningTest.logOf(() -> {
            try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--warm-up", "100000",
                    "--rate-limit", "1000000").start()) {
                WarmUp w = server.server().warmUp();
                assertThat(w).isNotNull();
                long deadline = System.nanoTime() + WarmUp.MAX_MILLIS * 1_000_000;
                // a client, one request after another, until the warm-up is seen waiting (pausedMillis() only counts a
                // wait once it ended: waiting for it while the client asks raced the warm-up's own 30 s limit)
                while (!waitingForClients() && !w.done() && System.nanoTime() < deadline) {
                    assertThat(server.get("/events").statusCode()).isEqualTo(200);
                }
                // the client stops: the warm-up goes on after the quiet time
                Conditions.await("the warm-up goes on", java.time.Duration.ofSeconds(20), () -> w.pausedMillis() > 0 || w.done());
                assertThat(w.pausedMillis()).as("waited while the client asked").isPositive();
            }
        });
        assertThat(log).doesNotContain("warm-up: stopped after");
    }

    /**
     * (From the review of the pacing work.) A stop while clients are being served: the warm-up's wait for them ends at
     * once, and its thread with it (its close waited 5 s for a thread that went on waiting, up to its 30 s limit).
     */
    @Test
    void closingTheWarmUpEndsItsWaitForClients() throws Exception {
        try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--warm-up", "100000",
                "--rate-limit", "1000000").start()) {
            WarmUp w = server.server().warmUp();
            assertThat(w).isNotNull();
            java.util.concurrent.atomic.AtomicBoolean asking = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread client = new Thread(() -> { // one request after another until told to end
                try {
                    while (asking.get()) {
                        server.get("/events");
                    }
                } catch (Exception e) {
                    // the server went away
                }
            }, "warm-up-test-client");
            client.start();
            try {
                Conditions.await("the warm-up waits for the client", java.time.Duration.ofSeconds(25), WarmUpTest::waitingForClients);
                w.close();
                assertThat(w.done()).as("the warm-up's thread ended with its close, the client still asking").isTrue();
            } finally {
                asking.set(false);
                client.join();
            }
        }
    }

    /** Whether the warm-up's thread is waiting while clients are being served ({@link ClientActivity#awaitQuiet}). */
    private static boolean waitingForClients() {
        return Thread.getAllStackTraces().entrySet().stream().anyMatch(e -> e.getKey().getName().equals("warm-up")
                && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("awaitQuiet")));
    }

    @Test
    void offByDefaultInCodeAndWithZero() throws Exception {
        assertThat(wales.exchange.settings.ExchangeSettings.builder().build().warmUp()).isZero();
        assertThat(Settings.parse(new String[] {"--in-memory"}, java.util.Map.of()).warmUp())
                .isEqualTo(wales.exchange.settings.ExchangeSettings.DEFAULT_WARM_UP);
        try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--no-demo", "--warm-up", "0").start()) {
            assertThat(server.server().warmUp()).isNull();
        }
    }

    @Test
    void itsQueriesCoverEveryTypeSortAndEnumeratedValue() throws Exception {
        try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--no-demo").start()) {
            DeliveryConfig config = server.injector().getInstance(DeliveryConfig.class);
            List<wales.exchange.model.ContentType> types = DeliveryModule.deliveredTypes(server.injector().getInstance(ContentModel.class), config);
            List<String> targets = WarmUp.targets(types, config);
            for (wales.exchange.model.ContentType type : types) {
                String base = ExchangeServer.API_PATH + config.segment(type);
                assertThat(targets).contains(base);
                assertThat(targets).anyMatch(t -> t.startsWith(base + "?") && t.contains("sort=-"));
                assertThat(targets).anyMatch(t -> t.startsWith(base + "?") && t.contains("lang=cy") && t.contains("offset=40"));
            }
            assertThat(targets).anyMatch(t -> t.contains("sort=publicationDate")).anyMatch(t -> t.contains("sort=-startDate"))
                    .anyMatch(t -> t.contains("kind=report"));
            assertThat(new java.util.HashSet<>(targets)).as("the query changes on every request").hasSameSizeAs(targets);
        }
    }

    @Test
    void aConnectionFromAnotherLocalAddressWithTheWarmUpsPortNumberIsStillRateLimited() throws Exception {
        // a client on this host (a reverse proxy connecting to the host's own address, here 127.0.0.2) whose source port
        // happens to be the number the warm-up holds on 127.0.0.1 is a client like any other
        try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--warm-up", "100000",
                "--rate-limit", "1").start()) {
            WarmUp w = server.server().warmUp();
            java.net.InetSocketAddress own = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((own = w.localAddress()) == null && !w.done() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(own).as("the warm-up's connection").isNotNull();
            assertThat(own.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            String request = "GET /.rest/exchange/v1/events HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\n\r\n";
            String answers;
            try (java.net.Socket s = new java.net.Socket()) {
                s.bind(new java.net.InetSocketAddress("127.0.0.2", own.getPort()));
                s.connect(new java.net.InetSocketAddress("127.0.0.2", server.port()), 5_000);
                s.setSoTimeout(20_000);
                s.getOutputStream().write((request.repeat(5) + request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"))
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                try {
                    for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
                        all.write(buf, 0, n);
                    }
                } catch (java.net.SocketException e) {
                    // reset after a refusal
                }
                answers = all.toString(java.nio.charset.StandardCharsets.UTF_8);
            }
            assertThat(answers).startsWith("HTTP/1.1 ").contains("HTTP/1.1 429 ");
        }
    }
}
