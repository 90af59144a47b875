package wales.exchange.server;

import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import wales.exchange.delivery.http.Problems;
import wales.exchange.i18n.Lang;

/**
 * The servlet deployment's error page for every status and exception: whatever the servlet container or RESTEasy
 * answers with {@code sendError} (or an exception that escaped JAX-RS) becomes problem+json instead of Undertow's HTML
 * page. Mapped at {@link #LOCATION}, which the {@link EdgeHandler} never lets a client reach directly (it is outside
 * {@code /.rest}).
 */
final class ProblemErrorServlet extends HttpServlet {
    static final String LOCATION = "/exchange-error";
    private static final long serialVersionUID = 1L;
    private final transient Problems problems;

    @Inject
    ProblemErrorServlet(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String instance = uri == null ? req.getRequestURI() : uri.toString();
        Lang lang = Lang.fromAcceptLanguage(req.getHeader("Accept-Language"));
        String kind = switch (status) {
            case 404 -> null;
            case 405 -> "methodNotAllowed";
            case 406 -> "notAcceptable";
            case 415 -> "unsupportedMediaType";
            case 429 -> "tooManyRequests";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "malformedRequest";
        };
        int sent = kind != null && kind.equals("internal") ? 500 : status;
        Response r = kind == null ? problems.notFound(lang, instance) : problems.response(sent, kind, lang, instance, null, null, null);
        resp.resetBuffer();
        resp.setStatus(r.getStatus());
        for (Map.Entry<String, List<String>> h : r.getStringHeaders().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Content-Type") && !h.getKey().equalsIgnoreCase("Content-Length")) {
                h.getValue().forEach(v -> resp.setHeader(h.getKey(), v));
            }
        }
        if (status == 405) {
            resp.setHeader("Allow", EdgeHandler.ALLOW);
        }
        byte[] body = (byte[]) r.getEntity();
        resp.setContentType(r.getMediaType().toString());
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
