package wales.exchange.intake;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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
        if (starts(b, "%PDF-".getBytes(StandardCharsets.US_ASCII))) {
            return PDF;
        }
        if (starts(b, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) {
            return PNG;
        }
        if (starts(b, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff})) {
            return JPEG;
        }
        if (starts(b, new byte[] {'P', 'K', 3, 4})) {
            return DOCX;
        }
        return text(b) ? TEXT : null;
    }

    /** Whether the bytes are of the declared type. */
    public static boolean matches(String declared, byte[] bytes) {
        String sniffed = sniff(bytes);
        if (sniffed == null) {
            return false;
        }
        return declared.equals(sniffed) || declared.equals(ODT) && sniffed.equals(DOCX);
    }

    private static boolean starts(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean text(byte[] b) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            return s.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t');
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
