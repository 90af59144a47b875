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
 * @param pageUrlPattern the public web page of an item, with {@code {segment}}, {@code {id}}, {@code {name}} and
 *                       {@code {lang}} filled in (e.g. {@code https://www.exchangewales.org/{segment}/{name}}), for
 *                       JSON-LD {@code url} and iCalendar {@code URL}; null: the item's API address
 */
public record DeliveryConfig(String basePath, List<String> publicTypes, Set<String> corsOrigins, int maxAgeSeconds,
                             String pageUrlPattern) {
    public static final String BASE_PATH = "/.rest/exchange/v1";
    public static final List<String> PUBLIC_TYPES = List.of("resource", "event", "caseStudy");

    public static DeliveryConfig defaults() {
        return new DeliveryConfig(BASE_PATH, PUBLIC_TYPES, Set.of(), 60, null);
    }

    public DeliveryConfig withCorsOrigins(Set<String> origins) {
        return new DeliveryConfig(basePath, publicTypes, Set.copyOf(origins), maxAgeSeconds, pageUrlPattern);
    }

    public DeliveryConfig withPageUrlPattern(String pattern) {
        if (pattern != null && !pattern.matches("https?://[^\\s]+")) {
            throw new IllegalArgumentException("the page URL pattern must be an http(s) URL, e.g. https://www.exchangewales.org/{segment}/{name}");
        }
        return new DeliveryConfig(basePath, publicTypes, corsOrigins, maxAgeSeconds, pattern);
    }

    /** The item's public page from {@link #pageUrlPattern()}, or null when there is no pattern. */
    public String pageUrl(ContentType type, String id, String name, wales.exchange.i18n.Lang lang) {
        if (pageUrlPattern == null) {
            return null;
        }
        return pageUrlPattern.replace("{segment}", segment(type)).replace("{id}", id).replace("{name}", name)
                .replace("{lang}", lang.tag());
    }

    /** The URL segment of a type: the last part of its root path ({@code /case-studies} → {@code case-studies}). */
    public String segment(ContentType type) {
        return type.rootPath().substring(type.rootPath().lastIndexOf('/') + 1);
    }
}
