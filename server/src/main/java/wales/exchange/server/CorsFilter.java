package wales.exchange.server;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/**
 * CORS for the configured origins only (inside Magnolia, Magnolia's own CORS filter does this, see docs/install-magnolia.md).
 * Read-only API: GET, HEAD and OPTIONS.
 */
@PreMatching
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private final Set<String> origins;

    public CorsFilter(Set<String> origins) {
        this.origins = origins;
    }

    @Inject
    public CorsFilter(wales.exchange.delivery.DeliveryConfig config) {
        this(config.corsOrigins());
    }

    private boolean allowed(String origin) {
        return origin != null && (origins.contains("*") || origins.contains(origin));
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if ("OPTIONS".equals(request.getMethod()) && request.getHeaderString("Access-Control-Request-Method") != null) {
            String origin = request.getHeaderString("Origin");
            Response.ResponseBuilder b = Response.noContent().header("Vary", "Origin");
            if (allowed(origin)) {
                b.header("Access-Control-Allow-Origin", origin)
                        .header("Access-Control-Allow-Methods", EdgeHandler.allowFor(request.getUriInfo().getRequestUri().getRawPath()))
                        .header("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match, If-Modified-Since, X-Exchange-Preview"
                                + (EdgeHandler.allowFor(request.getUriInfo().getRequestUri().getRawPath()).equals(EdgeHandler.ALLOW) ? "" : ", Content-Type"))
                        .header("Access-Control-Max-Age", "86400");
            }
            request.abortWith(b.build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if ("OPTIONS".equals(request.getMethod()) && response.getStatus() == 200) {
            // a plain OPTIONS on a route: its methods in Allow and no body (not RESTEasy's text/plain list)
            response.setEntity(null);
            response.setStatus(204);
            response.getHeaders().remove("Content-Type");
            response.getHeaders().putSingle("Allow", EdgeHandler.allowFor(request.getUriInfo().getRequestUri().getRawPath()));
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
