package wales.exchange.delivery.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's URL path as this request reached it: JAX-RS's base URI (the webapp's context path and the REST servlet's
 * mapping, e.g. {@code /magnoliaPublic/.rest/} in Magnolia, {@code /.rest/} in the standalone server) and the
 * endpoint's {@link Path}. Never the configured default, which cannot know Magnolia's context path (issue 13, defect 6).
 */
final class ApiPath {
    private static final String ENDPOINT = DeliveryEndpoint.class.getAnnotation(Path.class).value();
    private static final int MAX_DOCUMENTS = 8;
    private final Map<String, byte[]> documents = new ConcurrentHashMap<>();
    private final ObjectNode openApi;
    private final ObjectMapper mapper = new ObjectMapper();

    ApiPath(byte[] openApi) throws IOException {
        this.openApi = openApi == null ? null : (ObjectNode) mapper.readTree(openApi);
    }

    /** {@code /magnoliaPublic/.rest/} and {@code /exchange/v1} give {@code /magnoliaPublic/.rest/exchange/v1}. */
    static String of(URI baseUri) {
        String base = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
        String end = ENDPOINT.startsWith("/") ? ENDPOINT : "/" + ENDPOINT;
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + end;
    }

    /** The OpenAPI document with {@code servers[0].url} set to {@code apiPath}; null when the module has none. */
    byte[] openApi(String apiPath) {
        if (openApi == null) {
            return null;
        }
        byte[] doc = documents.get(apiPath);
        if (doc == null) {
            ObjectNode copy = openApi.deepCopy();
            ArrayNode servers = copy.putArray("servers");
            servers.addObject().put("url", apiPath).put("description", "This API, as this request reached it.");
            try {
                doc = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(copy);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (documents.size() < MAX_DOCUMENTS) { // one per deployment path in practice
                documents.put(apiPath, doc);
            }
        }
        return doc;
    }
}
