package wales.exchange.delivery.http;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import wales.exchange.delivery.DeliveryConfig;

/**
 * CORS for the configured origins ({@code corsOrigins}), on the module's routes only, in both hosts. Pre-matching, so
 * that it answers a preflight (OPTIONS with Access-Control-Request-Method) before JAX-RS looks for an OPTIONS method;
 * name binding does not apply to pre-matching filters, so it checks {@link ApiRoutes#isOurs} and leaves another
 * module's requests under Magnolia's {@code /.rest/*} alone.
 */
@PreMatching
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private final Set<String> origins;

    public CorsFilter(Set<String> origins) {
        this.origins = origins;
    }

    @Inject
    public CorsFilter(DeliveryConfig config) {
        this(config.corsOrigins());
    }

    private boolean allowed(String origin) {
        return origin != null && (origins.contains("*") || origins.contains(origin));
    }

    private static String path(ContainerRequestContext request) {
        String p = request.getUriInfo().getPath();
        return p.startsWith("/") ? p : "/" + p;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!ApiRoutes.isOurs(path(request))) {
            return;
        }
        if ("OPTIONS".equals(request.getMethod()) && request.getHeaderString("Access-Control-Request-Method") != null) {
            String origin = request.getHeaderString("Origin");
            Response.ResponseBuilder b = Response.noContent().header("Vary", "Origin");
            if (allowed(origin)) {
                String allow = ApiRoutes.allowFor(path(request));
                b.header("Access-Control-Allow-Origin", origin)
                        .header("Access-Control-Allow-Methods", allow)
                        .header("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match, If-Modified-Since, X-Exchange-Preview"
                                + (allow.equals(ApiRoutes.ALLOW) ? "" : ", Content-Type"))
                        .header("Access-Control-Max-Age", "86400");
            }
            request.abortWith(b.build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!ApiRoutes.isOurs(path(request))) {
            return;
        }
        if ("OPTIONS".equals(request.getMethod()) && response.getStatus() == 200) {
            // a plain OPTIONS on a route: its methods in Allow and no body (not RESTEasy's text/plain list)
            response.setEntity(null);
            response.setStatus(204);
            response.getHeaders().remove("Content-Type");
            response.getHeaders().putSingle("Allow", ApiRoutes.allowFor(path(request)));
        }
        String origin = request.getHeaderString("Origin");
        if (allowed(origin)) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
            response.getHeaders().putSingle("Access-Control-Expose-Headers", "ETag, Last-Modified, Content-Language, Retry-After, Location");
        }
        Object vary = response.getHeaders().getFirst("Vary");
        if (vary == null) {
            response.getHeaders().putSingle("Vary", "Origin");
        } else if (!vary.toString().contains("Origin")) {
            response.getHeaders().putSingle("Vary", vary + ", Origin");
        }
    }
}
