package wales.exchange.intake;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import wales.exchange.delivery.http.RateLimiter;

/**
 * Bucket4j limits of the intake: submissions per client address per hour and per email address per day (the email
 * kept only as the map key, in memory). Memory is bounded: beyond {@link #MAX_KEYS} keys the least recently seen is
 * forgotten.
 */
@Singleton
public final class IntakeLimits {
    static final int MAX_KEYS = 100_000;
    private final Map<String, Bucket> byAddress = lru();
    private final Map<String, Bucket> byEmail = lru();
    private final int perAddressPerHour;
    private final int perEmailPerDay;

    @Inject
    public IntakeLimits(IntakeConfig config) {
        this.perAddressPerHour = config.perAddressPerHour();
        this.perEmailPerDay = config.perEmailPerDay();
    }

    /**
     * Takes one from the address's bucket: 0 when allowed, else the seconds to wait. An IPv6 client counts by its /64
     * network, as in the delivery API's rate limiter ({@link RateLimiter#key}).
     */
    public long address(String address) {
        return take(byAddress, key(address), perAddressPerHour, Duration.ofHours(1));
    }

    static String key(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        if (a.indexOf(':') < 0 || !a.matches("[0-9A-Fa-f:.]+")) {
            return address; // IPv4, or not an address literal: as it is
        }
        try {
            return RateLimiter.key(InetAddress.getByName(a)); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** Takes one from the email's bucket: 0 when allowed, else the seconds to wait. */
    public long email(String email) {
        return take(byEmail, email.strip().toLowerCase(Locale.ROOT), perEmailPerDay, Duration.ofDays(1));
    }

    private static long take(Map<String, Bucket> buckets, String key, int capacity, Duration period) {
        Bucket bucket;
        synchronized (buckets) {
            bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period).build()).build());
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }

    private static Map<String, Bucket> lru() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > MAX_KEYS;
            }
        };
    }
}
