package wales.exchange.delivery.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link BodyHash} against the CRCs' published check values, every length, every byte, and the ETag form. */
class BodyHashTest {
    private static String of(String s) {
        return BodyHash.hex(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void checkValues() {
        // CRC-32C("123456789") = e3069283, CRC-32("123456789") = cbf43926 (the catalogue's check values), length 9
        assertEquals("e3069283cbf439260000000000000009", of("123456789"));
        assertEquals("00000000000000000000000000000000", of(""));
        byte[] big = new byte[70_000];
        assertEquals("0000000000011170", BodyHash.hex(big).substring(16), "the length in the last 16 digits");
    }

    @Test
    void everyLengthAndEveryByteChangesTheTag() {
        Set<String> seen = new HashSet<>();
        byte[] body = new byte[70];
        for (int len = 0; len <= body.length; len++) {
            byte[] b = java.util.Arrays.copyOf(body, len);
            assertEquals(true, seen.add(BodyHash.hex(b)), "length " + len);
        }
        byte[] a = "{\"total\":1,\"items\":[{\"title\":\"x\"}]}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < a.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] c = a.clone();
                c[i] ^= (byte) (1 << bit);
                assertNotEquals(BodyHash.hex(a), BodyHash.hex(c), "byte " + i + " bit " + bit);
            }
        }
        // two bytes swapped: same length, same byte counts
        byte[] swapped = a.clone();
        swapped[2] = a[3];
        swapped[3] = a[2];
        assertNotEquals(BodyHash.hex(a), BodyHash.hex(swapped));
    }

    @Test
    void etagIsQuoted32HexDigits() {
        String tag = Renderer.etag("hello".getBytes(StandardCharsets.UTF_8));
        assertEquals("\"9a71bb4c3610a6860000000000000005\"", tag);
    }
}
