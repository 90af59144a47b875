package wales.exchange.intake;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code multipart/form-data} body (RFC 7578), as the contribution form sends it without JavaScript: text fields
 * and at most one file. Plain Java on bytes already read, so it runs the same in the standalone server and inside
 * Magnolia's RESTEasy (no multipart provider, no servlet multipart configuration needed).
 *
 * <p>Bounded: the caller reads at most its cap of bytes ({@link #parse}'s {@code cut} says the body went on beyond
 * it); at most {@link #MAX_PARTS} parts, {@link #MAX_HEAD} bytes of headers per part, {@code maxTextBytes} of text
 * values together. A body cut off inside the file part (the form puts the file last) still gives the fields before
 * it, and a file marked {@link FilePart#cut}: too large. A body cut off anywhere else is {@link TooLarge}.
 */
final class MultipartForm {
    static final String TYPE = "multipart/form-data";
    static final int MAX_PARTS = 100;
    static final int MAX_HEAD = 8 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private MultipartForm() {
    }

    /**
     * A file part. {@code bytes} is null when {@code cut}: the body ended (at the cap) before the file did.
     * {@code contentType} is the part's declared type (lower case, no parameters; empty when none).
     */
    record FilePart(String name, String contentType, byte[] body, int offset, int length, boolean cut) {
        /** The file's bytes as a new array (a copy: the part itself is a slice of the body it came in). */
        byte[] bytes() {
            return body == null ? null : java.util.Arrays.copyOfRange(body, offset, offset + length);
        }
    }

    /** The text fields in their order (name, value), and the file, null when none was chosen. */
    record Parsed(List<Map.Entry<String, String>> fields, FilePart file) {
    }

    /** The body is not a well-formed form: {@code messageKey} says why. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final String messageKey;

        Malformed(String messageKey) {
            super(messageKey, null, false, false);
            this.messageKey = messageKey;
        }
    }

    /** The text values exceed their cap, or the body was cut off outside the file part. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }

    static final String UNREADABLE = "exchange.intake.form";
    static final String ONE_FILE = "exchange.intake.multipart.file";

    /** The {@code boundary} parameter of a multipart Content-Type (1 to 70 characters of RFC 2046's set); null when none is valid. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] params = contentType.split(";");
        for (int i = 1; i < params.length; i++) {
            String p = params[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("boundary")) {
                String b = p.substring(eq + 1).strip();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.matches("[0-9A-Za-z'()+_,./:=? -]{0,69}[0-9A-Za-z'()+_,./:=?-]") ? b : null;
            }
        }
        return null;
    }

    /**
     * Parses {@code body} (the first bytes read, {@code cut} when the body went on). The file part is the one with a
     * {@code filename} parameter; one chosen with nothing in it (a browser's empty file input: no name, no bytes) is no file.
     */
    static Parsed parse(byte[] body, boolean cut, String boundary, int maxTextBytes) throws Malformed, TooLarge {
        return parse(body, body.length, cut, boundary, maxTextBytes);
    }

    /**
     * {@link #parse(byte[], boolean, String, int)} of the first {@code length} bytes of {@code body}: what was read of a
     * body into an array of its declared length. The file part is a slice of {@code body}, not a copy.
     */
    static Parsed parse(byte[] body, int length, boolean cut, String boundary, int maxTextBytes) throws Malformed, TooLarge {
        java.util.Objects.checkFromIndexSize(0, length, body.length);
        byte[] dash = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos;
        if (startsWith(body, length, 0, dash)) {
            pos = dash.length;
        } else {
            int i = indexOf(body, delimiter, 0, length);
            if (i < 0) {
                throw failure(cut);
            }
            pos = i + delimiter.length; // after a preamble
        }
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        FilePart file = null;
        boolean fileSeen = false;
        int textBytes = 0;
        for (int parts = 0; ; parts++) {
            if (startsWith(body, length, pos, new byte[] {'-', '-'})) {
                return new Parsed(fields, file); // the close delimiter; the epilogue is ignored
            }
            while (pos < length && (body[pos] == ' ' || body[pos] == '\t')) {
                pos++; // transport padding
            }
            if (!startsWith(body, length, pos, CRLF)) {
                throw failure(cut && pos + 2 > length);
            }
            pos += 2;
            if (parts == MAX_PARTS) {
                throw new Malformed(UNREADABLE);
            }
            int headEnd = indexOf(body, HEAD_END, pos, Math.min(length, pos + MAX_HEAD));
            if (headEnd < 0) {
                throw failure(cut && length < pos + MAX_HEAD);
            }
            String name = null;
            String filename = null;
            String type = "";
            for (String line : new String(body, pos, headEnd - pos, StandardCharsets.UTF_8).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new Malformed(UNREADABLE);
                }
                String header = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                if (header.equals("content-disposition")) {
                    List<String> params = params(value);
                    if (params.isEmpty() || !params.get(0).equalsIgnoreCase("form-data")) {
                        throw new Malformed(UNREADABLE);
                    }
                    for (String p : params.subList(1, params.size())) {
                        int eq = p.indexOf('=');
                        String k = eq < 0 ? p : p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                        String v = eq < 0 ? "" : unquote(p.substring(eq + 1).strip());
                        if (k.equals("name")) {
                            name = v;
                        } else if (k.equals("filename")) {
                            filename = v;
                        }
                    }
                } else if (header.equals("content-type")) {
                    type = value.split(";")[0].strip().toLowerCase(Locale.ROOT);
                }
            }
            if (name == null || name.isEmpty()) {
                throw new Malformed(UNREADABLE);
            }
            int start = headEnd + HEAD_END.length;
            int end = indexOf(body, delimiter, start, length);
            if (filename != null) {
                if (fileSeen) {
                    throw new Malformed(ONE_FILE);
                }
                fileSeen = true;
                if (end < 0) {
                    if (cut) {
                        return new Parsed(fields, new FilePart(name, type, null, 0, 0, true));
                    }
                    throw new Malformed(UNREADABLE);
                }
                if (!(filename.isEmpty() && end == start)) {
                    file = new FilePart(name, type, body, start, end - start, false);
                }
            } else {
                if (end < 0) {
                    throw failure(cut);
                }
                textBytes += end - start;
                if (textBytes > maxTextBytes) {
                    throw new TooLarge();
                }
                fields.add(new AbstractMap.SimpleImmutableEntry<>(name, new String(body, start, end - start, StandardCharsets.UTF_8)));
            }
            pos = end + delimiter.length;
        }
    }

    /** Throws what a body that ends too soon is: cut off at the cap (too large), or malformed. Never returns. */
    private static IllegalStateException failure(boolean tooLarge) throws Malformed, TooLarge {
        if (tooLarge) {
            throw new TooLarge();
        }
        throw new Malformed(UNREADABLE);
    }

    /** A header value's parts split at {@code ;} outside quotes. */
    private static List<String> params(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < value.length()) {
                b.append(c).append(value.charAt(++i));
                continue;
            }
            if (c == ';' && !quoted) {
                out.add(b.toString().strip());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString().strip());
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return v;
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        return startsWith(b, b.length, at, prefix);
    }

    /** Whether {@code prefix} is at {@code at} within the first {@code length} bytes of {@code b}. */
    private static boolean startsWith(byte[] b, int length, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first index of {@code needle} in {@code b} from {@code from}, ending before {@code to}; -1 if none. */
    static int indexOf(byte[] b, byte[] needle, int from, int to) {
        byte first = needle[0];
        for (int i = from; i <= to - needle.length; i++) {
            if (b[i] == first && startsWith(b, i, needle)) {
                return i;
            }
        }
        return -1;
    }
}
