package wales.exchange.delivery.http;

import java.util.List;
import java.util.Map;

/**
 * The module's routes as JAX-RS sees them in both hosts: paths relative to the REST application's root
 * ({@code UriInfo.getPath()}: {@code /exchange/v1/...}, without Magnolia's context path or {@code /.rest}).
 */
public final class ApiRoutes {
    /** Root of every route of the module, relative to the REST root. */
    public static final String ROOT = "/exchange/v1";
    /** The read methods every route takes, as {@code Allow} lists them. */
    public static final String ALLOW = "GET, HEAD, OPTIONS";
    /** Routes that take writes besides the read methods (the public intake): path prefix → the methods it adds. */
    public static final Map<String, List<String>> WRITE_ROUTES = Map.of(
            ROOT + "/contributions", List.of("POST"),
            ROOT + "/comments", List.of("POST"),
            ROOT + "/submissions/", List.of("DELETE"));
    /** The moderation API, which takes writes of its own and authenticates every request. */
    public static final String MODERATION = ROOT + "/moderation/";

    private ApiRoutes() {
    }

    /** Whether a path relative to the REST root is one of the module's (and not another module's under /.rest). */
    public static boolean isOurs(String path) {
        String p = path == null ? "" : (path.startsWith("/") ? path : "/" + path);
        return p.equals(ROOT) || p.startsWith(ROOT + "/");
    }

    /** Whether {@code method} is a write the route under {@code path} takes. */
    public static boolean writeAllowed(String method, String path) {
        for (Map.Entry<String, List<String>> e : WRITE_ROUTES.entrySet()) {
            String prefix = e.getKey();
            boolean under = path.startsWith(prefix) && (prefix.endsWith("/") || path.length() == prefix.length()
                    || path.charAt(prefix.length()) == '/');
            if (under && e.getValue().contains(method)) {
                return true;
            }
        }
        return false;
    }

    /** The methods the route under {@code path} takes, as {@code Allow} lists them. */
    public static String allowFor(String path) {
        StringBuilder b = new StringBuilder(ALLOW);
        for (String m : List.of("POST", "DELETE")) {
            if (writeAllowed(m, path)) {
                b.append(", ").append(m);
            }
        }
        return b.toString();
    }
}
