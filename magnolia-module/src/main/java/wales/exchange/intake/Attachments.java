package wales.exchange.intake;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Attachments the intake takes, by their bytes: the declared type must be one of {@link #ALLOWED} and the first bytes
 * must be that format's (PDF, PNG, JPEG, a ZIP container for Word and OpenDocument files, UTF-8 text without NUL or
 * control characters for text/plain). A mismatch is refused, whatever the file's name or the declared type says.
 */
public final class Attachments {
    public static final String PDF = "application/pdf";
    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public static final String ODT = "application/vnd.oasis.opendocument.text";
    public static final String TEXT = "text/plain";
    public static final Set<String> ALLOWED = Set.of(PDF, PNG, JPEG, DOCX, ODT, TEXT);

    private Attachments() {
    }

    /** What the bytes are, by their signature: one of {@link #ALLOWED} or null. ZIP containers count as {@link #DOCX}. */
    public static String sniff(byte[] b) {
        return sniff(b, 0, b.length);
    }

    /** {@link #sniff(byte[])} of {@code length} bytes of {@code b} from {@code offset} (a file within a body). */
    public static String sniff(byte[] b, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, b.length);
        if (starts(b, offset, length, "%PDF-".getBytes(StandardCharsets.US_ASCII))) {
            return PDF;
        }
        if (starts(b, offset, length, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) {
            return PNG;
        }
        if (starts(b, offset, length, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff})) {
            return JPEG;
        }
        if (starts(b, offset, length, new byte[] {'P', 'K', 3, 4})) {
            return DOCX;
        }
        return text(b, offset, length) ? TEXT : null;
    }

    /** Whether the bytes are of the declared type. */
    public static boolean matches(String declared, byte[] bytes) {
        return matches(declared, bytes, 0, bytes.length);
    }

    /** {@link #matches(String, byte[])} of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static boolean matches(String declared, byte[] bytes, int offset, int length) {
        String sniffed = sniff(bytes, offset, length);
        if (sniffed == null) {
            return false;
        }
        return declared.equals(sniffed) || declared.equals(ODT) && sniffed.equals(DOCX);
    }

    private static boolean starts(byte[] b, int offset, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the whole of the bytes is UTF-8 without control characters but tab, CR and LF: decoded in pieces of
     * {@link #TEXT_CHUNK} characters, never into one string (a 10 MB file would be 20 MB of chars).
     */
    private static boolean text(byte[] b, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, offset, length);
        CharBuffer out = CharBuffer.allocate(TEXT_CHUNK);
        CoderResult r;
        do {
            r = decoder.decode(in, out, true); // the end of input: a sequence cut short at the end is malformed
            if (r.isError() || !plain(out)) {
                return false;
            }
        } while (r.isOverflow());
        return !decoder.flush(out).isError() && plain(out);
    }

    /** Whether the decoded characters have no control character but tab, CR and LF; empties {@code out}. */
    private static boolean plain(CharBuffer out) {
        out.flip();
        while (out.hasRemaining()) {
            char c = out.get();
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        out.clear();
        return true;
    }

    static final int TEXT_CHUNK = 8 * 1024;
}
