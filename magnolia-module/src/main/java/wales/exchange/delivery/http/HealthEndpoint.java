package wales.exchange.delivery.http;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.jcr.RepositoryCheck;

/**
 * {@code GET /.rest/exchange/v1/health}: 200 once the repository answers and the read model is loaded; 503
 * {@code degraded}, with the damage found by the start-up {@link RepositoryCheck} as {@code problems}, while the
 * repository's data cannot be trusted. The same class in both hosts; each binds its {@link Probe} (the server: its
 * repository and start-up check; Magnolia: the index's session).
 */
@Path("/exchange/v1/health")
@ExchangeApi
public class HealthEndpoint {
    /** Longest list of damages health shows (the log has them all). */
    public static final int MAX_LISTED_DAMAGES = 50;
    private final Probe probe;
    private final DeliveryIndex index;

    /** How a host checks its repository. */
    public interface Probe {
        /** Throws when the repository does not answer. */
        void ping() throws Exception;

        /** Damage found in the repository's data (none: empty). */
        List<RepositoryCheck.Damage> damages();
    }

    @Inject
    public HealthEndpoint(Probe probe, DeliveryIndex index) {
        this.probe = probe;
        this.index = index;
    }

    @GET
    @Produces("application/json")
    public Response health() {
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            probe.ping(); // the repository answers; its product and version stay private
            body.put("status", "up");
            body.put("items", index.size());
            List<RepositoryCheck.Damage> damages = probe.damages();
            if (!damages.isEmpty()) {
                body.put("status", "degraded");
                body.put("problems", damages.stream().limit(MAX_LISTED_DAMAGES).map(HealthEndpoint::problem).toList());
                return Response.status(503).entity(body).header("Cache-Control", "no-store").build();
            }
            return Response.ok(body).header("Cache-Control", "no-store").build();
        } catch (Exception e) {
            body.put("status", "down");
            return Response.status(503).entity(body).header("Cache-Control", "no-store").build();
        }
    }

    /** A damage as health shows it: code, and the node's path and id where known (details are in the log). */
    private static Map<String, String> problem(RepositoryCheck.Damage d) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("code", d.code());
        if (d.path() != null) {
            p.put("path", d.path());
        }
        if (d.id() != null) {
            p.put("id", d.id());
        }
        return p;
    }
}
