package wales.exchange.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs public submissions ({@code POST /contributions} and {@code POST /comments}) on a pool of their own. A submission
 * waits for the intake's group commit (wales.exchange.intake.IntakeWriter: the writer saves the submissions queued
 * meanwhile in one save): on the few main workers ({@link ExchangeServer#WORKER_THREADS}) only that many could wait at
 * once, so batches would stay that small, and reads would wait behind them. Waiting threads cost no CPU.
 */
final class IntakePoolHandler implements HttpHandler, AutoCloseable {
    private static final String CONTRIBUTIONS = ExchangeServer.API_PATH + "contributions";
    private static final String COMMENTS = ExchangeServer.API_PATH + "comments";
    private final HttpHandler next;
    private final ExecutorService pool;

    /** @param threads submissions handled at once (at least the writer's largest batch, so that a batch can fill) */
    IntakePoolHandler(HttpHandler next, int threads) {
        this.next = next;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "exchange-intake-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static boolean isSubmission(HttpServerExchange exchange) {
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            return false;
        }
        String path = exchange.getRequestPath();
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.equals(CONTRIBUTIONS) || p.equals(COMMENTS);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (isSubmission(exchange)) {
            exchange.dispatch(pool, next);
        } else {
            next.handleRequest(exchange);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
