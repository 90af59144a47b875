package wales.exchange.moderation;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted password hashes, free of JCR: PBKDF2 with HMAC-SHA-512, a 16-byte random salt per password and
 * {@value #ITERATIONS} iterations (OWASP's figure for this hash), stored as
 * {@code pbkdf2-sha512$iterations$salt$hash} (Base64). Verification compares in constant time.
 *
 * <p>A password the server generated ({@link #generated}: {@value #GENERATED_LENGTH} random characters of 57, about 93
 * bits) is hashed with {@value #GENERATED_ITERATIONS} iterations: stretching makes guessing a person's password dearer,
 * and 2^92 guesses on average need little help. NIST SP 800-63B (5.1.2.2, 5.1.1.2) asks for a random secret of fewer
 * than 112 bits what it asks for a memorized one: a salted key derivation function, PBKDF2 with typically at least
 * 10,000 iterations. The demo users' passwords, new at each start, are hashed so at each start: at 210,000 iterations
 * the three took about a second of the start on two cores.
 */
public final class PasswordHash {
    public static final int ITERATIONS = 210_000;
    /** Iterations for a password from {@link #generated} (class comment). */
    public static final int GENERATED_ITERATIONS = 10_000;
    /** Characters of a password from {@link #generated}. */
    public static final int GENERATED_LENGTH = 16;
    static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA512";
    private static final String PREFIX = "pbkdf2-sha512";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String hash(char[] password) {
        return hash(password, ITERATIONS);
    }

    static String hash(char[] password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derive(password, salt, iterations));
    }

    /** Whether {@code password} matches {@code stored}; false for anything malformed. */
    public static boolean verify(char[] password, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX) || !parts[1].matches("[0-9]{1,7}")) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(parts[1])));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** A password the server makes (demo users) and its hash: {@value #GENERATED_LENGTH} random letters and digits. */
    public record Generated(String password, String hash) {
    }

    /** A new random password ({@link #GENERATED_LENGTH} characters) with its hash of {@value #GENERATED_ITERATIONS} iterations. */
    public static Generated generated() {
        String password = randomPassword(GENERATED_LENGTH);
        return new Generated(password, hash(password.toCharArray(), GENERATED_ITERATIONS));
    }

    /** A random password of {@code length} letters and digits, without those easily confused (0/O, 1/l/I). */
    static String randomPassword(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
