package wales.exchange.delivery.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link BodyHash} against MurmurHash3 x64-128's published vectors (seed 0), every tail length, and the ETag form. */
class BodyHashTest {
    private static long[] of(String s) {
        return BodyHash.hash(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void referenceVectors() {
        assertArrayEquals(new long[] {0, 0}, of(""));
        assertArrayEquals(new long[] {0xcbd8a7b341bd9b02L, 0x5b1e906a48ae1d19L}, of("hello"));
        assertArrayEquals(new long[] {0x887001aea2afcfd6L, 0x1ec326364f0801b3L}, of("123456789012345"));
        assertArrayEquals(new long[] {0x4fbe5dc5c0e32cf8L, 0xc0c8e96b60c322c1L}, of("1234567890123456"));
        assertArrayEquals(new long[] {0x748617968026b77eL, 0x291e6386473f7103L}, of("12345678901234567"));
        assertArrayEquals(new long[] {0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L}, of("The quick brown fox jumps over the lazy dog"));
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
            byte[] c = a.clone();
            c[i] ^= 1;
            assertNotEquals(BodyHash.hex(a), BodyHash.hex(c), "byte " + i);
        }
    }

    @Test
    void etagIsQuoted32HexDigits() {
        String tag = Renderer.etag("hello".getBytes(StandardCharsets.UTF_8));
        assertEquals("\"029bbd41b3a7d8cb191dae486a901e5b\"", tag);
    }
}
