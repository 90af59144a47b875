package wales.exchange.delivery;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rendered public responses of single items, keyed by everything a response depends on (path, query, Accept-Language,
 * Accept), valid for one read-model generation. The delivery endpoint fills it; a host may answer repeated and
 * conditional GETs from it before the JAX-RS chain (the standalone server does, as Magnolia's cache filter would).
 * Never holds preview or cross-origin responses.
 */
public final class ResponseCache {
    static final int MAX_ENTRIES = 20_000;
    private final Map<String, Cached> entries = new ConcurrentHashMap<>();
    private final ReadModel readModel;

    public ResponseCache(ReadModel readModel) {
        this.readModel = readModel;
    }

    /** A cached 200 response: headers as name/value pairs in order, the body and its ETag. */
    public record Cached(long generation, List<String[]> headers, byte[] body, String etag) {
    }

    /** Everything a public item response depends on; Host too, since JSON-LD may carry absolute URLs. */
    public static String key(String host, String rawPath, String rawQuery, String acceptLanguage, String accept) {
        return host + '\n' + rawPath + '?' + (rawQuery == null ? "" : rawQuery) + '\n'
                + (acceptLanguage == null ? "" : acceptLanguage) + '\n' + (accept == null ? "" : accept);
    }

    /** The entry for {@code key} if it was rendered from the current content, else null. */
    public Cached current(String key) {
        Cached c = entries.get(key);
        return c != null && c.generation() == readModel.generation() ? c : null;
    }

    void put(String key, Cached cached) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, cached);
    }

    /** True when an If-None-Match header value matches the ETag (weak comparison, RFC 9110 §13.1.2). */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch.strip().equals("*")) {
            return true;
        }
        for (String t : ifNoneMatch.split(",")) {
            String tag = t.strip();
            if ((tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
