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
 * @param publicUrl    the one trusted base of absolute URLs the API writes (e.g. {@code https://api.exchangewales.org});
 *                     null: the request's {@code Host}, if it is one of {@code allowedHosts}
 * @param allowedHosts host names (any port) whose {@code Host} header may form absolute URLs when there is no
 *                     {@code publicUrl}; never the request line, which a client controls
 */
public record DeliveryConfig(String basePath, List<String> publicTypes, Set<String> corsOrigins, int maxAgeSeconds,
                             String pageUrlPattern, String publicUrl, Set<String> allowedHosts) {
    public static final String BASE_PATH = "/.rest/exchange/v1";
    public static final List<String> PUBLIC_TYPES = List.of("resource", "event", "caseStudy");

    /** Hosts trusted by default when no public URL is set: this machine only. */
    public static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
            "((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\\[[0-9a-f:.]{2,45}\\])(?::[0-9]{1,5})?");

    public DeliveryConfig {
        publicTypes = List.copyOf(publicTypes);
        corsOrigins = Set.copyOf(corsOrigins);
        allowedHosts = Set.copyOf(allowedHosts);
        if (publicUrl != null) {
            publicUrl = validPublicUrl(publicUrl);
        }
    }

    public static DeliveryConfig defaults() {
        return new DeliveryConfig(BASE_PATH, PUBLIC_TYPES, Set.of(), 60, null, null, LOCAL_HOSTS);
    }

    public DeliveryConfig withCorsOrigins(Set<String> origins) {
        return new DeliveryConfig(basePath, publicTypes, Set.copyOf(origins), maxAgeSeconds, pageUrlPattern, publicUrl, allowedHosts);
    }

    public DeliveryConfig withPublicUrl(String url) {
        return new DeliveryConfig(basePath, publicTypes, corsOrigins, maxAgeSeconds, pageUrlPattern, url, allowedHosts);
    }

    /** Host names (lower case, IPv6 in brackets) allowed as the base of absolute URLs when no public URL is set. */
    public DeliveryConfig withAllowedHosts(Set<String> hosts) {
        Set<String> lower = new java.util.LinkedHashSet<>();
        for (String h : hosts) {
            lower.add(h.strip().toLowerCase(java.util.Locale.ROOT));
        }
        return new DeliveryConfig(basePath, publicTypes, corsOrigins, maxAgeSeconds, pageUrlPattern, publicUrl, lower);
    }

    /** An http(s) URL without path, query or trailing slash, e.g. {@code https://api.exchangewales.org}. */
    public static String validPublicUrl(String url) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        java.net.URI parsed;
        try {
            parsed = new java.net.URI(u);
        } catch (java.net.URISyntaxException e) {
            parsed = null;
        }
        if (parsed == null || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))
                || parsed.getRawAuthority() == null || parsed.getHost() == null
                || !(parsed.getRawPath() == null || parsed.getRawPath().isEmpty())
                || parsed.getRawQuery() != null || parsed.getRawFragment() != null || parsed.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the public URL must be http(s)://host[:port] with no path, e.g. https://api.exchangewales.org");
        }
        return u;
    }

    /**
     * The trusted base of absolute URLs for a request with this {@code Host} header: the public URL when set, else
     * {@code http://} + the Host when its name is allowed; null when it is not (the request is misdirected).
     */
    public String base(String hostHeader) {
        if (publicUrl != null) {
            return publicUrl;
        }
        if (hostHeader == null || hostHeader.length() > 300) {
            return null;
        }
        String h = hostHeader.strip().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = HOST.matcher(h);
        if (!m.matches() || !(allowedHosts.contains(m.group(1)) || allowedHosts.contains("*"))) {
            return null;
        }
        return "http://" + h;
    }

    public DeliveryConfig withPageUrlPattern(String pattern) {
        if (pattern != null) {
            validPageUrlPattern(pattern);
        }
        return new DeliveryConfig(basePath, publicTypes, corsOrigins, maxAgeSeconds, pattern, publicUrl, allowedHosts);
    }

    /** The one check of a page URL pattern (both hosts): an http(s) URL without spaces, e.g. {@code https://x.org/{segment}/{name}}. */
    public static String validPageUrlPattern(String pattern) {
        if (!pattern.matches("https?://\\S+")) {
            throw new IllegalArgumentException("must be an http(s) URL pattern, e.g. https://www.exchangewales.org/{segment}/{name}");
        }
        return pattern;
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
