package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.util.Set;
import org.jboss.resteasy.mock.MockDispatcherFactory;
import org.jboss.resteasy.mock.MockHttpRequest;
import org.jboss.resteasy.mock.MockHttpResponse;
import org.jboss.resteasy.spi.Dispatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import wales.exchange.delivery.http.AcceptHeaderFilter;
import wales.exchange.delivery.http.CorsFilter;
import wales.exchange.delivery.http.ExchangeApi;
import wales.exchange.delivery.http.ProblemMapper;
import wales.exchange.delivery.http.Problems;
import wales.exchange.delivery.http.RateLimitFilter;
import wales.exchange.delivery.http.RateLimiter;
import wales.exchange.i18n.Messages;
import wales.exchange.settings.ExchangeSettings;

/**
 * Issue 13, defect 4: inside Magnolia the module's providers are registered for all of {@code /.rest/*}, beside other
 * modules' endpoints. Here one RESTEasy dispatcher (the JAX-RS runtime Magnolia's REST runs) holds, as Magnolia's would,
 * the module's provider classes, an endpoint of the module ({@link ExchangeApi}) and another module's endpoint: problem
 * mapping, CORS and the rate limit act on the module's routes, and leave the other endpoint as it would be without them.
 */
class ScopedProvidersTest {
    private Dispatcher dispatcher;

    @Path("/exchange/v1/probe")
    @ExchangeApi
    public static class Ours {
        @GET
        @Produces("application/json")
        public String get() {
            return "{}";
        }
    }

    @Path("/other-module/things")
    public static class Theirs {
        @GET
        @Produces("application/json")
        public String get() {
            return "[]";
        }
    }

    @BeforeEach
    void deploy() {
        dispatcher = MockDispatcherFactory.createDispatcher();
        Problems problems = new Problems(new Messages(), new ObjectMapper());
        dispatcher.getProviderFactory().register(new ProblemMapper(problems));
        dispatcher.getProviderFactory().register(new CorsFilter(Set.of("https://www.example.org")));
        dispatcher.getProviderFactory().register(new RateLimitFilter(new RateLimiter(1, 2), problems, ExchangeSettings.builder().build()));
        dispatcher.getProviderFactory().register(new AcceptHeaderFilter());
        // the servlet request Magnolia's REST servlet provides: a client address
        dispatcher.getDefaultContextObjects().put(jakarta.servlet.http.HttpServletRequest.class,
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {jakarta.servlet.http.HttpServletRequest.class},
                        (proxy, method, args) -> method.getName().equals("getRemoteAddr") ? "192.0.2.1" : null));
        dispatcher.getRegistry().addSingletonResource(new Ours());
        dispatcher.getRegistry().addSingletonResource(new Theirs());
    }

    private MockHttpResponse call(MockHttpRequest request) {
        MockHttpResponse response = new MockHttpResponse();
        dispatcher.invoke(request, response);
        return response;
    }

    private static String type(MockHttpResponse r) {
        Object t = r.getOutputHeaders().getFirst("Content-Type");
        return t == null ? "" : t.toString();
    }

    @Test
    void unknownRoutesAndWrongMethodsAreProblemsOnTheModulesRoutesOnly() throws Exception {
        MockHttpResponse ours = call(MockHttpRequest.get("/exchange/v1/nowhere").header("Accept-Language", "cy"));
        assertThat(ours.getStatus()).isEqualTo(404);
        assertThat(type(ours)).startsWith("application/problem+json");
        assertThat(ours.getContentAsString()).contains("noRoute");
        MockHttpResponse theirs = call(MockHttpRequest.get("/other-module/nowhere"));
        assertThat(theirs.getStatus()).isEqualTo(404);
        assertThat(type(theirs)).doesNotContain("problem+json");

        MockHttpResponse ours405 = call(MockHttpRequest.delete("/exchange/v1/probe"));
        assertThat(ours405.getStatus()).isEqualTo(405);
        assertThat(type(ours405)).startsWith("application/problem+json");
        assertThat(ours405.getOutputHeaders().getFirst("Allow")).hasToString("GET, HEAD, OPTIONS");
        MockHttpResponse theirs405 = call(MockHttpRequest.delete("/other-module/things"));
        assertThat(theirs405.getStatus()).isEqualTo(405);
        assertThat(type(theirs405)).doesNotContain("problem+json");

        MockHttpResponse ours406 = call(MockHttpRequest.get("/exchange/v1/probe").accept("image/png"));
        assertThat(ours406.getStatus()).isEqualTo(406);
        assertThat(type(ours406)).startsWith("application/problem+json");
        MockHttpResponse theirs406 = call(MockHttpRequest.get("/other-module/things").accept("image/png"));
        assertThat(theirs406.getStatus()).isEqualTo(406);
        assertThat(type(theirs406)).doesNotContain("problem+json");
    }

    @Test
    void onlyTheModulesEndpointsAreRateLimited() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(call(MockHttpRequest.get("/other-module/things")).getStatus()).as("other module, request " + i).isEqualTo(200);
        }
        int limited = 0;
        for (int i = 0; i < 5; i++) {
            MockHttpResponse r = call(MockHttpRequest.get("/exchange/v1/probe"));
            if (r.getStatus() == 429) {
                limited++;
                assertThat(type(r)).startsWith("application/problem+json");
                assertThat(r.getOutputHeaders().getFirst("Retry-After")).isNotNull();
            }
        }
        assertThat(limited).as("a burst of 2 at 1 per second: five quick requests are limited").isGreaterThanOrEqualTo(2);
    }

    @Test
    void corsHeadersAndPreflightOnTheModulesRoutesOnly() throws Exception {
        MockHttpResponse ours = call(MockHttpRequest.get("/exchange/v1/probe").header("Origin", "https://www.example.org"));
        assertThat(ours.getOutputHeaders().getFirst("Access-Control-Allow-Origin")).hasToString("https://www.example.org");
        MockHttpResponse theirs = call(MockHttpRequest.get("/other-module/things").header("Origin", "https://www.example.org"));
        assertThat(theirs.getOutputHeaders().getFirst("Access-Control-Allow-Origin")).isNull();
        assertThat(theirs.getOutputHeaders().getFirst("Vary")).isNull();

        MockHttpResponse preflight = call(MockHttpRequest.options("/exchange/v1/probe").header("Origin", "https://www.example.org")
                .header("Access-Control-Request-Method", "GET"));
        assertThat(preflight.getStatus()).isEqualTo(204);
        assertThat(preflight.getOutputHeaders().getFirst("Access-Control-Allow-Methods")).hasToString("GET, HEAD, OPTIONS");
        MockHttpResponse theirPreflight = call(MockHttpRequest.options("/other-module/things").header("Origin", "https://www.example.org")
                .header("Access-Control-Request-Method", "GET"));
        assertThat(theirPreflight.getOutputHeaders().getFirst("Access-Control-Allow-Origin")).isNull();
    }
}
