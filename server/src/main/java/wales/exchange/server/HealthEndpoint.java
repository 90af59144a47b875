package wales.exchange.server;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.jcr.Session;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.RepositoryCheck;

/**
 * {@code GET /.rest/exchange/v1/health}: 200 once the repository answers and the read model is loaded; 503
 * {@code degraded}, with the damage found by the start-up {@link RepositoryCheck} as {@code problems}, while the
 * repository's data cannot be trusted.
 */
@Path("/exchange/v1/health")
public class HealthEndpoint {
    private final EmbeddedRepository repository;
    private final DeliveryIndex index;
    private final RepositoryStatus status;

    @Inject
    public HealthEndpoint(EmbeddedRepository repository, DeliveryIndex index, RepositoryStatus status) {
        this.repository = repository;
        this.index = index;
        this.status = status;
    }

    @GET
    @Produces("application/json")
    public Response health() {
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            Session s = repository.login();
            try {
                s.getRootNode(); // the repository answers; its product and version stay private
                body.put("status", "up");
                body.put("items", index.size());
            } finally {
                s.logout();
            }
            List<RepositoryCheck.Damage> damages = status.report().damages();
            if (!damages.isEmpty()) {
                body.put("status", "degraded");
                body.put("problems", damages.stream().limit(ExchangeServer.MAX_LISTED_DAMAGES).map(HealthEndpoint::problem).toList());
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
