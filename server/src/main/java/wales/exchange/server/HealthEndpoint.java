package wales.exchange.server;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.jcr.Session;
import wales.exchange.delivery.ReadModel;
import wales.exchange.jcr.EmbeddedRepository;

/** {@code GET /.rest/exchange/v1/health}: 200 once the repository answers and the read model is loaded. */
@Path("/exchange/v1/health")
public class HealthEndpoint {
    private final EmbeddedRepository repository;
    private final ReadModel readModel;

    @Inject
    public HealthEndpoint(EmbeddedRepository repository, ReadModel readModel) {
        this.repository = repository;
        this.readModel = readModel;
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
                body.put("items", readModel.size());
            } finally {
                s.logout();
            }
            return Response.ok(body).header("Cache-Control", "no-store").build();
        } catch (Exception e) {
            body.put("status", "down");
            return Response.status(503).entity(body).header("Cache-Control", "no-store").build();
        }
    }
}
