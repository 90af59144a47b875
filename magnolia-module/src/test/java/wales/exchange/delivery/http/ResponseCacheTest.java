package wales.exchange.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.i18n.Lang;

/** The response cache without JCR: byte budget, least-recently-used eviction, expiry, generations, keys. */
class ResponseCacheTest {
    final AtomicLong generation = new AtomicLong(1);
    final MutableClock clock = new MutableClock();

    static final class MutableClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    ResponseCache.Cached body(int bytes) {
        return new ResponseCache.Cached(generation.get(), List.<String[]>of(new String[] {"ETag", "\"x\""}), new byte[bytes], "\"x\"");
    }

    @Test
    void aLastingPutFailureIsLoggedOnceAndThenEveryTenThousandthNotOncePerRequest() {
        long lines = java.util.stream.LongStream.rangeClosed(1, 100_000).filter(ResponseCache::logged).count();
        assertThat(lines).isEqualTo(1 + 100_000 / ResponseCache.LOG_EVERY);
        assertThat(ResponseCache.logged(1)).isTrue();
        assertThat(ResponseCache.logged(2)).isFalse();
    }

    @Test
    void staysWithinItsByteBudgetEvictingTheLeastRecentlyUsed() {
        ResponseCache cache = new ResponseCache(generation::get, clock, 100_000, 60_000);
        cache.put("hot", body(4_000));
        for (int i = 0; i < 200; i++) {
            cache.put("k" + i, body(4_000));
            assertThat(cache.current("hot")).as("a key used all along survives").isNotNull();
            assertThat(cache.bytes()).isLessThanOrEqualTo(100_000 + 4_000 + 1_000);
        }
        assertThat(cache.current("k0")).as("the oldest unused key went first").isNull();
        assertThat(cache.current("k199")).isNotNull();
        assertThat(cache.size()).isLessThan(30);
    }

    @Test
    void entriesExpireAfterTheirLifetimeAndWithANewGeneration() {
        ResponseCache cache = new ResponseCache(generation::get, clock, 1 << 20, 60_000);
        cache.put("a", body(10));
        clock.millis += 59_999;
        assertThat(cache.current("a")).isNotNull();
        clock.millis += 1;
        assertThat(cache.current("a")).as("past max-age").isNull();
        assertThat(cache.bytes()).isZero();
        cache.put("b", body(10));
        generation.incrementAndGet();
        assertThat(cache.current("b")).as("content changed").isNull();
        assertThat(cache.hits()).as("only the answer given counts as a hit").isEqualTo(1);
    }

    @Test
    void aResponseTooLargeForTheBudgetOrAKeyTooLongIsNotKept() {
        ResponseCache cache = new ResponseCache(generation::get, clock, 64_000, 60_000);
        cache.put("big", body(10_000));
        assertThat(cache.current("big")).isNull();
        assertThat(ResponseCache.key("http://localhost:8080", "/x", "q".repeat(3000), Lang.EN, "application/json")).isNull();
        cache.put(null, body(10));
        assertThat(cache.size()).isZero();
    }

    @Test
    void keysHoldTheNegotiatedResultNotRawHeaders() {
        DeliveryConfig config = DeliveryConfig.defaults();
        String a = DeliveryEndpoint.cacheKey(config, "localhost:8080", "/p", null, "cy;q=0.9, " + "x".repeat(5000), "application/json");
        String b = DeliveryEndpoint.cacheKey(config, "localhost:8080", "/p", null, "cy", "application/json, text/plain;q=0.1");
        assertThat(a).isEqualTo(b).hasSizeLessThan(100);
        assertThat(DeliveryEndpoint.cacheKey(config, "localhost:8080", "/p", null, "en", null)).isNotEqualTo(b);
        assertThat(DeliveryEndpoint.cacheKey(config, "localhost:8080", "/p", null, "cy", "application/ld+json")).isNotEqualTo(b);
        assertThat(DeliveryEndpoint.cacheKey(config, "attacker.example", "/p", null, "cy", null)).as("untrusted host").isNull();
        assertThat(DeliveryEndpoint.cacheKey(config.withPublicUrl("https://api.example.org/"), "attacker.example", "/p", null, "cy", null))
                .startsWith("https://api.example.org\n");
    }

