package wales.exchange.delivery.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import wales.exchange.i18n.Lang;

/**
 * Per-client rate limit of the module's routes (token bucket per client address, {@link RateLimiter#key}; the client
 * named by a trusted proxy's forwarding header). Over the limit: 429 problem+json in the request's language with
 * {@code Retry-After}. Name-bound ({@link ExchangeApi}): it charges only requests matched to the module's endpoints,
 * never another module's under Magnolia's {@code /.rest/*}. Inside Magnolia it is registered through rest-integration's
 * {@code additionalProviders} (docs/install-magnolia.md); the standalone server charges every request at its edge.
 */
@ExchangeApi
public class RateLimitFilter implements ContainerRequestFilter {
    private final RateLimiter limiter;
    private final Problems problems;
    @Context
    private HttpServletRequest servletRequest;

    private final wales.exchange.settings.TrustedProxies proxies;

    @jakarta.inject.Inject
    public RateLimitFilter(RateLimiter limiter, Problems problems, wales.exchange.settings.ExchangeSettings settings) {
        this.limiter = limiter;
        this.problems = problems;
        this.proxies = settings.trustedProxies();
    }

    /** The client's address: the peer, or the client a trusted proxy names. */
    private String client(ContainerRequestContext request) {
        if (servletRequest == null) {
            return "unknown";
        }
        try {
            java.net.InetAddress peer = java.net.InetAddress.getByName(servletRequest.getRemoteAddr()); // a literal
            return RateLimiter.key(proxies.client(peer, request.getHeaders().getOrDefault("Forwarded", java.util.List.of()),
                    request.getHeaders().getOrDefault("X-Forwarded-For", java.util.List.of())));
        } catch (java.net.UnknownHostException e) {
            return servletRequest.getRemoteAddr();
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        long wait = limiter.take(client(request));
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
