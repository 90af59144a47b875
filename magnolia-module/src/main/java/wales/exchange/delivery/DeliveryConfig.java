package wales.exchange.delivery;

import java.util.List;
import java.util.Set;
import wales.exchange.model.ContentType;

/**
 * Settings of the delivery API.
 *
 * @param basePath     URL path of the API, e.g. {@code /.rest/exchange/v1}
 * @param publicTypes  content types delivered (contributions and comments never are)
 * @param corsOrigins  origins allowed to read the API from a browser ({@code *} for any)
 * @param maxAgeSeconds Cache-Control max-age for public responses
 */
public record DeliveryConfig(String basePath, List<String> publicTypes, Set<String> corsOrigins, int maxAgeSeconds) {
    public static final String BASE_PATH = "/.rest/exchange/v1";
    public static final List<String> PUBLIC_TYPES = List.of("resource", "event", "caseStudy");

    public static DeliveryConfig defaults() {
        return new DeliveryConfig(BASE_PATH, PUBLIC_TYPES, Set.of(), 60);
    }

    public DeliveryConfig withCorsOrigins(Set<String> origins) {
        return new DeliveryConfig(basePath, publicTypes, Set.copyOf(origins), maxAgeSeconds);
    }

    /** The URL segment of a type: the last part of its root path ({@code /case-studies} → {@code case-studies}). */
    public String segment(ContentType type) {
        return type.rootPath().substring(type.rootPath().lastIndexOf('/') + 1);
    }
}
