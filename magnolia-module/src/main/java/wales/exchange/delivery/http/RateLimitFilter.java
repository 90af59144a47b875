package wales.exchange.delivery.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import wales.exchange.i18n.Lang;

/**
 * Per-client rate limit of the public API (token bucket per remote address: {@code perSecond} sustained,
 * {@code burst} at once). Over the limit: 429 problem+json in the request's language with {@code Retry-After}.
 * Inside Magnolia, register it as an additional REST provider or limit at the edge (docs/install-magnolia.md).
 */
@PreMatching
public class RateLimitFilter implements ContainerRequestFilter {
    private final RateLimiter limiter;
    private final Problems problems;
    @Context
    private HttpServletRequest servletRequest;

    public RateLimitFilter(RateLimiter limiter, Problems problems) {
        this.limiter = limiter;
        this.problems = problems;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        long wait = limiter.take(servletRequest == null ? "unknown" : servletRequest.getRemoteAddr());
        if (wait > 0) {
            Lang lang = Lang.fromAcceptLanguage(request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
            String l = request.getUriInfo().getQueryParameters().getFirst("lang");
            if (l != null) {
                lang = Lang.parse(l).orElse(lang);
            }
            Response r = problems.response(429, "tooManyRequests", lang, request.getUriInfo().getRequestUri().getRawPath(),
                    null, null, null);
            request.abortWith(Response.fromResponse(r).header("Retry-After", Long.toString(wait)).build());
        }
    }
}
