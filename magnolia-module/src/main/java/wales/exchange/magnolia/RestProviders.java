package wales.exchange.magnolia;

import info.magnolia.objectfactory.Components;
import jakarta.ws.rs.container.PreMatching;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.http.AcceptHeaderFilter;
import wales.exchange.delivery.http.CorsFilter;
import wales.exchange.delivery.http.ExchangeApi;
import wales.exchange.delivery.http.ProblemMapper;
import wales.exchange.delivery.http.Problems;
import wales.exchange.delivery.http.RateLimitFilter;
import wales.exchange.delivery.http.RateLimiter;
import wales.exchange.settings.ExchangeSettings;

/**
 * The module's JAX-RS providers as Magnolia's rest-integration instantiates them: each class named by a
 * {@code providerClass} under {@code additionalProviders} (decorations/rest-integration/config.yaml) has a public
 * no-argument constructor that takes its collaborators from Magnolia's main component provider
 * ({@link Components#getComponent}), as IBM/magkit's 6.4 providers do. Each is the standalone server's class, with the
 * same scoping: {@link ExchangeApi} name binding (the rate limit) or a path check (problem mapping, CORS, Accept).
 */
public final class RestProviders {
    private RestProviders() {
    }

    /** Problem+json for unknown routes, 405, 406, 415 and failures on the module's routes. */
    public static class ProblemMapping extends ProblemMapper {
        public ProblemMapping() {
            super(Components.getComponent(Problems.class));
        }
    }

    /** CORS for {@code corsOrigins}, on the module's routes. */
    @PreMatching
    public static class Cors extends CorsFilter {
        public Cors() {
            super(Components.getComponent(DeliveryConfig.class));
        }
    }

    /** The per-client rate limit ({@code rateLimit}), on requests matched to the module's endpoints only. */
    @ExchangeApi
    public static class RateLimit extends RateLimitFilter {
        public RateLimit() {
            super(Components.getComponent(RateLimiter.class), Components.getComponent(Problems.class),
                    Components.getComponent(ExchangeSettings.class));
        }
    }

    /** Drops malformed Accept elements on the module's routes (RESTEasy would answer 500). */
    @PreMatching
    public static class Accept extends AcceptHeaderFilter {
        public Accept() {
            super();
        }
    }
}
