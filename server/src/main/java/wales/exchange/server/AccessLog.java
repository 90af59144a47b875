package wales.exchange.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.accesslog.AccessLogHandler;
import io.undertow.server.handlers.accesslog.AccessLogReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --access-log}: one line per request in the Combined Log Format (client, time, request line, status, bytes,
 * referer, user agent) through the SLF4J logger {@value #LOGGER}. The client is the one {@link EdgeHandler} named
 * (behind a trusted proxy: the forwarded client).
 */
final class AccessLog implements AccessLogReceiver {
    static final String LOGGER = "exchange.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /**
     * Combined Log Format, with the size taken from the answer's Content-Length (every answer of the server has one):
     * Undertow's byte counter (%b) can be read at completion before a servlet's write was counted, which logged "-".
     */
    static final String PATTERN = "%h %l %u %t \"%r\" %s %{o,Content-Length} \"%{i,Referer}\" \"%{i,User-Agent}\"";

    private AccessLog() {
    }

    static HttpHandler wrap(HttpHandler next) {
        return new AccessLogHandler(next, new AccessLog(), PATTERN, AccessLog.class.getClassLoader());
    }

    @Override
    public void logMessage(String message) {
        LOG.info(message);
    }
}
