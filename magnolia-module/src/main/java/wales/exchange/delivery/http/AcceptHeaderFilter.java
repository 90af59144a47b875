package wales.exchange.delivery.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import wales.exchange.i18n.QualityValues;

/**
 * Drops the elements of {@code Accept} whose q-value is malformed ({@code application/json;q=abc}, {@code q=2},
 * {@code q=NaN}) before JAX-RS matches a method: RESTEasy's own parser rejects the whole header with an exception (a
 * 500), while RFC 9110 lets a recipient ignore an invalid element. With no valid element left the header is removed,
 * which means "anything" (RFC 9110 §12.5.1). {@link DeliveryEndpoint#quality} reads the header the same way.
 * Pre-matching (it must act before matching), so it checks {@link ApiRoutes#isOurs}: another module's requests under
 * Magnolia's {@code /.rest/*} are left alone. Inside Magnolia it is registered through rest-integration's
 * {@code additionalProviders} (docs/install-magnolia.md).
 */
@PreMatching
public class AcceptHeaderFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        if (!ApiRoutes.isOurs("/" + request.getUriInfo().getPath().replaceFirst("^/", ""))) {
            return;
        }
        List<String> values = request.getHeaders().get(HttpHeaders.ACCEPT);
        if (values == null || values.isEmpty()) {
            return;
        }
        String cleaned = clean(String.join(",", values));
        if (cleaned.equals(String.join(",", values))) {
            return;
        }
        if (cleaned.isEmpty()) {
            request.getHeaders().remove(HttpHeaders.ACCEPT);
        } else {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, cleaned);
        }
    }

    /** The header without its malformed elements (empty when none is left); unchanged when all are well-formed. */
    static String clean(String accept) {
        List<String> kept = new ArrayList<>();
        boolean dropped = false;
        for (String part : accept.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            if (QualityValues.of(part.strip().split(";")) == QualityValues.MALFORMED) {
                dropped = true;
            } else {
                kept.add(part.strip());
            }
        }
        return dropped ? String.join(", ", kept) : accept;
    }
}
