package wales.exchange.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Preview tokens without JCR: signature, expiry, and the promised maximum lifetime of 7 days. */
class PreviewTokensTest {
    static final byte[] SECRET = "preview-tokens-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final PreviewTokens TOKENS = new PreviewTokens(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

    static PreviewTokens at(Instant when) {
        return new PreviewTokens(SECRET, Clock.fixed(when, ZoneOffset.UTC));
    }

    @Test
    void aFreshTokenIsValidUntilItExpires() {
        String t = TOKENS.issue(Duration.ofHours(1));
        assertThat(TOKENS.valid(t)).isTrue();
        assertThat(at(NOW.plus(Duration.ofMinutes(59))).valid(t)).isTrue();
        assertThat(at(NOW.plus(Duration.ofHours(1))).valid(t)).isFalse();
        assertThat(TOKENS.valid(TOKENS.issue(PreviewTokens.MAX_LIFETIME))).isTrue();
    }

    @Test
    void aSignedTokenExpiringBeyondTheMaximumLifetimeIsRefused() {
        // signed with the right secret by a clock far ahead (or a forger of the expiry with the secret): expiry 2100
        String far = at(Instant.parse("2099-12-25T00:00:00Z")).issue(Duration.ofDays(7));
        assertThat(TOKENS.valid(far)).isFalse();
        String eightDays = at(NOW.plus(Duration.ofDays(1))).issue(PreviewTokens.MAX_LIFETIME);
        assertThat(TOKENS.valid(eightDays)).isFalse();
        // a clock a little ahead of ours is tolerated
        String skewed = at(NOW.plus(Duration.ofSeconds(30))).issue(PreviewTokens.MAX_LIFETIME);
        assertThat(TOKENS.valid(skewed)).isTrue();
    }

    @Test
    void forgedMalformedAndForeignTokensAreRefused() {
        String t = TOKENS.issue(Duration.ofHours(1));
        assertThat(TOKENS.valid(t + "x")).isFalse();
        assertThat(TOKENS.valid(null)).isFalse();
        assertThat(TOKENS.valid("")).isFalse();
        assertThat(TOKENS.valid(".abc")).isFalse();
        assertThat(TOKENS.valid("\u0661\u0662." + t.substring(t.indexOf('.') + 1))).isFalse();
        String expiry = t.substring(0, t.indexOf('.'));
        assertThat(TOKENS.valid((Long.parseLong(expiry) + 1) + t.substring(t.indexOf('.')))).isFalse();
        PreviewTokens other = new PreviewTokens("another-secret-0123456789abcdef-0123".getBytes(StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(TOKENS.valid(other.issue(Duration.ofHours(1)))).isFalse();
        assertThatThrownBy(() -> TOKENS.issue(PreviewTokens.MAX_LIFETIME.plusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PreviewTokens(new byte[31], Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }
}
