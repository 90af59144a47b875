package wales.exchange.server;

import wales.exchange.delivery.http.ApiRoutes;
import wales.exchange.settings.TrustedProxies;
import wales.exchange.settings.ExchangeSettings;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Protocols;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.delivery.http.Problems;
import wales.exchange.delivery.http.RateLimiter;
import wales.exchange.i18n.Lang;

/**
 * The first handler of every request, whatever its path: it names the client (the peer, or the client a trusted proxy
 * forwarded for), charges the client's rate limit once, and answers malformed or unwanted requests itself with
 * problem+json (405 with Allow for other methods, 414, 431, 400 for a bad request target, Host, encoding or too many
 * parameters) before Undertow's servlet layer or RESTEasy could answer them with an HTML
 * page. It drops malformed elements of Accept and Accept-Language (RFC 9110 lets a server ignore them; RESTEasy would
 * refuse the whole request), hands paths outside {@code /.rest} to the web pages ({@link PageHandler}), and puts {@code X-Content-Type-Options} and {@code Referrer-Policy} on every answer.
 * Each refusal is logged in one line.
 */
@Singleton
final class EdgeHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeHandler.class);
    /** The methods the server answers; anything else is a 405 (POST joins when contributions are taken). */
    public static final List<String> ALLOWED_METHODS = List.of("GET", "HEAD", "OPTIONS");
    /** The same, as sent in {@code Allow} and {@code Access-Control-Allow-Methods}. */
    public static final String ALLOW = String.join(", ", ALLOWED_METHODS);
    /** Write methods, taken on the moderation API only (which authenticates every request), bodies capped. */
    public static final List<String> MODERATION_METHODS = List.of("POST", "PUT", "PATCH", "DELETE");
    static final String MODERATION_PREFIX = ExchangeServer.API_PATH + "moderation/";
    /** The largest request body of a moderation write. */
    static final long MAX_MODERATION_BODY = 64 * 1024;
    /** A moderation body over the limit but at most this long is read before the 413 (see {@link #handleRequest}). */
    static final long DRAINED_BODY = 1024 * 1024;
    /** Request line target (path and query) at most, else 414. */
    static final int MAX_TARGET = 8 * 1024;
    /** All request headers together at most (names, values and their separators), else 431. */
    static final int MAX_HEADERS_BYTES = 16 * 1024;
    /** Open connections one peer address (an IPv6 /64) may hold at most, unless it is a trusted proxy. */
    static final int MAX_CONNECTIONS_PER_ADDRESS = 64;
    /** Query parameters at most, else 400. */
    static final int MAX_PARAMETERS = 100;
    /** Undertow's own hard cap of the request head, above which it closes with an empty 400 (see ExchangeServer). */
    static final int HARD_HEAD_LIMIT = 64 * 1024;
    static final String REST_PREFIX = "/.rest";
    private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");
    private static final HttpString FORWARDED = new HttpString("Forwarded");
    private static final HttpString RETRY_AFTER = new HttpString("Retry-After");

    private static final AttachmentKey<Boolean> COUNTED = AttachmentKey.create(Boolean.class);

    private volatile HttpHandler next;
    private volatile HttpHandler pages;
    private final Problems problems;
    private final RateLimiter limiter;
    private final TrustedProxies proxies;
    private final int maxConnections;
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> perPeer = new java.util.concurrent.ConcurrentHashMap<>();
    private final int maxPerPeer;
    /** Requests taken and not yet ended (their exchange complete), for {@link #drain}. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /**
     * Marked for every client request let in (not the warm-up's) once the server is ready ({@link #ready}): background
     * work gives way to them. Not before: while the server starts every request is a cheap 503, and a start without a
     * trusted snapshot waits for the repository check, which would otherwise wait for those requests.
     */
    private final ClientActivity activity;
    /** Whether {@link #setNext} gave the handler of a ready server (until then every request is a 503 "unavailable"). */
    private volatile boolean ready;
    private final Object drained = new Object();
    private volatile boolean stopping;
    private final io.undertow.server.ExchangeCompletionListener ended = (ex, nextListener) -> {
        try {
            if (inFlight.decrementAndGet() == 0 && stopping) {
                synchronized (drained) {
                    drained.notifyAll();
                }
            }
        } finally {
            nextListener.proceed();
        }
    };

    /** Until {@link #setNext} is called (the server is ready), every request is answered 503 "unavailable". */
    @Inject
    EdgeHandler(Problems problems, RateLimiter limiter, ExchangeSettings settings, ClientActivity activity) {
        this(exchange -> starting(exchange, problems), false, problems, limiter, settings.trustedProxies(), settings.maxConnections(),
                activity);
    }

    EdgeHandler(HttpHandler next, Problems problems, RateLimiter limiter, TrustedProxies proxies, int maxConnections) {
        this(next, true, problems, limiter, proxies, maxConnections, new ClientActivity());
    }

    private EdgeHandler(HttpHandler next, boolean ready, Problems problems, RateLimiter limiter, TrustedProxies proxies,
            int maxConnections, ClientActivity activity) {
        this.activity = activity;
        this.ready = ready;
        this.next = next;
        this.problems = problems;
        this.limiter = limiter;
        this.proxies = proxies;
        this.maxConnections = maxConnections;
        this.maxPerPeer = Math.min(MAX_CONNECTIONS_PER_ADDRESS, maxConnections);
    }

    /** Open connections that have sent a request. */
    int connections() {
        return connections.get();
    }

    /** Whether {@code method} is one a write route under this raw path takes ({@link ApiRoutes#writeAllowed}). */
    static boolean writeAllowed(String method, String rawPath) {
        return rawPath.startsWith(REST_PREFIX) && ApiRoutes.writeAllowed(method, rawPath.substring(REST_PREFIX.length()));
    }

    /** The methods a raw path takes, as {@code Allow} lists them ({@link ApiRoutes#allowFor}). */
    static String allowFor(String rawPath) {
        return rawPath.startsWith(REST_PREFIX) ? ApiRoutes.allowFor(rawPath.substring(REST_PREFIX.length())) : ALLOW;
    }

    /** Replaces what comes after this handler (the server answers 503 until the repository is up). */
    void setNext(HttpHandler next) {
        this.next = next;
        this.ready = true;
    }

    /** The handler of every path outside {@code /.rest} (the web pages); until set, those paths are 404 problems. */
    void setPages(HttpHandler pages) {
        this.pages = pages;
    }

    /** Every request while the repository and the index start: 503 problem+json, try again in a few seconds. */
    private static void starting(HttpServerExchange exchange, Problems p) {
        send(exchange, Response.fromResponse(p.response(503, "unavailable",
                Lang.fromAcceptLanguage(exchange.getRequestHeaders().getFirst(Headers.ACCEPT_LANGUAGE)),
                exchange.getRequestPath(), null, null, null)).header("Retry-After", "5").build());
    }

    /**
     * Stops taking requests and waits at most {@code grace} for those in hand to end (a write is answered, not cut
     * off when the listener closes): from now on every new request is a 503 problem with Retry-After, its connection
     * closed after it, so a load balancer or client tries again, elsewhere or later. Returns the requests still in
     * hand when it gave up (0: all ended). Logged in one line each way.
     */
    int drain(java.time.Duration grace) throws InterruptedException {
        long t0 = System.nanoTime();
        stopping = true; // after this write, a request that read false is already counted in inFlight
        int open = inFlight.get();
        if (open > 0) {
            LOG.info("stopping: no new requests taken; waiting up to {} s for {} in hand", grace.toSeconds(), open);
        }
        long deadline = t0 + grace.toNanos();
        synchronized (drained) {
            for (long left = deadline - System.nanoTime(); inFlight.get() > 0 && left > 0; left = deadline - System.nanoTime()) {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
        }
        int left = inFlight.get();
        if (left > 0) {
            LOG.warn("stopping: {} request(s) still in hand after {} s: their connections are closed", left, grace.toSeconds());
        } else if (open > 0) {
            LOG.info("stopping: the requests in hand ended in {} ms", (System.nanoTime() - t0) / 1_000_000);
        }
        return left;
    }

    /** Requests taken and not yet ended. */
    int inFlight() {
        return inFlight.get();
    }

    /** Whether {@link #drain} was called: new requests are refused. */
    boolean stopping() {
        return stopping;
    }

    /** Every request once the server stops: 503 problem+json, try again shortly (elsewhere, behind a load balancer). */
    private void stoppingAnswer(HttpServerExchange exchange) {
        exchange.setPersistent(false);
        send(exchange, Response.fromResponse(problems.response(503, "unavailable", lang(exchange, false),
                instance(exchange.getRequestPath()), "exchange.problem.unavailable.stopping.detail", null, null))
                .header(RETRY_AFTER.toString(), "5").build());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        // counted before stopping is read (see drain): a request let in is one drain waits for
        inFlight.incrementAndGet();
        exchange.addExchangeCompleteListener(ended);
        if (stopping) {
            stoppingAnswer(exchange); // not logged: a busy server would flood the log while it stops
            return;
        }
        exchange.addResponseCommitListener(ex -> {
            ex.getResponseHeaders().put(NOSNIFF, "nosniff");
            ex.getResponseHeaders().put(REFERRER_POLICY, "no-referrer");
        });
        HeaderMap in = exchange.getRequestHeaders();
        InetAddress peer = exchange.getSourceAddress() == null ? null : exchange.getSourceAddress().getAddress();
        InetAddress client = client(exchange);
        String method = exchange.getRequestMethod().toString();
        String rawPath = exchange.getRequestPath(); // not decoded: DECODE_URL is off, the decoding handler comes after this
        String rawQuery = exchange.getQueryString();

        // the rate limit first: nothing below, not even a refusal's log line, is free for a client over its limit
        boolean own = WarmUp.own(exchange);
        if (!own && ready) {
            activity.request();
        }
        long wait = own ? 0 : limiter.take(RateLimiter.key(client)); // the server's own warm-up: free
        if (wait > 0) {
            Response r = problems.response(429, "tooManyRequests", lang(exchange, false), instance(rawPath), null, null, null);
            send(exchange, Response.fromResponse(r).header(RETRY_AFTER.toString(), Long.toString(wait)).build());
            return; // not logged: a flood would flood the log
        }
        String over = overConnectionLimit(exchange, peer);
        if (over != null) {
            exchange.setPersistent(false);
            refuse(exchange, client, Response.fromResponse(problems.response(503, "unavailable", lang(exchange, false),
                    instance(exchange.getRequestPath()), null, null, null)).header(RETRY_AFTER.toString(), "1").build(), over);
            return;
        }
        boolean moderationWrite = MODERATION_METHODS.contains(method) && rawPath.startsWith(MODERATION_PREFIX);
        if (moderationWrite) {
            String length = in.getFirst(io.undertow.util.Headers.CONTENT_LENGTH);
            if (length != null && (!length.matches("[0-9]{1,18}") || Long.parseLong(length) > MAX_MODERATION_BODY)) {
                exchange.setPersistent(false);
                Response tooLarge = problems.detailed(413, "contentTooLarge", lang(exchange, false), instance(rawPath),
                        "exchange.problem.contentTooLarge.detail", Long.toString(MAX_MODERATION_BODY));
                String why = "body of " + length + " bytes";
                if (length.matches("[0-9]{1,18}") && Long.parseLong(length) <= DRAINED_BODY) {
                    // read (and drop) a body not much too large before answering: closing a connection with unread
                    // bytes resets it, and the client, still sending, may lose the answer (seen in ModerationContractTest)
                    exchange.getRequestReceiver().receivePartialBytes((x, data, last) -> {
                        if (last) {
                            refuse(x, client, tooLarge, why);
                        }
                    }, (x, e) -> refuse(x, client, tooLarge, why));
                } else {
                    refuse(exchange, client, tooLarge, why);
                }
                return;
            }
            exchange.setMaxEntitySize(MAX_MODERATION_BODY); // a chunked body is cut off there
        }
        if (!ALLOWED_METHODS.contains(method) && !moderationWrite && !writeAllowed(method, rawPath)) {
            refuse(exchange, client, Response.fromResponse(problems.response(405, "methodNotAllowed", lang(exchange, false),
                    instance(rawPath), "exchange.problem.methodNotAllowed.detail", null, null)).header("Allow", allowFor(rawPath)).build(), "method " + method);
            return;
        }
        int targetLength = exchange.getRequestURI().length() + (rawQuery.isEmpty() ? 0 : rawQuery.length() + 1);
        if (targetLength > MAX_TARGET) {
            refuse(exchange, client, problems.detailed(414, "uriTooLong", lang(exchange, false), instance(rawPath),
                    "exchange.problem.uriTooLong.detail", Integer.toString(MAX_TARGET)), "target of " + targetLength + " characters");
            return;
        }
        int headerBytes = headerBytes(in);
        if (headerBytes > MAX_HEADERS_BYTES) {
            refuse(exchange, client, problems.detailed(431, "headersTooLarge", lang(exchange, false), instance(rawPath),
                    "exchange.problem.headersTooLarge.detail", Integer.toString(MAX_HEADERS_BYTES)), "headers of " + headerBytes + " bytes");
            return;
        }
        String reason = RequestChecks.path(rawPath);
        if (reason == null) {
            reason = RequestChecks.host(in.get(Headers.HOST), exchange.getProtocol().equals(Protocols.HTTP_1_1));
        }
        if (reason == null) {
            reason = RequestChecks.query(rawQuery);
        }
        if (reason == null && RequestChecks.parameterCount(rawQuery) > MAX_PARAMETERS) {
            reason = RequestChecks.PARAMETERS;
        }
        if (reason == null) {
            reason = RequestChecks.contentType(in.getFirst(Headers.CONTENT_TYPE));
        }
        if (reason != null) {
            refuse(exchange, client, problems.detailed(400, "malformedRequest", lang(exchange, false), instance(rawPath),
                    "exchange.problem.malformedRequest." + reason, Integer.toString(MAX_PARAMETERS)), reason);
            return;
        }
        clean(in, Headers.ACCEPT_LANGUAGE, RequestChecks.acceptLanguage(listOf(in.get(Headers.ACCEPT_LANGUAGE))));
        clean(in, Headers.ACCEPT, RequestChecks.accept(listOf(in.get(Headers.ACCEPT))));
        if (!rawPath.equals(REST_PREFIX) && !rawPath.startsWith(REST_PREFIX + "/") && pages != null) {
            pages.handleRequest(exchange); // the web pages (docs/pages.md), once the server is ready
            return;
        }
        if (!rawPath.equals(REST_PREFIX) && !rawPath.startsWith(REST_PREFIX + "/")) {
            // no such route (not "no published item"): the detail points at the API root. An ordinary 404: not logged
            send(exchange, problems.noRoute(lang(exchange, true), instance(rawPath), ExchangeServer.API_PATH));
            return;
        }
        next.handleRequest(exchange);
    }

    /**
     * Counts a connection at its first request (until it closes), in all and per peer address (a trusted proxy is one
     * peer for many clients and has no share of its own); says why when that makes one too many, else null.
     */
    private String overConnectionLimit(HttpServerExchange exchange, InetAddress peer) {
        var connection = exchange.getConnection();
        Boolean over = connection.getAttachment(COUNTED);
        if (over != null) {
            return over ? "over the connection limit" : null;
        }
        int open = connections.incrementAndGet();
        String key = peer == null || proxies.trusts(peer) ? null : RateLimiter.key(peer);
        int mine = key == null ? 0 : perPeer.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        connection.addCloseListener(c -> {
            connections.decrementAndGet();
            if (key != null) {
                perPeer.computeIfPresent(key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        });
        String why = open > maxConnections ? "over " + maxConnections + " connections"
                : mine > maxPerPeer ? "over " + maxPerPeer + " connections from one address" : null;
        connection.putAttachment(COUNTED, why != null);
        return why;
    }

    /** The client: the peer, or (from a trusted proxy) the address it forwarded for; set as the exchange's source. */
    private InetAddress client(HttpServerExchange exchange) {
        InetSocketAddress peer = exchange.getSourceAddress();
        InetAddress address = peer == null ? null : peer.getAddress();
        if (address == null || proxies.isEmpty()) {
            return address;
        }
        HeaderMap in = exchange.getRequestHeaders();
        InetAddress client = proxies.client(address, listOf(in.get(FORWARDED)), listOf(in.get(Headers.X_FORWARDED_FOR)));
        if (!client.equals(address)) {
            exchange.setSourceAddress(new InetSocketAddress(client, peer.getPort())); // servlet, RESTEasy and access log see it
        }
        return client;
    }

    private static List<String> listOf(HeaderValues values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    private static int headerBytes(HeaderMap in) {
        int n = 0;
        for (HeaderValues h : in) {
            for (String v : h) {
                n += h.getHeaderName().length() + v.length() + 4; // "name: value\r\n"
            }
        }
        return n;
    }

    private static void clean(HeaderMap in, HttpString name, String kept) {
        HeaderValues values = in.get(name);
        if (values == null) {
            return;
        }
        if (kept == null) {
            in.remove(name);
        } else if (values.size() != 1 || !values.getFirst().strip().equals(kept)) {
            in.put(name, kept);
        }
    }

    /** The request's language: {@code lang} when the query is known to be well formed, else Accept-Language. */
    /** The request's language for a problem: Accept-Language, and {@code lang} once the query is known to be sound. */
    static Lang lang(HttpServerExchange exchange, boolean queryChecked) {
        HeaderMap in = exchange.getRequestHeaders();
        Lang lang = Lang.fromAcceptLanguage(RequestChecks.acceptLanguage(listOf(in.get(Headers.ACCEPT_LANGUAGE))));
        if (queryChecked) {
            Deque<String> l = exchange.getQueryParameters().get("lang");
            if (l != null && !l.isEmpty()) {
                lang = Lang.parse(l.getFirst()).orElse(lang);
            }
        }
        return lang;
    }

    private static String instance(String rawPath) {
        return rawPath == null ? "" : rawPath.length() > 500 ? rawPath.substring(0, 500) : rawPath;
    }

    private static void refuse(HttpServerExchange exchange, InetAddress client, Response r, String why) {
        String path = exchange.getRequestURI();
        LOG.info("{} {} {} from {}: {}", r.getStatus(), printable(exchange.getRequestMethod().toString()),
                printable(path.length() > 200 ? path.substring(0, 200) + "…" : path), client == null ? "unknown" : client.getHostAddress(), why);
        send(exchange, r);
    }

    /** A client's text for the log: control characters (terminal escapes, line breaks) as {@code \\uXXXX}. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Sends a JAX-RS response built by {@link Problems} (status, headers, byte[] body) straight from Undertow. */
    static void send(HttpServerExchange exchange, Response r) {
        exchange.setStatusCode(r.getStatus());
        HeaderMap out = exchange.getResponseHeaders();
        for (Map.Entry<String, List<String>> h : r.getStringHeaders().entrySet()) {
            out.putAll(HttpString.tryFromString(h.getKey()), h.getValue());
        }
        if (r.getMediaType() != null) {
            out.put(Headers.CONTENT_TYPE, r.getMediaType().toString());
        }
        String vary = out.getFirst(Headers.VARY);
        if (vary != null && !vary.contains("Origin")) {
            out.put(Headers.VARY, vary + ", Origin"); // as every answer of the JAX-RS chain (CorsFilter)
        }
        byte[] body = (byte[]) r.getEntity();
        out.put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
