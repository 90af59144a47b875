package wales.exchange.delivery.http;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.i18n.Lang;

/**
 * What JAX-RS throws on the module's routes (unknown route, wrong method, unacceptable or unsupported media type, a
 * bug) as problem+json in the request's language, in both hosts. Exception mappers are global (name binding does not
 * apply to them): on another module's route under Magnolia's {@code /.rest/*} ({@link ApiRoutes#isOurs} false) a
 * {@link WebApplicationException} keeps its own response, as without this mapper, and anything else is a bare 500.
 */
public class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);
    private final Problems problems;
    private final boolean wholeApplication;
    @Context
    private HttpHeaders headers;
    @Context
    private UriInfo uri;

    @Inject
    public ProblemMapper(Problems problems) {
        this(problems, false);
    }

    private ProblemMapper(Problems problems, boolean wholeApplication) {
        this.problems = problems;
        this.wholeApplication = wholeApplication;
    }

    /**
     * For a host whose whole REST application is the module's (the standalone server): every path under its REST root
     * is answered as the module's, {@code /.rest} itself included.
     */
    public static ProblemMapper forWholeApplication(Problems problems) {
        return new ProblemMapper(problems, true);
    }

    @Override
    public Response toResponse(Throwable e) {
        String relative = uri == null ? null : "/" + stripSlash(uri.getPath());
        if (!wholeApplication && relative != null && !ApiRoutes.isOurs(relative)) {
            if (e instanceof WebApplicationException w) {
                return w.getResponse();
            }
            LOG.error("request to {} failed", relative, e);
            return Response.serverError().build();
        }
        Lang lang = Lang.fromAcceptLanguage(headers == null ? null : headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        if (uri != null && uri.getQueryParameters().getFirst("lang") != null) {
            lang = Lang.parse(uri.getQueryParameters().getFirst("lang")).orElse(lang);
        }
        String path = uri == null ? null : uri.getRequestUri().getRawPath();
        if (e instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            if (status == 404) {
                // JAX-RS found no route: not a missing item (that is the endpoint's own notFound)
                return problems.noRoute(lang, path, apiRoot(path, relative));
            }
            if (status == 405) {
                boolean moderation = relative != null && relative.startsWith(ApiRoutes.MODERATION);
                String allow = w.getResponse().getHeaderString("Allow");
                return Response.fromResponse(problems.response(status, "methodNotAllowed", lang, path,
                                moderation ? "exchange.moderation.methodNotAllowed" : "exchange.problem.methodNotAllowed.detail", null, null))
                        .header("Allow", moderation && allow != null ? allow : ApiRoutes.allowFor(relative == null ? "" : relative)).build();
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

    /** The API root as the client addressed it: the request's path up to the module's root (with any context path). */
    static String apiRoot(String rawPath, String relative) {
        if (rawPath != null && relative != null && rawPath.endsWith(relative)) {
            return rawPath.substring(0, rawPath.length() - relative.length()) + ApiRoutes.ROOT;
        }
        return wales.exchange.delivery.DeliveryConfig.BASE_PATH;
    }

    private static String stripSlash(String p) {
        return p.startsWith("/") ? p.substring(1) : p;
    }
}
