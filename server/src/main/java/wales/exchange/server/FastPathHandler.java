package wales.exchange.server;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
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
            ResponseCache.Hit hit = cache.find(DeliveryEndpoint.cacheKey(config, in.getFirst(Headers.HOST), exchange.getRequestURI(),
                    query.isEmpty() ? null : query, in.getFirst(Headers.ACCEPT_LANGUAGE), in.getFirst(Headers.ACCEPT)));
            if (hit != null && serve(exchange, hit)) {
                return;
            } // else not cached, or overwritten while it was copied: a miss
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

    /**
     * A cached answer from the ring: 304 when the client's ETag is current, else 200 with the body copied into the
     * connection's pooled direct buffers (a socket write takes them as they are; a heap array would be allocated per hit
     * and copied once more by the JDK), freed when the send ends. False, with nothing sent, when the body was
     * overwritten while it was copied.
     */
    private boolean serve(HttpServerExchange exchange, ResponseCache.Hit hit) {
        String inm = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
        if (inm != null && ResponseCache.matches(inm, hit.etag())) {
            notModified(exchange, hit.headers());
            return true;
        }
        ByteBufferPool pool = exchange.getConnection().getByteBufferPool();
        int size = pool.getBufferSize();
        int count = (hit.length() + size - 1) / size;
        if (!pool.isDirect() || count == 0 || count > MAX_POOLED) { // one array, as the full chain would send it
            byte[] body = new byte[hit.length()];
            if (!cache.copyBody(hit, new ByteBuffer[] {ByteBuffer.wrap(body)})) {
                return false;
            }
            ok(exchange, hit.headers(), body.length);
            ARRAY_ANSWERS.increment(); // before the send: a client may read the whole answer before send returns
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
            return true;
        }
        PooledByteBuffer[] pooled = copied(cache, hit, pool, count);
        if (pooled == null) {
            return false;
        }
        ByteBuffer[] buffers = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            buffers[i] = pooled[i].getBuffer().flip();
        }
        ok(exchange, hit.headers(), hit.length());
        POOLED_ANSWERS.increment(); // before the send, as above
        exchange.getResponseSender().send(buffers, new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange ex, Sender sender) {
                free(pooled);
                IoCallback.END_EXCHANGE.onComplete(ex, sender);
            }

            @Override
            public void onException(HttpServerExchange ex, Sender sender, java.io.IOException e) {
                free(pooled);
                IoCallback.END_EXCHANGE.onException(ex, sender, e);
            }
        });
        return true;
    }

    /**
     * The hit's body copied into {@code count} buffers of {@code pool}, not yet flipped; null, with every buffer taken
     * given back, when the body was overwritten while it was copied or no buffer could be had (the pool closed as the
     * server stops, or no direct memory left): the caller answers as if the cache had missed, and the full chain
     * answers the request, as {@link ResponseCache#put} never fails one either.
     */
    static PooledByteBuffer[] copied(ResponseCache cache, ResponseCache.Hit hit, ByteBufferPool pool, int count) {
        PooledByteBuffer[] pooled = new PooledByteBuffer[count];
        boolean whole = false;
        try {
            ByteBuffer[] buffers = new ByteBuffer[count];
            for (int i = 0; i < count; i++) {
                pooled[i] = pool.allocate(); // cleared
                buffers[i] = pooled[i].getBuffer();
            }
            whole = cache.copyBody(hit, buffers);
        } catch (RuntimeException | OutOfMemoryError e) {
            cache.unanswered(hit);
            long n = POOL_FAILURES.incrementAndGet();
            if (n == 1 || n % LOG_EVERY == 0) {
                LOG.warn("fast path: no pooled buffer for a cached answer ({} so far), answered by the full chain: {}", n, e.toString());
            }
        } finally {
            if (!whole) {
                free(pooled);
            }
        }
        return whole ? pooled : null;
    }

    private static final java.util.concurrent.atomic.AtomicLong POOL_FAILURES = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Bodies of more pooled buffers than this (16,364 bytes each by default; a list of 20 at 100k is about 30 KB) are sent
     * from one heap array: Undertow's pool keeps four free buffers per thread and frees the rest, so a request holding
     * more (its read buffer, the response's header buffer and the body's) would allocate direct buffers every time.
     */
    static final int MAX_POOLED = 2;
    /**
     * Cached answers sent from pooled buffers, and from one array, by every handler of this JVM (for tests); counted
     * before the send, so that a client holding the answer finds it counted.
     */
    static final java.util.concurrent.atomic.LongAdder POOLED_ANSWERS = new java.util.concurrent.atomic.LongAdder();
    static final java.util.concurrent.atomic.LongAdder ARRAY_ANSWERS = new java.util.concurrent.atomic.LongAdder();

    private static void free(PooledByteBuffer[] pooled) {
        for (PooledByteBuffer p : pooled) {
            if (p != null) {
                p.close(); // at most once: a second close does nothing
            }
        }
    }

    private static void notModified(HttpServerExchange exchange, java.util.List<String[]> headers) {
        HeaderMap out = exchange.getResponseHeaders();
        for (String[] h : headers) {
            out.add(HttpString.tryFromString(h[0]), h[1]);
        }
        exchange.setStatusCode(304);
        out.remove(Headers.CONTENT_TYPE);
        exchange.endExchange();
    }

    private static void ok(HttpServerExchange exchange, java.util.List<String[]> headers, int length) {
        HeaderMap out = exchange.getResponseHeaders();
        for (String[] h : headers) {
            out.add(HttpString.tryFromString(h[0]), h[1]);
        }
        out.put(Headers.CONTENT_LENGTH, length);
    }

    /** A freshly rendered answer: 304 when the client's ETag is current, else 200 with the bytes. */
    private static void serve(HttpServerExchange exchange, ResponseCache.Cached c) {
        String inm = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
        if (inm != null && ResponseCache.matches(inm, c.etag())) {
            notModified(exchange, c.headers());
        } else {
            ok(exchange, c.headers(), c.body().length);
            exchange.getResponseSender().send(ByteBuffer.wrap(c.body()));
        }
    }
}
