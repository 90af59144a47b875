package wales.exchange.delivery;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import wales.exchange.i18n.Lang;

/**
 * Per-client rate limit of the public API (token bucket per remote address: {@code perSecond} sustained,
 * {@code burst} at once). Over the limit: 429 problem+json in the request's language with {@code Retry-After}.
 * Inside Magnolia, register it as an additional REST provider or limit at the edge (docs/install-magnolia.md).
 */
@PreMatching
public class RateLimitFilter implements ContainerRequestFilter {
    static final int MAX_CLIENTS = 100_000;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final long perSecond;
    private final long burst;
    private final Problems problems;
    @Context
    private HttpServletRequest servletRequest;

    public RateLimitFilter(long perSecond, long burst, Problems problems) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate limit and burst must be at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.problems = problems;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String client = servletRequest == null ? "unknown" : servletRequest.getRemoteAddr();
        if (buckets.size() > MAX_CLIENTS) {
            buckets.clear(); // bounded memory; a cleared client simply starts with a full bucket
        }
        Bucket bucket = buckets.computeIfAbsent(client, c -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            Lang lang = Lang.fromAcceptLanguage(request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
            String l = request.getUriInfo().getQueryParameters().getFirst("lang");
            if (l != null) {
                lang = Lang.parse(l).orElse(lang);
            }
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            Response r = problems.response(429, "tooManyRequests", lang, request.getUriInfo().getRequestUri().getRawPath(),
                    null, null, null);
            request.abortWith(Response.fromResponse(r).header("Retry-After", Long.toString(seconds)).build());
        }
    }
}
