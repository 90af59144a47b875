package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import wales.exchange.delivery.http.AcceptHeaderFilter;
import wales.exchange.delivery.http.CorsFilter;
import wales.exchange.delivery.http.ExchangeApi;
import wales.exchange.delivery.http.ProblemMapper;
import wales.exchange.delivery.http.RateLimitFilter;

/**
 * Issue 13, defect 4: what the light module registers with Magnolia's REST resolves: every {@code implementationClass}
 * is a JAX-RS resource of the module with an {@code @Inject} constructor, and every {@code additionalProviders} entry
 * is a provider Magnolia can build (public, no-argument constructor) that is the standalone server's class with the
 * same scope (name-bound to {@link ExchangeApi}, or pre-matching with its path check).
 */
class RestRegistrationTest {
    private static final java.nio.file.Path MODULE = java.nio.file.Path.of("../light-modules/exchange");

    @Test
    @SuppressWarnings("unchecked")
    void everyAdditionalProviderIsTheServersClassBuiltWithoutArguments() throws Exception {
        Map<String, Object> config = new Yaml().load(Files.readString(MODULE.resolve("decorations/rest-integration/config.yaml")));
        Map<String, Map<String, String>> providers = (Map<String, Map<String, String>>) config.get("additionalProviders");
        assertThat(config).containsOnlyKeys("additionalProviders");
        Map<Class<?>, Class<?>> shared = new java.util.HashMap<>();
        for (Map<String, String> p : providers.values()) {
            assertThat(p).containsOnlyKeys("providerClass");
            Class<?> c = Class.forName(p.get("providerClass"));
            assertThat(Modifier.isPublic(c.getModifiers()) && !Modifier.isAbstract(c.getModifiers())).as(c.getName()).isTrue();
            assertThat(Modifier.isPublic(c.getConstructor().getModifiers())).as(c + " no-argument constructor").isTrue();
            assertThat(ExceptionMapper.class.isAssignableFrom(c) || ContainerRequestFilter.class.isAssignableFrom(c)).as(c.getName()).isTrue();
            shared.put(c.getSuperclass(), c);
        }
        assertThat(shared).containsOnlyKeys(ProblemMapper.class, CorsFilter.class, RateLimitFilter.class, AcceptHeaderFilter.class);
        assertThat(shared.get(RateLimitFilter.class).isAnnotationPresent(ExchangeApi.class)).isTrue();
        assertThat(shared.get(RateLimitFilter.class).isAnnotationPresent(PreMatching.class)).as("never all of /.rest/*").isFalse();
        assertThat(shared.get(CorsFilter.class).isAnnotationPresent(PreMatching.class)).isTrue();
        assertThat(shared.get(AcceptHeaderFilter.class).isAnnotationPresent(PreMatching.class)).isTrue();
    }

    @Test
    void everyRestEndpointNamesAnExistingResourceOfTheModule() throws Exception {
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> s = Files.walk(MODULE.resolve("restEndpoints"))) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        for (java.nio.file.Path f : files) {
            Map<String, Object> def = new Yaml().load(Files.readString(f));
            assertThat(def.get("class")).as(f.toString()).isEqualTo("info.magnolia.rest.registry.ConfiguredEndpointDefinition");
            Class<?> c = Class.forName((String) def.get("implementationClass"));
            assertThat(c.isAnnotationPresent(jakarta.ws.rs.Path.class)).as(c.getName()).isTrue();
            assertThat(c.isAnnotationPresent(ExchangeApi.class)).as(c + " is name-bound to the module's filters").isTrue();
            assertThat(Stream.of(c.getConstructors()).anyMatch(k -> k.isAnnotationPresent(Inject.class))).as(c + " @Inject").isTrue();
        }
    }
}
