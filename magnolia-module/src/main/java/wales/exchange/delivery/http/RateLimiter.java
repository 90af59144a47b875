package wales.exchange.delivery.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per client address: {@code perSecond} sustained, {@code burst} at once. Memory is bounded: beyond
 * {@code maxClients} addresses the least recently seen one is forgotten, so a flood of new addresses never resets the
 * bucket of a client that keeps sending.
 */
public final class RateLimiter {
    static final int MAX_CLIENTS = 100_000;
    private final Map<String, Bucket> buckets;
    private final long perSecond;
    private final long burst;
    private final TimeMeter time;

    public RateLimiter(long perSecond, long burst) {
        this(perSecond, burst, MAX_CLIENTS, TimeMeter.SYSTEM_NANOTIME);
    }

    RateLimiter(long perSecond, long burst, int maxClients, TimeMeter time) {
        if (perSecond < 1 || burst < 1 || maxClients < 1) {
            throw new IllegalArgumentException("rate limit, burst and clients must be at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.time = time;
        this.buckets = new LinkedHashMap<>(1024, 0.75f, true) { // access order: the eldest is the least recently used
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** Takes one token for {@code client}; 0 when allowed, else the seconds to wait. */
    /**
     * The bucket of a client address: IPv4 by address, IPv6 by its /64 network (one host usually holds a whole /64, so
     * per-address buckets would give it millions); "unknown" without one.
     */
    public static String key(java.net.InetAddress client) {
        if (client == null) {
            return "unknown";
        }
        if (client instanceof java.net.Inet6Address) {
            byte[] a = client.getAddress();
            StringBuilder b = new StringBuilder("v6:");
            for (int i = 0; i < 8; i++) {
                b.append(String.format("%02x", a[i] & 0xff));
            }
            return b.append("/64").toString();
        }
        return client.getHostAddress();
    }

    public long take(String client) {
        Bucket bucket;
        synchronized (buckets) { // a map lookup or insert; the token arithmetic below runs outside the lock
            bucket = buckets.get(client);
            if (bucket == null) {
                bucket = Bucket.builder().withCustomTimePrecision(time)
                        .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                        .build();
                buckets.put(client, bucket);
            }
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }

    /** Addresses currently remembered. */
    int clients() {
        synchronized (buckets) {
            return buckets.size();
        }
    }
}
