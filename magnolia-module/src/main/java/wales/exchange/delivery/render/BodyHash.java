package wales.exchange.delivery.render;

import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The hash of a response body for its strong ETag: the body's CRC-32C and CRC-32 (two polynomials, together a 64-bit
 * check) and its length, as 32 hex digits. Both CRCs are intrinsics of the JVM in every tier, the interpreter included:
 * 1-2 µs each for a 30 KB list. The MurmurHash3 before them took 5.8 µs once the optimising compiler had compiled it,
 * and 3.8 ms interpreted; JFRs of the first seconds after a start put 29% and 4% of the request threads' samples in it
 * (docs/benchmarks.md, "The first minute is the JIT's" and "Session 12's code").
 *
 * <p>An ETag only has to change when the bytes of one URL's answer do. A change that nobody made on purpose keeps the
 * tag with a probability of about 2^-64, and never when the length changes. Someone who controls part of a body can make
 * another body of the same length with the same tag (CRCs are linear; MurmurHash3 has published collisions too): what
 * that buys is a cache that revalidates keeping an earlier body of that URL. It is no security boundary: anyone can
 * read the body.
 */
final class BodyHash {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private BodyHash() {
    }

    /** CRC-32C, CRC-32 (8 hex digits each) and the length (16 hex digits) of {@code data}, lower case. */
    static String hex(byte[] data) {
        CRC32C castagnoli = new CRC32C();
        castagnoli.update(data, 0, data.length);
        CRC32 ieee = new CRC32();
        ieee.update(data, 0, data.length);
        char[] out = new char[32];
        put(out, 0, castagnoli.getValue(), 8);
        put(out, 8, ieee.getValue(), 8);
        put(out, 16, data.length, 16);
        return new String(out);
    }

    private static void put(char[] out, int at, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }
}
