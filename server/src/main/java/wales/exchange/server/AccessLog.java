package wales.exchange.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.accesslog.AccessLogHandler;
import io.undertow.server.handlers.accesslog.AccessLogReceiver;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --access-log}: one line per request in the Combined Log Format (client, time, request line, status, bytes,
 * referer, user agent) through the SLF4J logger {@value #LOGGER}. The client is the one {@link EdgeHandler} named
 * (behind a trusted proxy: the forwarded client). A contributor's status token (the key to their submission) is
 * masked wherever it appears in the line (request line, referer): {@code /submissions/…}, as intake's problems do.
 */
final class AccessLog implements AccessLogReceiver {
    static final String LOGGER = "exchange.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /**
     * Combined Log Format, with the size taken from the answer's Content-Length (every answer of the server has one):
     * Undertow's byte counter (%b) can be read at completion before a servlet's write was counted, which logged "-".
     */
    static final String PATTERN = "%h %l %u %t \"%r\" %s %{o,Content-Length} \"%{i,Referer}\" \"%{i,User-Agent}\"";

    /** A status token ({@code s1.<hex>.<mac>}), and whatever follows {@code /submissions/} up to a space, quote or query. */
    private static final Pattern TOKEN = Pattern.compile("(/submissions/)[^\\s\"?#/]+|\\bs1\\.[0-9A-Fa-f]+\\.[A-Za-z0-9_=-]+");

    private AccessLog() {
    }

    /** {@code line} with every status token masked. */
    static String mask(String line) {
        return TOKEN.matcher(line).replaceAll(m -> m.group(1) != null ? "$1…" : "s1.…");
    }

    /** Set on the server's own warm-up requests when they arrive. */
    private static final io.undertow.util.AttachmentKey<Boolean> WARM_UP = io.undertow.util.AttachmentKey.create(Boolean.class);

    static HttpHandler wrap(HttpHandler next) {
        // the server's own warm-up requests (WarmUp) are not logged; told when a request arrives, not when its line is
        // written: by then the warm-up may have read the answer and let its connection go
        HttpHandler logging = new AccessLogHandler(next, new AccessLog(), PATTERN, AccessLog.class.getClassLoader(),
                exchange -> exchange.getAttachment(WARM_UP) == null);
        return exchange -> {
            if (WarmUp.own(exchange)) {
                exchange.putAttachment(WARM_UP, Boolean.TRUE);
            }
            logging.handleRequest(exchange);
        };
    }

    @Override
    public void logMessage(String message) {
        LOG.info(mask(message));
    }
}
