package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import wales.exchange.delivery.http.Problems;
import wales.exchange.i18n.Messages;

/** Searches queue on their own pool: cheap routes keep answering while it is busy, and a full queue is a 503 problem. */
class SearchPoolHandlerTest {

    @Test
    void cheapRoutesAnswerWhileSearchesQueueAndAFullQueueIsA503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        HttpHandler app = ex -> {
            if (SearchPoolHandler.isSearch(ex)) {
                started.incrementAndGet();
                release.await(30, TimeUnit.SECONDS); // a search that takes long
            }
            ex.getResponseSender().send(Thread.currentThread().getName());
        };
        SearchPoolHandler pool = new SearchPoolHandler(ex -> {
            if (ex.isInIoThread()) {
                ex.dispatch(app); // as the servlet handler does: off the I/O thread onto the workers
            } else {
                app.handleRequest(ex);
            }
        }, 1, 2, 3, new Problems(new Messages(), new ObjectMapper()));
        Undertow server = Undertow.builder().addHttpListener(0, "localhost").setWorkerThreads(4).setHandler(pool).build();
        server.start();
        try {
            int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port + "/.rest/exchange/v1/";
            List<CompletableFuture<HttpResponse<String>>> searches = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // one running, two queued
                searches.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "events?q=word" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            while (pool.inFlight() < 3) {
                Thread.onSpinWait(); // wait for the condition: all three accepted
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).as("not on the search pool").doesNotStartWith("exchange-search");

            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "events?q=more&lang=cy")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(refused.headers().firstValue("Content-Language")).contains("cy");
            assertThat(started.get()).as("one search at a time").isEqualTo(1);

            release.countDown();
            for (CompletableFuture<HttpResponse<String>> s : searches) {
                HttpResponse<String> r = s.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).startsWith("exchange-search-");
            }
        } finally {
            server.stop();
            pool.close();
        }
    }

    @Test
    void oneClientCannotFillTheQueueForEveryone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpHandler app = ex -> {
            release.await(30, TimeUnit.SECONDS);
            ex.getResponseSender().send("done");
        };
        SearchPoolHandler pool = new SearchPoolHandler(ex -> {
            if (ex.isInIoThread()) {
                ex.dispatch(app);
            } else {
                app.handleRequest(ex);
            }
        }, 1, 8, 2, new Problems(new Messages(), new ObjectMapper()));
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setWorkerThreads(4).setHandler(pool).build();
        server.start();
        List<java.net.Socket> sockets = new ArrayList<>();
        try {
            int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
            for (int i = 0; i < 2; i++) { // client 127.0.0.1 uses its share
                sockets.add(search(port, "127.0.0.1", i));
            }
            while (pool.inFlight() < 2) {
                Thread.onSpinWait();
            }
            try (java.net.Socket third = search(port, "127.0.0.1", 2)) {
                assertThat(new String(third.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .startsWith("HTTP/1.1 503").contains("application/problem+json");
            }
            java.net.Socket other = search(port, "127.0.0.2", 3); // another client still gets a place in the queue
            sockets.add(other);
            while (pool.inFlight() < 3) {
                Thread.onSpinWait();
            }
            release.countDown();
            for (java.net.Socket s : sockets) {
                assertThat(new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            }
        } finally {
            release.countDown();
            for (java.net.Socket s : sockets) {
                s.close();
            }
            server.stop();
            pool.close();
        }
    }

    static java.net.Socket search(int port, String from, int n) throws Exception {
        java.net.Socket s = new java.net.Socket();
        s.bind(new InetSocketAddress(java.net.InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("GET /.rest/exchange/v1/events?q=w" + n + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return s;
    }
}
