package wales.exchange.server;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.http.Problems;
import wales.exchange.i18n.Lang;

/** Everything JAX-RS throws (unknown route, wrong method, a bug) as problem+json in the request's language. */
public class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);
    /** The methods of every route of the read-only API (RFC 9110 §15.5.6: a 405 says which are allowed). */
    static final String ALLOW = "GET, HEAD, OPTIONS";
    private final Problems problems;
    @Context
    private HttpHeaders headers;
    @Context
    private UriInfo uri;

    @Inject
    public ProblemMapper(Problems problems) {
        this.problems = problems;
    }

    @Override
    public Response toResponse(Throwable e) {
        Lang lang = Lang.fromAcceptLanguage(headers == null ? null : headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        if (uri != null && uri.getQueryParameters().getFirst("lang") != null) {
            lang = Lang.parse(uri.getQueryParameters().getFirst("lang")).orElse(lang);
        }
        String path = uri == null ? null : uri.getRequestUri().getRawPath();
        if (e instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            if (status == 404) {
                // JAX-RS found no route: not a missing item (that is the endpoint's own notFound)
                return problems.noRoute(lang, path, DeliveryConfig.BASE_PATH);
            }
            if (status == 405) {
                boolean moderation = path != null && path.startsWith(DeliveryConfig.BASE_PATH + "/moderation/");
                String allow = w.getResponse().getHeaderString("Allow");
                return Response.fromResponse(problems.response(status, "methodNotAllowed", lang, path,
                                moderation ? "exchange.moderation.methodNotAllowed" : "exchange.problem.methodNotAllowed.detail", null, null))
                        .header("Allow", moderation && allow != null ? allow : ALLOW).build();
            }
            if (status == 406) {
                return problems.response(status, "notAcceptable", lang, path, null, null, null);
            }
            if (status == 415) {
                return problems.response(status, "unsupportedMediaType", lang, path, null, null, null);
            }
        }
        if (wales.exchange.jcr.StorageFaults.unavailable(e)) {
            wales.exchange.jcr.StorageFaults.log(LOG, "a request to " + path, e);
            return problems.storageUnavailable(lang, path);
        }
        LOG.error("request to {} failed", path, e);
        return problems.response(500, "internal", lang, path, null, null, null);
    }
}
