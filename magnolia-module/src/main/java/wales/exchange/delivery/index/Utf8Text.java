package wales.exchange.delivery.index;

import java.nio.charset.StandardCharsets;

/**
 * A long text as the bodies file stores it, UTF-8, not decoded: what {@link DeliveryIndex#fullForJson} gives for rich
 * text, so that a JSON writer copies the bytes (escaping what JSON needs) instead of decoding them to a String and
 * encoding that again. {@link #toString} decodes it.
 */
public record Utf8Text(byte[] bytes) {
    /** Texts shorter than this (bytes) are decoded as usual. */
    static final int MIN = 256;

    /** The text; also what a mapper writes for it (a JSON string), should one reach a mapper. */
    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Utf8Text t && java.util.Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }
}
