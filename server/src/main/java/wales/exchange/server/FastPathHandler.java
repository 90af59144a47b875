package wales.exchange.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.http.DeliveryEndpoint;
import wales.exchange.delivery.http.ResponseCache;

/**
 * Answers repeated public GETs of items and lists from the {@link ResponseCache} (200 with the cached bytes, or 304
 * when the client's ETag is current) before the servlet and JAX-RS chain, like Magnolia's cache filter. It sits in
 * front of {@link SearchPoolHandler}: a cached search answer is served here, one not cached queues for the search pool.
 * Anything else (a preview, a cross-origin request, If-Modified-Since, content changed since) goes down the full chain. The rate limit
 * was charged once already, by {@link EdgeHandler}, for every request whatever its path.
 *
 * <p>A plain public GET of an item in JSON that the cache does not hold (a cold item) is answered on a worker thread by
 * {@link DeliveryEndpoint#coldItem}, which renders and keeps it as the endpoint would, and then served as a hit: the
 * servlet and JAX-RS chain cost about half of a cold item's time (JFR, 2026-12-01). What that method declines (an
 * unknown id, other parameters, JSON-LD) goes down the full chain from the worker. A plain public GET of a list the
 * cache does not hold (a cold list, not a search) is answered the same way by {@link DeliveryEndpoint#coldList}.
 * A fast-path answer that fails goes down the full chain too, which answers it (with its problem, if it fails
 * again); the failure is logged here, the first and then every {@value #LOG_EVERY}th, with the count.
 */
final class FastPathHandler implements HttpHandler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FastPathHandler.class);
    static final int LOG_EVERY = 1000;
    private static final String PREFIX = ExchangeServer.API_PATH;
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    private static final HttpString PREVIEW = new HttpString(DeliveryEndpoint.PREVIEW_HEADER);
    private final HttpHandler next;
    private final ResponseCache cache;
    private final DeliveryConfig config;
    /** Answers cold items; null: none (every miss goes down the full chain). */
    private final DeliveryEndpoint items;

    FastPathHandler(HttpHandler next, ResponseCache cache, DeliveryConfig config, DeliveryEndpoint items) {
        this.next = next;
        this.config = config;
        this.cache = cache;
        this.items = items;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap in = exchange.getRequestHeaders();
        if (exchange.getRequestMethod().equals(Methods.GET) && exchange.getRequestURI().startsWith(PREFIX)
                && !in.contains(PREVIEW) && !in.contains(Headers.ORIGIN) && !in.contains(Headers.IF_MODIFIED_SINCE)
                && !exchange.getQueryString().contains("preview=")) {
            String query = exchange.getQueryString();
            ResponseCache.Cached c = cache.current(DeliveryEndpoint.cacheKey(config, in.getFirst(Headers.HOST), exchange.getRequestURI(),
                    query.isEmpty() ? null : query, in.getFirst(Headers.ACCEPT_LANGUAGE), in.getFirst(Headers.ACCEPT)));
            if (c != null) {
                serve(exchange, c);
                return;
            }
            if (items != null && query.length() <= 7 && items.itemType(exchange.getRequestURI()) != null) {
                // perhaps a cold item: rendered on a worker (it may read the bodies file or wait for the index)
                exchange.dispatch((HttpHandler) x -> answer(exchange, () -> items.coldItem(in.getFirst(Headers.HOST),
                        exchange.getRequestURI(), query.isEmpty() ? null : query, in.getFirst(Headers.ACCEPT_LANGUAGE),
                        in.getFirst(Headers.ACCEPT))));
                return;
            }
            if (items != null && items.listType(exchange.getRequestURI()) != null && !SearchPoolHandler.isSearch(exchange)) {
                // perhaps a cold list (a query not asked before): rendered on a worker (it may wait for the index)
                exchange.dispatch((HttpHandler) x -> answer(exchange, () -> items.coldList(in.getFirst(Headers.HOST),
                        exchange.getRequestURI(), query.isEmpty() ? null : query, in.getFirst(Headers.ACCEPT_LANGUAGE),
                        in.getFirst(Headers.ACCEPT))));
                return;
            }
        }
        next.handleRequest(exchange);
    }

    /**
     * On a worker: the answer {@code render} gives, sent from the connection's I/O thread, or, when it declines (null)
     * or fails, the full chain's. Sent from the I/O thread because an exchange that ends on a worker makes Undertow's
     * read listener spin on the connection's state until the worker has finished it (HttpReadListener.handleEvent):
     * with two cores and 32 connections that spin was a fifth of the CPU samples (JFR, 2026-12-01).
     */
    private void answer(HttpServerExchange exchange, java.util.function.Supplier<ResponseCache.Cached> render) throws Exception {
        ResponseCache.Cached fresh;
        try {
            fresh = render.get();
        } catch (RuntimeException e) {
            long n = failures.incrementAndGet();
            if (n == 1 || n % LOG_EVERY == 0) { // the full chain answers it (and logs what fails there again)
                LOG.warn("fast path: {} failed ({} so far), answered by the full chain: {}", exchange.getRequestURI(), n, e.toString(), e);
            }
            fresh = null;
        }
        if (fresh == null) {
            next.handleRequest(exchange);
            return;
        }
        ResponseCache.Cached c = fresh;
        exchange.dispatch(exchange.getIoThread(), (HttpHandler) x -> serve(x, c));
    }

    /** A cached answer: 304 when the client's ETag is current, else 200 with the bytes. */
    private static void serve(HttpServerExchange exchange, ResponseCache.Cached c) {
        HeaderMap in = exchange.getRequestHeaders();
        HeaderMap out = exchange.getResponseHeaders();
        for (String[] h : c.headers()) {
            out.add(HttpString.tryFromString(h[0]), h[1]);
        }
        String inm = in.getFirst(Headers.IF_NONE_MATCH);
        if (inm != null && ResponseCache.matches(inm, c.etag())) {
            exchange.setStatusCode(304);
            out.remove(Headers.CONTENT_TYPE);
            exchange.endExchange();
        } else {
            out.put(Headers.CONTENT_LENGTH, c.body().length);
            exchange.getResponseSender().send(ByteBuffer.wrap(c.body()));
        }
    }
}
