package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The intake's limit per client address, on the real server behind a trusted proxy. */
class IntakeLimitsTest {
    static final MutableClock CLOCK = new MutableClock();

    /**
     * Defect: the limit was keyed on the full IPv6 address, so one host, which usually holds a whole /64, had millions
     * of buckets; the delivery rate limiter keys IPv6 on the /64.
     */
    @Test
    void theAddressLimitCountsAnIpv6ClientByItsSlash64() throws Exception {
        try (ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000",
                "--intake-min-fill-seconds", "0", "--intake-address-limit", "3", "--trusted-proxies", "127.0.0.1")
                .withClock(CLOCK).start()) {
            IntakeClient c = new IntakeClient(server.port());
            for (int i = 1; i <= 3; i++) {
                HttpResponse<String> r = c.post("/contributions", IntakeClient.contribution(c.formToken(), "v6-" + i + "@example.org",
                        "From 2001:db8:1:2::" + i, Map.of()), "X-Forwarded-For", "2001:db8:1:2::" + i);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            }
            HttpResponse<String> fourth = c.post("/contributions", IntakeClient.contribution(c.formToken(), "v6-4@example.org",
                    "From another address of the same /64", Map.of()), "X-Forwarded-For", "2001:db8:1:2:ffff:ffff:ffff:4");
            assertThat(fourth.statusCode()).as(fourth.body()).isEqualTo(429);
            HttpResponse<String> other = c.post("/contributions", IntakeClient.contribution(c.formToken(), "v6-5@example.org",
                    "From another /64", Map.of()), "X-Forwarded-For", "2001:db8:1:3::1");
            assertThat(other.statusCode()).as(other.body()).isEqualTo(202);
        }
    }
}
