package wales.exchange.delivery.http;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Clock;
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
 * <p>Bounded by bytes (bodies, headers and keys). The bodies live outside the collected heap, in a ring of direct
 * buffers (slabs of {@link #SLAB_BYTES}, allocated as the ring first reaches them, never freed while the cache lives):
 * a put copies the body to the ring's head, overwriting the oldest-written entries, which leave the map. A cached body is
 * thus never a heap object that outlives a few collections of the young generation (before, every list response
 * was kept in the heap until it was evicted: with more distinct lists asked than the cache holds, each one was
 * promoted to the old generation and died there, filling it for a full collection every few seconds). A lookup ({@link #find})
 * copies no body; the caller copies it ({@link #copyBody}) where it wants it, into a new array ({@link #current}) or
 * into the server's pooled direct buffers, which a socket write takes as they are (a heap array is copied once more
 * into a temporary direct buffer by the JDK), and the copy checks that the ring's tail did not pass the body
 * meanwhile (else it is a miss).
 * Eviction is least-recently-used in approximation: an entry used while it is in the oldest quarter of the ring is
 * written again at the head (at most once per lap), so a key in use is not overwritten. Lookups never wait for a lock
 * (a map read and a copy); puts take one lock for the copy into the ring.
 */
public final class ResponseCache {
    /** Default budget: 32 MiB. */
    public static final long DEFAULT_MAX_BYTES = 32L << 20;
    /** Keys longer than this are not cached (a long query string is a rare request, not worth the memory). */
    static final int MAX_KEY_LENGTH = 2048;
    /** What an entry costs beyond its bytes: the map node, the record, arrays' headers. */
    static final int ENTRY_OVERHEAD = 256;
    /** The ring's direct buffers are this large (the last one smaller when the budget is not a multiple). */
    static final int SLAB_BYTES = 1 << 20;
    private final Map<String, Node> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
    private final ReentrantLock writing = new ReentrantLock();
    private final LongSupplier generation;
    private final Clock clock;
    private final long maxBytes;
    private final long ttlMillis;
    /** The ring: {@code capacity} bytes in slabs; a logical position p (it only grows) is at p % capacity. */
    private final ByteBuffer[] slabs;
    private final java.util.function.IntFunction<ByteBuffer> allocator;
    private final long capacity;
    /**
     * Entries in the order they were written to the ring, a list through the nodes themselves (guarded by
     * {@link #writing}): linking and unlinking allocate nothing, so no failure can leave the order half-changed (an
     * {@code ArrayDeque} that cannot grow has already stored the element, and then looks empty), and an entry written
     * again leaves its place at once, not after a search.
     */
    private Node oldest;
    private Node newest;
    /** The next logical position to write (written under {@link #writing}). */
    private volatile long head;
    /** The position of the oldest entry written (under {@link #writing}), the head when there is none. */
    private volatile long tail;
    /** Bytes below this logical position may be overwritten at any time: an entry below it is gone. */
    private volatile long reclaimed;

    /**
     * @param generation the delivery index's current generation, never blocking (-1 while it catches up with a save: no hits)
     * @param maxBytes   the memory budget
     * @param ttlMillis  how long an entry may be served at most (the responses' max-age)
     */
    public ResponseCache(LongSupplier generation, Clock clock, long maxBytes, long ttlMillis) {
        this(generation, clock, maxBytes, ttlMillis, ByteBuffer::allocateDirect);
    }

    /** As the public constructor, the ring's slabs made by {@code allocator} (given their size): tests make it fail. */
    ResponseCache(LongSupplier generation, Clock clock, long maxBytes, long ttlMillis,
                  java.util.function.IntFunction<ByteBuffer> allocator) {
        if (maxBytes < 1 || ttlMillis < 1) {
            throw new IllegalArgumentException("the response cache needs a positive budget and lifetime");
        }
        this.generation = generation;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.ttlMillis = ttlMillis;
        this.capacity = maxBytes;
        this.slabs = new ByteBuffer[(int) ((maxBytes + SLAB_BYTES - 1) / SLAB_BYTES)];
        this.allocator = allocator;
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

    /** An entry: everything but the body on the heap, the body at {@code position} in the ring. */
    private static final class Node {
        final String key;
        final long generation;
        final List<String[]> headers;
        final String etag;
        final int length;
        final long expires;
        final long size;
        /** Set before the node is published, changed only when it is written again (under the lock). */
        volatile long position;
        /** True once a hit has asked for the entry to be written again at the head; reset when it is. */
        volatile boolean rewriting;
        /** Its neighbours in the write order, and whether it is in it (under the lock). */
        Node older;
        Node newer;
        boolean listed;

        Node(String key, Cached cached, long expires, long size) {
            this.key = key;
            this.generation = cached.generation();
            this.headers = cached.headers();
            this.etag = cached.etag();
            this.length = cached.body().length;
            this.expires = expires;
            this.size = size;
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

    /**
     * The entry for {@code key} if it was rendered from the current content and has not expired, else null. The body
     * is a new array, the caller's own.
     */
    public Cached current(String key) {
        Hit h = find(key);
        if (h == null) {
            return null;
        }
        byte[] body = new byte[h.length()];
        if (!copyBody(h, new ByteBuffer[] {ByteBuffer.wrap(body)})) {
            return null;
        }
        return new Cached(h.node.generation, h.node.headers, body, h.node.etag);
    }

    /**
     * A current entry as {@link #find} saw it: its headers, ETag and length, and where its body was in the ring then
     * ({@link #copyBody} copies it out, or says that it was overwritten meanwhile).
     */
    public static final class Hit {
        private final Node node;
        private final long position;

        private Hit(Node node, long position) {
            this.node = node;
            this.position = position;
        }

        public List<String[]> headers() {
            return node.headers;
        }

        public String etag() {
            return node.etag;
        }

        /** The body's length in bytes. */
        public int length() {
            return node.length;
        }
    }

    /**
     * The entry for {@code key} if it was rendered from the current content and has not expired, else null, without
     * its body: a 304 needs none, and a 200 copies it with {@link #copyBody} where the caller wants it (such as the
     * server's pooled direct buffers, which a socket write takes without another copy). Counted as a hit, unless the
     * copy finds the body overwritten.
     */
    public Hit find(String key) {
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
        if (n.generation != g || clock.millis() >= n.expires) {
            drop(n);
            return null;
        }
        long p = n.position;
        if (p < reclaimed) {
            return null; // overwritten: the writer takes it out of the map
        }
        long t = tail;
        if (p - t < (head - t) / 4 && !n.rewriting) {
            rewrite(n, p); // in use and near the tail: keep it
            p = n.position; // written again at the head (its old place may be reclaimed by that very write), or not
        }
        hits.increment();
        return new Hit(n, p);
    }

    /** A hit found and then not answered from the cache (the caller could not send it): it no longer counts. */
    public void unanswered(Hit hit) {
        hits.decrement();
    }

    /**
     * Copies the body of {@code hit} into {@code into} from each buffer's position on, filling one buffer before the
     * next (their room together must be at least {@link Hit#length()}), and advances their positions. False when the
     * ring's tail passed the body while it was found or copied: the copy may be torn, and the caller answers as if
     * the cache had missed (the hit is not counted).
     */
    public boolean copyBody(Hit hit, ByteBuffer[] into) {
        read(hit.position, hit.node.length, into);
        VarHandle.loadLoadFence(); // the copy is read before the tail is checked again
        if (hit.position < reclaimed) {
            hits.decrement();
            return false;
        }
        return true;
    }

    /** Keeps a response (its body copied out of the heap); null keys (too long) are ignored. */
    public void put(String key, Cached cached) {
        if (key == null) {
            return;
        }
        long size = cached.size() + 2L * key.length() + ENTRY_OVERHEAD;
        if (size > maxBytes / 16) {
            return; // one response may not push out a sixteenth of everything else
        }
        Node n = new Node(key, cached, clock.millis() + ttlMillis, size);
        writing.lock();
        try {
            append(n, cached.body(), n.size);
            Node old = entries.put(key, n);
            bytes.addAndGet(size - (old == null ? 0 : old.size));
        } catch (RuntimeException | OutOfMemoryError e) {
            // caching must never fail a response (a direct buffer the JVM cannot give is one reason)
            failed(e);
        } finally {
            writing.unlock();
        }
    }

    private final AtomicLong failedPuts = new AtomicLong();

    /** Puts that failed since the start (each answered all the same, uncached). */
    public long failedPuts() {
        return failedPuts.get();
    }

    /**
     * Counts a failed put and logs it the first time and then every {@link #LOG_EVERY}th (with the count): a cause
     * that lasts, such as no direct memory left, would otherwise write one line per request.
     */
    private void failed(Throwable e) {
        long n = failedPuts.incrementAndGet();
        if (logged(n)) {
            org.slf4j.LoggerFactory.getLogger(ResponseCache.class).warn("response cache put failed ({} so far; logged once "
                    + "every {}): {}", n, LOG_EVERY, e.toString());
        }
    }

    static final long LOG_EVERY = 10_000;

    static boolean logged(long failures) {
        return failures == 1 || failures % LOG_EVERY == 0;
    }

    /**
     * Writes a hot entry's body again at the head, if the lock is free now (a hit never waits). Under the lock nothing
     * is overwritten, so the copy read here from the entry's position is whole.
     */
    private void rewrite(Node n, long position) {
        if (!writing.tryLock()) {
            return;
        }
        boolean unlisted = false;
        try {
            if (n.position != position || entries.get(n.key) != n || position < reclaimed) {
                return; // written again or replaced meanwhile, or gone
            }
            n.rewriting = true;
            byte[] body = new byte[n.length];
            read(position, n.length, new ByteBuffer[] {ByteBuffer.wrap(body)});
            unlink(n);
            unlisted = true;
            append(n, body, 0);
        } catch (RuntimeException | OutOfMemoryError e) {
            if (unlisted) {
                // out of the write order, no write would ever take it out of the map: it goes now (a miss re-renders it)
                drop(n);
            }
            failed(e);
        } finally {
            n.rewriting = false;
            writing.unlock();
        }
    }

    /**
     * Under the lock: makes room at the head (dropping the oldest-written entries the body would overwrite, and more
     * while the byte budget would be exceeded by {@code adding} more), copies the body there and sets the node's position.
     */
    private void append(Node n, byte[] body, long adding) {
        long end = head + body.length;
        long limit = maxBytes - adding;
        while (oldest != null) {
            Node first = oldest;
            if (first.position >= end - capacity && bytes.get() <= limit) {
                break;
            }
            unlink(first);
            drop(first);
        }
        tail = oldest == null ? head : oldest.position; // also when what follows fails
        if (end - capacity > reclaimed) {
            reclaimed = end - capacity; // readers of anything below it from now on see a miss
            VarHandle.fullFence(); // before any byte is overwritten
        }
        write(head, body);
        n.position = head;
        link(n);
        tail = oldest.position;
        head = end;
    }

    /** Under the lock: {@code n} becomes the newest in the write order. */
    private void link(Node n) {
        assert !n.listed : "an entry is linked into the write order once";
        n.older = newest;
        n.newer = null;
        if (newest == null) {
            oldest = n;
        } else {
            newest.newer = n;
        }
        newest = n;
        n.listed = true;
    }

    /** Under the lock: takes {@code n} out of the write order, if it is in it. */
    private void unlink(Node n) {
        if (!n.listed) {
            return;
        }
        if (n.older == null) {
            oldest = n.newer;
        } else {
            n.older.newer = n.newer;
        }
        if (n.newer == null) {
            newest = n.older;
        } else {
            n.newer.older = n.older;
        }
        n.older = null;
        n.newer = null;
        n.listed = false;
    }

    /** Takes an entry out of the map if it is still there; the bytes it held count no more. */
    private void drop(Node n) {
        if (entries.remove(n.key, n)) {
            bytes.addAndGet(-n.size);
        }
    }

    private ByteBuffer slab(int i) {
        ByteBuffer s = slabs[i];
        if (s == null) { // only a writer under the lock creates one, and a reader reaches a position after it was written
            s = allocator.apply((int) Math.min(SLAB_BYTES, capacity - (long) i * SLAB_BYTES));
            slabs[i] = s;
        }
        return s;
    }

    private void write(long position, byte[] body) {
        int done = 0;
        while (done < body.length) {
            long at = (position + done) % capacity;
            ByteBuffer s = slab((int) (at / SLAB_BYTES));
            int offset = (int) (at % SLAB_BYTES);
            int n = Math.min(body.length - done, s.capacity() - offset);
            s.put(offset, body, done, n);
            done += n;
        }
    }

    /** Copies {@code length} bytes from the ring at {@code position} into the buffers, in order, from their positions. */
    private void read(long position, int length, ByteBuffer[] into) {
        int done = 0;
        int b = 0;
        while (done < length) {
            long at = (position + done) % capacity;
            ByteBuffer s = slabs[(int) (at / SLAB_BYTES)];
            int offset = (int) (at % SLAB_BYTES);
            while (!into[b].hasRemaining()) {
                b++;
            }
            ByteBuffer d = into[b];
            int n = Math.min(Math.min(length - done, s.capacity() - offset), d.remaining());
            d.put(d.position(), s, offset, n);
            d.position(d.position() + n);
            done += n;
        }
    }

    /** Direct memory the ring holds now (slabs are allocated as the ring first reaches them). */
    long ringBytes() {
        long n = 0;
        for (ByteBuffer s : slabs) {
            n += s == null ? 0 : s.capacity();
        }
        return n;
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
