package wales.exchange.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.util.Deque;
import wales.exchange.delivery.Problems;
import wales.exchange.i18n.Lang;

/** Writes RFC 9457 problems from Undertow handlers, outside JAX-RS, in the request's language. */
final class ProblemWriter {
    private final Problems problems;

    ProblemWriter(Problems problems) {
        this.problems = problems;
    }

    /** The request's language for a message: {@code lang} if valid, else Accept-Language; never fails. */
    static Lang lang(HttpServerExchange exchange) {
        Deque<String> l = exchange.getQueryParameters().get("lang");
        if (l != null && !l.isEmpty()) {
            java.util.Optional<Lang> parsed = Lang.parse(l.getFirst());
            if (parsed.isPresent()) {
                return parsed.get();
            }
        }
        return Lang.fromAcceptLanguage(exchange.getRequestHeaders().getFirst(Headers.ACCEPT_LANGUAGE));
    }

    void send(HttpServerExchange exchange, int status, String kind, String detailKey) {
        Response r = problems.response(status, kind, lang(exchange), exchange.getRequestPath(), detailKey, null, null);
        exchange.setStatusCode(status);
        r.getStringHeaders().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().put(HttpString.tryFromString(name), v)));
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, r.getMediaType().toString());
        byte[] body = (byte[]) r.getEntity();
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
