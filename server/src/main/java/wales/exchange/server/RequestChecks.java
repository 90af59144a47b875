package wales.exchange.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks of the raw request (before any decoding) that the transport makes for every route, and clean-ups of headers
 * that RESTEasy would otherwise refuse with its own error page. Pure functions, no Undertow types.
 */
final class RequestChecks {
    /** Why a request target is malformed: the suffix of its message key {@code exchange.problem.malformedRequest.*}. */
    static final String TARGET = "target";
    static final String PATH = "path";
    static final String ENCODING = "encoding";
    static final String HOST = "host";
    static final String PARAMETERS = "parameters";
    static final String CONTENT_TYPE = "contentType";

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String QVALUE = "(?:0(?:\\.\\d{0,3})?|1(?:\\.0{0,3})?)";
    private static final String PARAM = "\\s*;\\s*" + TOKEN + "=(?:" + TOKEN + "|\"(?:[^\"\\\\]|\\\\.)*\")";
    private static final Pattern LANGUAGE_RANGE = Pattern.compile("\\s*(?:\\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)(?:\\s*;\\s*[qQ]=" + QVALUE + ")?\\s*");
    private static final Pattern MEDIA_RANGE = Pattern.compile("\\s*" + TOKEN + "/" + TOKEN + "(?:" + PARAM + ")*\\s*");
    private static final Pattern Q_PARAM = Pattern.compile(";\\s*[qQ]=([^;]*)");
    private static final Pattern HOST_VALUE = Pattern.compile("(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9\\-._~!$&'()*+,;=%]+)(?::\\d{0,5})?");

    private RequestChecks() {
    }

    /** Null when the raw path is a well-formed origin-form path in UTF-8 without NUL, else the reason. */
    static String path(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return TARGET;
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            boolean pchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=:@/%".indexOf(c) >= 0;
            if (!pchar) {
                return c > 0x7f ? ENCODING : PATH; // [ ] { } | \ ^ ` " < > space; bytes outside ASCII are not UTF-8 text here
            }
        }
        return decodes(rawPath, false) ? null : ENCODING;
    }

    /**
     * Null when the raw query has only characters a query may have (plus {@code [ ]}, which clients often leave
     * unencoded in filter names) and its percent-encoding is well-formed UTF-8 without NUL, else the reason.
     */
    static String query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        for (int i = 0; i < rawQuery.length(); i++) {
            char c = rawQuery.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~!$&'()*+,;=:@/%?[]".indexOf(c) >= 0;
            if (!allowed) {
                return c > 0x7f ? ENCODING : PATH;
            }
        }
        return decodes(rawQuery, true) ? null : ENCODING;
    }

    /** Query parameters as the server will count them: every non-empty {@code &}-separated piece. */
    static int parameterCount(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return 0;
        }
        int n = 0;
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            if (end > start) {
                n++;
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return n;
    }

    /** True when each {@code %XX} is complete and the decoded bytes are UTF-8 without NUL (each query piece alone). */
    private static boolean decodes(String raw, boolean query) {
        if (raw.indexOf('%') < 0 && plainAscii(raw)) {
            return true; // nothing to decode: the text is itself, ASCII without NUL (most requests; split and decoder cost)
        }
        for (String piece : query ? raw.split("[&=]") : new String[] {raw}) {
            ByteBuffer bytes = ByteBuffer.allocate(piece.length());
            for (int i = 0; i < piece.length(); i++) {
                char c = piece.charAt(i);
                if (c == '%') {
                    if (i + 2 >= piece.length()) {
                        return false;
                    }
                    int hi = Character.digit(piece.charAt(i + 1), 16);
                    int lo = Character.digit(piece.charAt(i + 2), 16);
                    if (hi < 0 || lo < 0) {
                        return false;
                    }
                    bytes.put((byte) (hi << 4 | lo));
                    i += 2;
                } else if (c > 0x7f) {
                    return false; // raw bytes outside ASCII: Undertow reads the request line as ISO-8859-1
                } else {
                    bytes.put((byte) c);
                }
            }
            bytes.flip();
            try {
                String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
                if (s.indexOf('\0') >= 0) {
                    return false;
                }
            } catch (CharacterCodingException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean plainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Null when the Host header values are acceptable (one value, a host with an optional port), else the reason. */
    static String host(List<String> values, boolean http11) {
        if (values == null || values.isEmpty()) {
            return http11 ? HOST : null; // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400
        }
        return values.size() == 1 && HOST_VALUE.matcher(values.get(0)).matches() ? null : HOST;
    }

    /** Null when a Content-Type is absent or a well-formed media type, else the reason. */
    static String contentType(String value) {
        return value == null || MEDIA_RANGE.matcher(value).matches() ? null : CONTENT_TYPE;
    }

    /**
     * Accept-Language without its malformed elements (RFC 9110 §12.5.4 and §12.4.2: a bad weight such as {@code q=},
     * {@code q=2} or {@code q=Infinity} makes that element ignorable, not the request wrong). Null when nothing is left.
     */
    static String acceptLanguage(List<String> values) {
        return keep(values, LANGUAGE_RANGE);
    }

    /** Accept without its malformed elements (bad media range or weight); null when nothing is left. */
    static String accept(List<String> values) {
        return keep(values, MEDIA_RANGE);
    }

    private static String keep(List<String> values, Pattern element) {
        List<String> kept = new ArrayList<>();
        for (String v : values) {
            for (String e : v.split(",")) {
                if (e.isBlank()) {
                    continue;
                }
                if (element.matcher(e).matches() && weightOk(e)) {
                    kept.add(e.strip());
                }
            }
        }
        return kept.isEmpty() ? null : String.join(", ", kept);
    }

    private static boolean weightOk(String element) {
        var m = Q_PARAM.matcher(element);
        while (m.find()) {
            if (!m.group(1).strip().matches(QVALUE)) {
                return false;
            }
        }
        return true;
    }
}
