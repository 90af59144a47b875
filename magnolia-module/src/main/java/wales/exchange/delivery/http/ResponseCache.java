package wales.exchange.delivery.http;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import wales.exchange.i18n.Lang;

/**
 * Rendered public responses (single items and lists, searches included), keyed by what a response depends on after negotiation (trusted base URL, path, query,
 * language, media type; never raw request headers), valid for one read-model generation and at most
 * {@code ttlMillis}. The delivery endpoint fills it; a host may answer repeated and conditional GETs from it before the
 * JAX-RS chain (the standalone server does, as Magnolia's cache filter would). Never holds preview or cross-origin
 * responses.
 *
 * <p>Bounded by bytes (bodies, headers and keys), evicting least-recently-used entries: lookups never lock (a map read
 * and a stamp write); the thread whose put crosses the budget evicts the oldest-used entries down to 90% of it.
 */
public final class ResponseCache {
    /** Default budget: 32 MiB. */
    public static final long DEFAULT_MAX_BYTES = 32L << 20;
    /** Keys longer than this are not cached (a long query string is a rare request, not worth the memory). */
    static final int MAX_KEY_LENGTH = 2048;
    /** What an entry costs beyond its bytes: the map node, the record, arrays' headers. */
    static final int ENTRY_OVERHEAD = 256;
    private final Map<String, Node> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong tick = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
    private final ReentrantLock evicting = new ReentrantLock();
    private final LongSupplier generation;
    private final Clock clock;
    private final long maxBytes;
    private final long ttlMillis;

    /**
     * @param generation the delivery index's current generation, never blocking (-1 while it catches up with a save: no hits)
     * @param maxBytes   the memory budget
     * @param ttlMillis  how long an entry may be served at most (the responses' max-age)
     */
    public ResponseCache(LongSupplier generation, Clock clock, long maxBytes, long ttlMillis) {
        if (maxBytes < 1 || ttlMillis < 1) {
            throw new IllegalArgumentException("the response cache needs a positive budget and lifetime");
        }
        this.generation = generation;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.ttlMillis = ttlMillis;
    }

    /** A cached 200 response: headers as name/value pairs in order, the body and its ETag. */
    public record Cached(long generation, List<String[]> headers, byte[] body, String etag) {
        long size() {
            long n = body.length + etag.length() * 2L;
            for (String[] h : headers) {
                n += 2L * (h[0].length() + h[1].length()) + 48;
            }
            return n;
        }
    }

    private static final class Node {
        final Cached cached;
        final long expires;
        final long size;
        volatile long used;

        Node(Cached cached, long expires, long size, long used) {
            this.cached = cached;
            this.expires = expires;
            this.size = size;
            this.used = used;
        }
    }

    /**
     * The key of a public response: the trusted base its absolute URLs use (see {@link PublicBase}), the raw path and
     * query as requested, and the negotiated language and media type. Null when the request is too long to cache.
     */
    public static String key(String base, String rawPath, String rawQuery, Lang lang, String mediaType) {
        int length = base.length() + rawPath.length() + (rawQuery == null ? 0 : rawQuery.length()) + mediaType.length() + 8;
        if (length > MAX_KEY_LENGTH) {
            return null;
        }
        return base + '\n' + rawPath + '?' + (rawQuery == null ? "" : rawQuery) + '\n' + lang.tag() + '\n' + mediaType;
    }

    /** The entry for {@code key} if it was rendered from the current content and has not expired, else null. */
    public Cached current(String key) {
        if (key == null) {
            return null;
        }
        Node n = entries.get(key);
        if (n == null) {
            return null;
        }
        long g = generation.getAsLong();
        if (g < 0) {
            return null; // the index is catching up with a save: answer from the full path, keep the entry for now
        }
        if (n.cached.generation() != g || clock.millis() >= n.expires) {
            if (entries.remove(key, n)) {
                bytes.addAndGet(-n.size);
            }
            return null;
        }
        n.used = tick.incrementAndGet();
        hits.increment();
        return n.cached;
    }

    /** Keeps a response; null keys (too long) are ignored. */
    public void put(String key, Cached cached) {
        if (key == null) {
            return;
        }
        long size = cached.size() + 2L * key.length() + ENTRY_OVERHEAD;
        if (size > maxBytes / 16) {
            return; // one response may not push out a sixteenth of everything else
        }
        Node n = new Node(cached, clock.millis() + ttlMillis, size, tick.incrementAndGet());
        Node old = entries.put(key, n);
        long total = bytes.addAndGet(size - (old == null ? 0 : old.size));
        if (total > maxBytes && evicting.tryLock()) {
            try {
                evict();
            } catch (RuntimeException e) {
                // caching must never fail a response: the next put over the budget tries again
                org.slf4j.LoggerFactory.getLogger(ResponseCache.class).warn("response cache eviction failed: {}", e.toString());
            } finally {
                evicting.unlock();
            }
        }
    }

    /** Removes expired entries, then the least recently used ones, until the cache holds at most 90% of its budget. */
    private void evict() {
        long now = clock.millis();
        long g = generation.getAsLong();
        // each entry's last use is copied once: readers keep stamping it, and a sort on a changing key breaks
        List<Candidate> live = new ArrayList<>();
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            Node n = e.getValue();
            if (n.expires <= now || (g >= 0 && n.cached.generation() != g)) {
                if (entries.remove(e.getKey(), n)) {
                    bytes.addAndGet(-n.size);
                }
            } else {
                live.add(new Candidate(e.getKey(), n, n.used));
            }
        }
        long target = maxBytes - maxBytes / 10;
        if (bytes.get() <= target) {
            return;
        }
        live.sort(Comparator.comparingLong(Candidate::used));
        for (Candidate c : live) {
            if (bytes.get() <= target) {
                break;
            }
            if (entries.remove(c.key(), c.node())) {
                bytes.addAndGet(-c.node().size);
            }
        }
    }

    private record Candidate(String key, Node node, long used) {
    }

    /** Bytes held now (approximate under concurrent puts). */
    public long bytes() {
        return bytes.get();
    }

    public int size() {
        return entries.size();
    }

    /** Lookups answered from the cache so far (current entries returned). */
    public long hits() {
        return hits.sum();
    }

    /** True when an If-None-Match header value matches the ETag (weak comparison, RFC 9110 §13.1.2). */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch.strip().equals("*")) {
            return true;
        }
        for (String t : ifNoneMatch.split(",")) {
            String tag = t.strip();
            if ((tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
