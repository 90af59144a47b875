package wales.exchange.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the expensive route class, full-text searches ({@code q} on a list), on a pool of its own with a bounded queue,
 * so that health, items, cached answers and plain lists keep answering on the main workers while searches queue. A
 * search arriving when the queue is full gets 503 problem+json with Retry-After at once.
 */
final class SearchPoolHandler implements HttpHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SearchPoolHandler.class);
    private static final String PREFIX = ExchangeServer.API_PATH;
    private final HttpHandler next;
    private final ExecutorService pool;
    private final int capacity;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> perClient = new java.util.concurrent.ConcurrentHashMap<>();
    private final int clientShare;
    private final wales.exchange.delivery.http.Problems problems;

    /**
     * @param threads     searches run at once
     * @param queue       searches waiting at most; beyond, 503
     * @param clientShare searches one client (address, IPv6 /64) may have running or waiting; beyond, 503, so that one
     *                    client cannot fill the queue for everyone
     */
    SearchPoolHandler(HttpHandler next, int threads, int queue, int clientShare, wales.exchange.delivery.http.Problems problems) {
        this.next = next;
        this.capacity = threads + queue;
        this.clientShare = clientShare;
        this.problems = problems;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "exchange-search-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static boolean isSearch(HttpServerExchange exchange) {
        if (!exchange.getRequestPath().startsWith(PREFIX)) {
            return false;
        }
        Deque<String> q = exchange.getQueryParameters().get("q");
        return q != null && q.stream().anyMatch(v -> !v.isBlank());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!isSearch(exchange)) {
            next.handleRequest(exchange);
            return;
        }
        java.net.InetSocketAddress source = exchange.getSourceAddress(); // the forwarded client behind a trusted proxy
        String client = wales.exchange.delivery.http.RateLimiter.key(source == null ? null : source.getAddress());
        // counted and released under the map's per-key atomicity: a counter is never used after it was removed
        boolean overShare = perClient.compute(client, (k, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            c.incrementAndGet();
            return c;
        }).get() > clientShare;
        boolean full = inFlight.incrementAndGet() > capacity;
        if (overShare || full) {
            inFlight.decrementAndGet();
            release(client);
            LOG.debug("search {}: 503 for {}", full ? "queue full" : "share of " + client + " used", exchange.getRequestPath());
            EdgeHandler.send(exchange, jakarta.ws.rs.core.Response.fromResponse(problems.response(503, "unavailable",
                    EdgeHandler.lang(exchange, true), exchange.getRequestPath(), "exchange.problem.unavailable.search.detail", null, null))
                    .header("Retry-After", "1").build());
            return;
        }
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            inFlight.decrementAndGet();
            release(client);
            nextListener.proceed();
        });
        exchange.dispatch(pool, next);
    }

    private void release(String client) {
        perClient.computeIfPresent(client, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Searches running or queued now. */
    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
