package wales.exchange.delivery.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring preview tokens that let editors' frontends see drafts: {@code <expiry epoch seconds>.<HMAC-SHA256>}
 * (base64url). The secret is the server's; tokens cannot be forged or extended without it.
 */
public final class PreviewTokens {
    public static final Duration MAX_LIFETIME = Duration.ofDays(7);
    /** How far ahead of this server's clock the issuing machine's clock may be. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private final byte[] secret;
    private final Clock clock;

    public PreviewTokens(byte[] secret, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the preview secret must have at least 32 bytes");
        }
        this.secret = secret.clone();
        this.clock = clock;
    }

    public String issue(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("lifetime must be between 0 and " + MAX_LIFETIME);
        }
        String expiry = Long.toString(clock.instant().plus(lifetime).getEpochSecond());
        return expiry + "." + sign(expiry);
    }

    /**
     * True for a well-formed, correctly signed token that has not expired and expires at most {@link #MAX_LIFETIME}
     * (plus {@link #CLOCK_SKEW}) from now: a token for 2100, even correctly signed, is refused.
     */
    public boolean valid(String token) {
        if (token == null || token.length() > 200) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String expiry = token.substring(0, dot);
        if (!expiry.matches("[0-9]{1,12}")) {
            return false;
        }
        byte[] expected = sign(expiry).getBytes(StandardCharsets.US_ASCII);
        byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        long now = clock.instant().getEpochSecond();
        long expires = Long.parseLong(expiry);
        return MessageDigest.isEqual(expected, given) && expires > now
                && expires <= now + MAX_LIFETIME.plus(CLOCK_SKEW).getSeconds();
    }

    private String sign(String expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(("exchange-preview:" + expiry).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
