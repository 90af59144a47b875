package wales.exchange.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

/** The token buckets alone: no repository, no server. Burst 1 and a slow refill, so a bucket is empty for the test. */
class RateLimiterTest {
    /** Time stands still: no token comes back while the flood runs, however long it takes. */
    static final TimeMeter FROZEN = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return 1_000_000_000L;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };

    @Test
    void aClientOverItsBurstWaits() {
        RateLimiter limiter = new RateLimiter(1, 2);
        assertThat(limiter.take("192.0.2.1")).isZero();
        assertThat(limiter.take("192.0.2.1")).isZero();
        assertThat(limiter.take("192.0.2.1")).isPositive();
        assertThat(limiter.take("192.0.2.2")).as("another client has its own bucket").isZero();
    }

    @Test
    void aFloodOfNewAddressesDoesNotResetAClientThatKeepsSending() {
        RateLimiter limiter = new RateLimiter(1, 1, RateLimiter.MAX_CLIENTS, FROZEN);
        String busy = "192.0.2.1";
        assertThat(limiter.take(busy)).isZero();
        assertThat(limiter.take(busy)).as("its bucket is empty").isPositive();
        int flood = RateLimiter.MAX_CLIENTS + RateLimiter.MAX_CLIENTS / 2;
        for (int i = 0; i < flood; i++) {
            limiter.take("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
            if (i % 1000 == 0) {
                // the busy client keeps sending during the flood, and is refused every time: its bucket was kept
                assertThat(limiter.take(busy)).as("after %d new addresses", i).isPositive();
            }
        }
        assertThat(limiter.take(busy)).isPositive();
        assertThat(limiter.clients()).isEqualTo(RateLimiter.MAX_CLIENTS);
    }

    @Test
    void theLeastRecentlySeenAddressIsForgottenFirst() {
        RateLimiter limiter = new RateLimiter(1, 1, 3, FROZEN);
        limiter.take("a");
        limiter.take("b");
        limiter.take("c");
        limiter.take("a"); // a is now the most recent; b the least
        limiter.take("d"); // evicts b
        assertThat(limiter.take("a")).as("a kept its empty bucket").isPositive();
        assertThat(limiter.take("b")).as("b starts again with a full bucket").isZero();
    }

    @Test
    void ipv6ClientsShareOneBucketPerSlash64() throws Exception {
        String a = RateLimiter.key(java.net.InetAddress.getByName("2001:db8:1:2::1"));
        assertThat(RateLimiter.key(java.net.InetAddress.getByName("2001:db8:1:2:ffff::9"))).isEqualTo(a);
        assertThat(RateLimiter.key(java.net.InetAddress.getByName("2001:db8:1:3::1"))).isNotEqualTo(a);
        assertThat(RateLimiter.key(java.net.InetAddress.getByName("192.0.2.7"))).isEqualTo("192.0.2.7");
        assertThat(RateLimiter.key(null)).isEqualTo("unknown");
    }
}
