package wales.exchange.intake;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of the public intake (contributions and comments); each host binds one (the server from its flags and
 * environment, Magnolia from system properties or environment).
 *
 * @param secret             HMAC key of status tokens and form tokens (at least 32 bytes); random per start when not set,
 *                           so links from another process (or before a restart) are refused
 * @param minFillTime        a form sent sooner than this after its form token was issued is a bot's (zero: no check)
 * @param retention          personal data (name, email, organisation, client address) is purged this long after submission
 * @param perAddressPerHour  submissions (and uploads and reports) one client address may make per hour
 * @param perEmailPerDay     submissions one email address may make per day
 * @param maxAttachmentBytes largest attachment accepted
 * @param postModerated      comment boards (sections: a delivery segment such as {@code resources}, or {@code home})
 *                           whose comments are published at once and moderated afterwards; every other board is pre-moderated
 */
public record IntakeConfig(byte[] secret, Duration minFillTime, Duration retention, int perAddressPerHour, int perEmailPerDay,
                           long maxAttachmentBytes, Set<String> postModerated) {
    public static final int MIN_SECRET = 32;
    public static final Duration DEFAULT_MIN_FILL = Duration.ofSeconds(3);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(180);
    public static final int DEFAULT_PER_ADDRESS = 30;
    public static final int DEFAULT_PER_EMAIL = 10;
    public static final long DEFAULT_MAX_ATTACHMENT = 10L * 1024 * 1024;

    public IntakeConfig {
        if (secret == null || secret.length < MIN_SECRET) {
            throw new IllegalArgumentException("the intake secret must have at least " + MIN_SECRET + " bytes");
        }
        if (perAddressPerHour < 1 || perEmailPerDay < 1 || maxAttachmentBytes < 1 || minFillTime.isNegative()
                || retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("intake limits must be positive and the retention at least one day");
        }
        secret = secret.clone();
        postModerated = Set.copyOf(postModerated);
    }

    /** Defaults with a random secret. */
    public static IntakeConfig defaults() {
        return new IntakeConfig(randomSecret(), DEFAULT_MIN_FILL, DEFAULT_RETENTION, DEFAULT_PER_ADDRESS, DEFAULT_PER_EMAIL,
                DEFAULT_MAX_ATTACHMENT, Set.of());
    }

    public static byte[] randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }
}
