package wales.exchange.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Issue 13, defect 6: Magnolia serves the API under the webapp's context path; the URLs it writes say so. */
class ApiPathTest {

    @Test
    void theApiPathIsTheRequestsBaseAndTheEndpointsPath() {
        assertThat(ApiPath.of(URI.create("http://cms.example.org/magnoliaPublic/.rest/"))).isEqualTo("/magnoliaPublic/.rest/exchange/v1");
        assertThat(ApiPath.of(URI.create("http://localhost:8080/.rest/"))).isEqualTo("/.rest/exchange/v1");
        assertThat(ApiPath.of(URI.create("http://localhost:8080/.rest"))).isEqualTo("/.rest/exchange/v1");
    }

    @Test
    void theOpenApiServersUrlIsTheApiPathOfTheRequest() throws Exception {
        byte[] source;
        try (InputStream in = DeliveryEndpoint.class.getResourceAsStream("openapi.json")) {
            source = in.readAllBytes();
        }
        ApiPath paths = new ApiPath(source);
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(paths.openApi("/magnoliaPublic/.rest/exchange/v1")).path("servers").path(0).path("url").asText())
                .isEqualTo("/magnoliaPublic/.rest/exchange/v1");
        assertThat(mapper.readTree(paths.openApi("/.rest/exchange/v1")).path("paths"))
                .isEqualTo(mapper.readTree(source).path("paths"));
    }
}
