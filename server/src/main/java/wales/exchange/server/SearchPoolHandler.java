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
    private static final String PREFIX = "/.rest/exchange/v1/";
    private final HttpHandler next;
    private final ExecutorService pool;
    private final int capacity;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ProblemWriter problems;

    /**
     * @param threads searches run at once
     * @param queue   searches waiting at most; beyond, 503
     */
    SearchPoolHandler(HttpHandler next, int threads, int queue, ProblemWriter problems) {
        this.next = next;
        this.capacity = threads + queue;
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
        if (inFlight.incrementAndGet() > capacity) {
            inFlight.decrementAndGet();
            LOG.debug("search queue full: 503 for {}", exchange.getRequestPath());
            exchange.getResponseHeaders().put(io.undertow.util.Headers.RETRY_AFTER, "1");
            problems.send(exchange, 503, "unavailable", "exchange.problem.unavailable.search.detail");
            return;
        }
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            inFlight.decrementAndGet();
            nextListener.proceed();
        });
        exchange.dispatch(pool, next);
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
