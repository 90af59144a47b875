package wales.exchange.intake;

import wales.exchange.delivery.Exchange;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed tokens of the intake (HMAC-SHA256, {@link IntakeConfig#secret()}): a status token names one submission (its item
 * id) and is the contributor's private key to status, export and erasure; a form token carries the moment a form was
 * opened, for the minimum fill time. Both are URL-safe ASCII; anything else is refused before it reaches the repository.
 */
@Singleton
public final class IntakeTokens {
    /** Form tokens older than this are refused (the form was opened too long ago). */
    public static final Duration FORM_TOKEN_LIFE = Duration.ofDays(1);
    private static final Pattern STATUS = Pattern.compile("s1\\.([0-9a-f]{32})\\.([A-Za-z0-9_-]{22})");
    private static final Pattern FORM = Pattern.compile("f1\\.([0-9]{1,12})\\.([A-Za-z0-9_-]{22})");
    private final SecretKeySpec key;
    private final Clock clock;

    @Inject
    public IntakeTokens(IntakeConfig config, @Exchange Clock clock) {
        this.key = new SecretKeySpec(config.secret(), "HmacSHA256");
        this.clock = clock;
    }

    /** The status token of the submission with this item id (a UUID). */
    public String status(String itemId) {
        String hex = itemId.replace("-", "");
        return "s1." + hex + "." + mac("status:" + hex);
    }

    /** The item id a status token names, when the token is well formed and signed by this server. */
    public Optional<String> itemId(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        var m = STATUS.matcher(token);
        if (!m.matches() || !same(mac("status:" + m.group(1)), m.group(2))) {
            return Optional.empty();
        }
        String h = m.group(1);
        return Optional.of(h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20));
    }

    /** A form token issued now. */
    public String form() {
        return form(clock.instant());
    }

    /**
     * A form token issued at {@code issued} (never later than now): for a form that comes back filled in
     * ({@link FormDrafts.Draft#formIssued}), whose fill time counts from when the reader first opened it.
     */
    public String form(Instant issued) {
        long at = Math.min(issued.getEpochSecond(), clock.instant().getEpochSecond());
        return "f1." + at + "." + mac("form:" + at);
    }

    /** When a valid form token was issued; empty for a malformed, forged, future or expired one. */
    public Optional<Instant> formIssued(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        var m = FORM.matcher(token);
        if (!m.matches() || !same(mac("form:" + m.group(1)), m.group(2))) {
            return Optional.empty();
        }
        Instant issued = Instant.ofEpochSecond(Long.parseLong(m.group(1)));
        Instant now = clock.instant();
        if (issued.isAfter(now) || issued.plus(FORM_TOKEN_LIFE).isBefore(now)) {
            return Optional.empty();
        }
        return Optional.of(issued);
    }

    private String mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] full = mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
