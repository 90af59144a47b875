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
 */
final class FastPathHandler implements HttpHandler {
    private static final String PREFIX = ExchangeServer.API_PATH;
    private static final HttpString PREVIEW = new HttpString(DeliveryEndpoint.PREVIEW_HEADER);
    private final HttpHandler next;
    private final ResponseCache cache;
    private final DeliveryConfig config;

    FastPathHandler(HttpHandler next, ResponseCache cache, DeliveryConfig config) {
        this.next = next;
        this.config = config;
        this.cache = cache;
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
                return;
            }
        }
        next.handleRequest(exchange);
    }
}
