package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Background work gives way to clients: busy for {@link ClientActivity#QUIET_MILLIS} after a request, waits bounded. */
class ClientActivityTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(5_000 * MS);
    private final List<Long> sleeps = new ArrayList<>();
    /** Each sleep advances the clock by what was asked; {@link #clientUntil} keeps a client asking until then. */
    private long clientUntil = Long.MIN_VALUE;
    private ClientActivity activity;

    private ClientActivity activity() {
        activity = new ClientActivity(now::get, millis -> {
            sleeps.add(millis);
            now.addAndGet(millis * MS);
            if (now.get() < clientUntil) {
                activity.request();
            }
        });
        return activity;
    }

    @Test
    void quietUntilAClientAsksThenBusyForTheQuietTime() {
        ClientActivity a = activity();
        assertThat(a.busy()).isFalse();
        assertThat(a.awaitQuiet(2_000)).as("quiet: no wait").isZero();
        assertThat(sleeps).isEmpty();
        a.request();
        assertThat(a.busy()).isTrue();
        now.addAndGet((ClientActivity.QUIET_MILLIS - 1) * MS);
        assertThat(a.busy()).isTrue();
        now.addAndGet(2 * MS);
        assertThat(a.busy()).isFalse();
    }

    @Test
    void waitsWhileClientsAreServedThenGoesOn() {
        ClientActivity a = activity();
        a.request();
        clientUntil = now.get() + 500 * MS; // a client asks for half a second more
        long waited = a.awaitQuiet(2_000);
        assertThat(waited).as("the client's half second and the quiet time after it")
                .isBetween(500 + ClientActivity.QUIET_MILLIS - ClientActivity.STEP_MILLIS, 500 + ClientActivity.QUIET_MILLIS + ClientActivity.STEP_MILLIS);
        assertThat(a.busy()).isFalse();
        assertThat(sleeps).allMatch(s -> s == ClientActivity.STEP_MILLIS);
    }

    @Test
    void aSteadyLoadIsWaitedForAtMostTheLimit() {
        ClientActivity a = activity();
        a.request();
        clientUntil = Long.MAX_VALUE; // clients never stop
        long waited = a.awaitQuiet(2_000);
        assertThat(waited).isBetween(2_000L, 2_000L + ClientActivity.STEP_MILLIS);
        assertThat(a.busy()).as("still busy: the caller goes on anyway").isTrue();
    }

    @Test
    void nothingWaitsOnceTheServerStops() {
        ClientActivity a = activity();
        a.request();
        clientUntil = Long.MAX_VALUE;
        a.stop();
        assertThat(a.stopping()).isTrue();
        assertThat(a.awaitQuiet(2_000)).isZero();
        assertThat(sleeps).isEmpty();
    }

    /**
     * (From the review of the pacing work.) While the server starts every request is a 503 "unavailable", and a start
     * without a trusted snapshot waits for the repository check: such requests are not clients being served, or each
     * batch of that check waited up to 2 s for them and the start with it. Once the server is ready, they are.
     */
    @Test
    void requestsAnsweredWhileTheServerStartsAreNotClientsBeingServed() throws Exception {
        ClientActivity a = activity(); // the clock stands still: a request marks it busy for good
        EdgeHandler edge = new EdgeHandler(new wales.exchange.delivery.http.Problems(new wales.exchange.i18n.Messages(),
                new com.fasterxml.jackson.databind.ObjectMapper()), new wales.exchange.delivery.http.RateLimiter(1_000, 1_000),
                wales.exchange.settings.ExchangeSettings.builder().build(), a);
        io.undertow.Undertow undertow = io.undertow.Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(edge).build();
        undertow.start();
        try {
            int port = ((java.net.InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest events = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/.rest/exchange/v1/events")).build();
            assertThat(http.send(events, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
            assertThat(a.busy()).as("a request while the server starts").isFalse();
            edge.setNext(exchange -> exchange.getResponseSender().send("ok"));
            assertThat(http.send(events, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(a.busy()).as("a request once the server is ready").isTrue();
        } finally {
            undertow.stop();
        }
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        ClientActivity a = new ClientActivity(now::get, millis -> {
            throw new InterruptedException();
        });
        a.request();
        try {
            assertThat(a.awaitQuiet(2_000)).isZero();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