    @Test
    void theBaseOfAbsoluteUrlsIsConfiguredOrAnAllowedHost() {
        DeliveryConfig config = DeliveryConfig.defaults();
        assertThat(config.base("localhost:8080")).isEqualTo("http://localhost:8080");
        assertThat(config.base("LOCALHOST")).isEqualTo("http://localhost");
        assertThat(config.base("[::1]:9")).isEqualTo("http://[::1]:9");
        assertThat(config.base("attacker.example")).isNull();
        assertThat(config.base("localhost@attacker.example")).isNull();
        assertThat(config.base("localhost:80/x")).isNull();
        assertThat(config.base("a b")).isNull();
        assertThat(config.base(null)).isNull();
        assertThat(config.withAllowedHosts(java.util.Set.of("API.Example.org")).base("api.example.org:443")).isEqualTo("http://api.example.org:443");
        assertThat(config.withPublicUrl("https://api.example.org").base("attacker.example")).isEqualTo("https://api.example.org");
    }

    @Test
    void evictionWhileReadersStampEntriesNeverFailsAPut() throws Exception {
        ResponseCache cache = new ResponseCache(generation::get, Clock.systemUTC(), 200_000, 60_000);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<Thread> readers = new java.util.ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread r = new Thread(() -> {
                java.util.Random random = new java.util.Random();
                while (!done.get()) {
                    cache.current("k" + random.nextInt(400));
                }
            });
            r.start();
            readers.add(r);
        }
        try {
            for (int i = 0; i < 40_000; i++) { // the comparator's contract broke here before: IllegalArgumentException
                cache.put("k" + (i % 400), body(1_000));
            }
        } finally {
            done.set(true);
            for (Thread r : readers) {
                r.join();
            }
        }
        assertThat(cache.bytes()).isLessThanOrEqualTo(200_000 + 2_000);
    }

    @Test
    void whileTheIndexCatchesUpNothingIsServedAndNothingIsDropped() {
        ResponseCache cache = new ResponseCache(generation::get, clock, 1 << 20, 60_000);
        cache.put("a", body(10));
        long g = generation.get();
        generation.set(-1); // the index is behind a save
        assertThat(cache.current("a")).isNull();
        assertThat(cache.size()).isEqualTo(1);
        generation.set(g); // caught up, and the save touched nothing delivered: the entry is still good
        assertThat(cache.current("a")).isNotNull();
    }

    /** A body of {@code length} bytes that says which key and length it was put for. */
    static byte[] pattern(int key, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (key * 31 + length + i);
        }
        return b;
    }

    static boolean isPattern(byte[] b, int key) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] != (byte) (key * 31 + b.length + i)) {
                return false;
            }
        }
        return true;
    }

    ResponseCache.Cached cached(byte[] body) {
        return new ResponseCache.Cached(generation.get(), List.<String[]>of(new String[] {"ETag", "\"x\""}), body, "\"x\"");
    }

    @Test
    void bodiesAreKeptOutsideTheHeapAndEachAnswerIsACopy() {
        ResponseCache cache = new ResponseCache(generation::get, clock, ResponseCache.DEFAULT_MAX_BYTES, 60_000);
        assertThat(cache.ringBytes()).as("no slab before the first put").isZero();
        byte[] body = pattern(7, 30_000);
        cache.put("a", cached(body));
        java.util.Arrays.fill(body, (byte) 0); // the renderer's array may be reused or collected: the cache kept its own bytes
        byte[] first = cache.current("a").body();
        byte[] second = cache.current("a").body();
        assertThat(isPattern(first, 7)).isTrue();
        assertThat(first).isEqualTo(second).isNotSameAs(second);
        first[0]++; // a caller's copy is its own
        assertThat(isPattern(cache.current("a").body(), 7)).isTrue();
        assertThat(cache.ringBytes()).as("slabs are allocated as the ring reaches them").isEqualTo(ResponseCache.SLAB_BYTES);
    }

    @Test
    void theRingWrapsAcrossSlabsAndOverwritesTheOldestBodies() {
        long budget = ResponseCache.SLAB_BYTES + 50_000L; // two slabs, the second one small
        ResponseCache cache = new ResponseCache(generation::get, clock, budget, 60_000);
        for (int i = 0; i < 3_000; i++) { // bodies of 3,001-3,999 bytes: many cross a slab's end or the ring's
            cache.put("k" + i, cached(pattern(i, 3_001 + i % 999)));
            assertThat(cache.bytes()).isLessThanOrEqualTo(budget);
        }
        assertThat(cache.ringBytes()).isEqualTo(budget);
        int kept = 0;
        for (int i = 0; i < 3_000; i++) {
            ResponseCache.Cached c = cache.current("k" + i);
            if (c != null) {
                assertThat(isPattern(c.body(), i)).as("k%d", i).isTrue();
                assertThat(c.body()).hasSize(3_001 + i % 999);
                kept++;
            }
        }
        assertThat(kept).as("about a ring's worth of the newest").isBetween(250, 330);
        assertThat(cache.current("k0")).isNull();
        assertThat(cache.current("k2999")).isNotNull();
    }

    @Test
    void aReaderNeverGetsABodyTheRingOverwroteWhileItCopied() throws Exception {
        ResponseCache cache = new ResponseCache(generation::get, Clock.systemUTC(), 64_000, 60_000); // a few dozen bodies
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong answers = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.ConcurrentLinkedQueue<String> torn = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> readers = new java.util.ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread r = new Thread(() -> {
                java.util.Random random = new java.util.Random();
                while (!done.get()) {
                    int k = random.nextInt(100);
                    ResponseCache.Cached c = cache.current("k" + k);
                    if (c != null) {
                        answers.incrementAndGet();
                        if (!isPattern(c.body(), k)) {
                            torn.add("k" + k);
                        }
                    }
                }
            });
            r.start();
            readers.add(r);
        }
        try {
            for (int i = 0; i < 200_000 && (i < 20_000 || answers.get() < 10_000); i++) {
                int k = i % 100;
                cache.put("k" + k, cached(pattern(k, 1_000 + i % 1_500)));
            }
        } finally {
            done.set(true);
            for (Thread r : readers) {
                r.join();
            }
        }
        assertThat(answers.get()).as("readers were answered while the ring turned").isPositive();
        assertThat(torn).as("bodies torn by an overwrite").isEmpty();
        assertThat(cache.bytes()).isLessThanOrEqualTo(64_000);
    }

    /** Copies a hit's body into direct buffers of {@code size} bytes each, as the server's pool gives them. */
    static byte[] copied(ResponseCache cache, ResponseCache.Hit hit, int size) {
        ByteBuffer[] buffers = new ByteBuffer[(hit.length() + size - 1) / size];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.allocateDirect(size);
        }
        if (!cache.copyBody(hit, buffers)) {
            return null;
        }
        byte[] out = new byte[hit.length()];
        int at = 0;
        for (ByteBuffer b : buffers) {
            b.flip();
            int n = b.remaining();
            b.get(out, at, n);
            at += n;
        }
        assertThat(at).isEqualTo(hit.length());
        return out;
    }

    @Test
    void aHitsBodyIsCopiedIntoTheCallersDirectBuffersAcrossTheRingsSlabs() {
        long budget = ResponseCache.SLAB_BYTES + 50_000L;
        ResponseCache cache = new ResponseCache(generation::get, clock, budget, 60_000);
        int checked = 0;
        for (int i = 0; i < 400; i++) { // bodies of 30,000-39,999 bytes: some cross a slab's end or the ring's
            int length = 30_000 + (i * 7_919) % 10_000;
            cache.put("k" + i, cached(pattern(i, length)));
            ResponseCache.Hit hit = cache.find("k" + i);
            assertThat(hit.length()).isEqualTo(length);
            assertThat(hit.etag()).isEqualTo("\"x\"");
            byte[] body = copied(cache, hit, 16_364); // Undertow's default pooled buffer
            assertThat(body).as("k%d", i).isNotNull();
            assertThat(isPattern(body, i)).as("k%d", i).isTrue();
            checked++;
        }
        assertThat(checked).isEqualTo(400);
        assertThat(cache.hits()).isEqualTo(400);
    }

    @Test
    void aHitWhoseBodyIsOverwrittenBeforeItIsCopiedIsAMissNotAnAnswer() {
        ResponseCache cache = new ResponseCache(generation::get, clock, 64_000, 60_000);
        cache.put("a", cached(pattern(1, 3_000)));
        ResponseCache.Hit hit = cache.find("a");
        assertThat(hit).isNotNull();
        for (int i = 0; i < 40; i++) { // the ring turns past "a" (found, not yet copied)
            cache.put("k" + i, cached(pattern(i + 2, 3_000)));
        }
        assertThat(copied(cache, hit, 1_000)).as("the copy may be torn: no answer").isNull();
        assertThat(cache.hits()).as("not counted").isZero();
        assertThat(cache.find("a")).isNull();
    }

    /**
     * (From the review of the pooled-buffer copy.) A hit near the ring's tail writes its entry again at the head; when
     * that write reclaims the entry's old place, the hit must be answered from the new one, not taken for a miss.
     */
    @Test
    void aHitWhoseRewriteReclaimsItsOldPlaceIsStillAnswered() {
        ResponseCache cache = new ResponseCache(generation::get, clock, 64_000, 60_000);
        cache.put("a", cached(pattern(1, 3_000)));
        for (int i = 0; i < 20; i++) { // the same key again and again: the ring fills by position, the old bodies are dead
            cache.put("b", cached(pattern(2, 3_000)));
        }
        ResponseCache.Cached a = cache.current("a");
        assertThat(a).as("rewritten at the head, then copied from there").isNotNull();
        assertThat(isPattern(a.body(), 1)).isTrue();
        assertThat(cache.hits()).isEqualTo(1);
    }

    /**
     * (Found by the review of session 10.) A hit near the tail has its entry written again at the head; when that write
     * fails (here: the ring's second slab cannot be allocated, as when direct memory runs out), the entry is out of the
     * ring's write order, so no later write would ever take it out of the map: it must leave the map then and there,
     * not stay counted against the budget while its old place is overwritten.
     */
    @Test
    void anEntryWhoseRewriteFailsLeavesTheMapAndTheBudget() {
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger slabs = new java.util.concurrent.atomic.AtomicInteger();
        ResponseCache cache = new ResponseCache(generation::get, clock, 2L * ResponseCache.SLAB_BYTES, 60_000, size -> {
            if (slabs.incrementAndGet() > 1 && refuse.get()) {
                throw new OutOfMemoryError("Cannot reserve " + size + " bytes of direct buffer memory (test)");
            }
            return ByteBuffer.allocateDirect(size);
        });
        cache.put("a", cached(pattern(1, 100_000)));
        long aSize = cache.bytes();
        for (int i = 0; i < 9; i++) { // the head moves to just below the first slab's end; "a" stays the tail
            cache.put("b", cached(pattern(2, 100_000)));
        }
        long before = cache.bytes();
        refuse.set(true);
        assertThat(cache.current("a")).as("answered from its old place, which is intact").isNotNull();
        assertThat(cache.failedPuts()).as("the rewrite across into the second slab failed").isEqualTo(1);
        assertThat(cache.size()).as("out of the write order, so out of the map").isEqualTo(1);
        assertThat(cache.bytes()).as("its bytes taken off once").isEqualTo(before - aSize);

        refuse.set(false);
        for (int i = 0; i < 30; i++) { // the ring turns past the place "a" had
            cache.put("c" + i, cached(pattern(i + 3, 100_000)));
        }
        assertThat(cache.current("a")).isNull();
        long held = 0;
        for (int i = 0; i < 30; i++) {
            held += cache.current("c" + i) != null ? 1 : 0;
        }
        held += cache.current("b") != null ? 1 : 0;
        assertThat(cache.size()).as("every entry in the map is in the ring").isEqualTo(held);
    }
}
