package wales.exchange.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
import wales.exchange.intake.FormDrafts;
import wales.exchange.intake.IntakeConfig;
import wales.exchange.intake.IntakeService;
import wales.exchange.intake.IntakeTokens;
import wales.exchange.intake.IntakeTypes;

/**
 * The web pages (docs/pages.md) at {@code /} (English) and {@code /cy/} (Welsh), from the module's web resources
 * ({@code exchange/webresources/}, the light module's {@code webresources/} folder packed in the module jar):
 * {@code assets/} as they are, {@code pages/*.html} filled in per language from the message bundles (keys
 * {@code exchange.page.*}) inside {@code pages/_shell.html}. Everything is read once at start into a map, so a request
 * can only ever name one of those files: no file system path is built from a request, and there is no listing.
 * Pages read content only through the public delivery, intake and moderation APIs, from the browser.
 */
@Singleton
final class PageHandler implements HttpHandler {
    static final String ROOT = "exchange/webresources/";
    static final String ASSETS = "/assets/";
    static final String WELSH = "/cy";
    /** Pages by path (after the language prefix), each with its template. */
    static final Map<String, String> ROUTES = Map.of("/", "home", "/contribute", "contribute", "/submitted", "submitted",
            "/status", "status", "/events", "events", "/library", "library", "/moderation", "moderation");
    /** The title key of each page ({@code exchange.page.<key>}). */
    private static final Map<String, String> TITLES = Map.of("home", "home.title", "contribute", "contribute.title",
            "submitted", "submitted.title", "status", "status.title", "events", "events.title", "library", "library.title",
            "item", "item.title", "not-found", "notFound.title", "moderation", "mod.title");
    /** Fields of the contribution form that an error can name, each with the control its summary link moves to. */
    static final Map<String, String> FORM_FIELDS = orderedFields();
    static final String ITEM_PREFIX = "/library/";
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern STATUS_TOKEN = Pattern.compile("s1\\.[0-9a-fA-F-]{1,64}\\.[A-Za-z0-9_=-]{1,128}");
    private static final Pattern REFERENCE = Pattern.compile("EX-[A-Z0-9]{4,20}");
    private static final Pattern PROBLEM = Pattern.compile("duplicate|tooManyRequests|payloadTooLarge|other");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-zA-Z]+)(?::([^}]+))?\\}\\}");
    static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    static final String ASSET_CACHE = "public, max-age=3600";
    private static final HttpString CSP_HEADER = new HttpString("Content-Security-Policy");
    private static final Map<String, String> TYPES = Map.of("css", "text/css;charset=utf-8", "js", "text/javascript;charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon", "json", "application/json;charset=utf-8",
            "txt", "text/plain;charset=utf-8", "woff2", "font/woff2");

    /** A file as served: its bytes, gzipped bytes (null when not worth it), type and strong ETag. */
    record Asset(byte[] bytes, byte[] gzip, String type, String etag) {
        static Asset of(byte[] bytes, String type) {
            boolean text = type.startsWith("text/") || type.contains("json") || type.contains("svg") || type.contains("javascript");
            byte[] gz = text && bytes.length > 256 ? PageHandler.gzip(bytes) : null;
            return new Asset(bytes, gz != null && gz.length < bytes.length ? gz : null, type, PageHandler.etag(bytes));
        }
    }

    private final Map<String, Asset> assets;
    private final Map<String, String> templates;
    private final Messages messages;
    private final IntakeTokens tokens;
    private final FormDrafts drafts;
    /** The largest attachment, as the form's hint and errors say it ("10 MB", "64 KB"). */
    private final String attachmentLimit;
    private final String api;
    private final Map<Lang, String> strings = new java.util.EnumMap<>(Lang.class);

    @Inject
    PageHandler(Messages messages, IntakeTokens tokens, DeliveryConfig delivery, FormDrafts drafts, IntakeConfig intake) {
        this(WebResources.load(PageHandler.class.getClassLoader(), ROOT), messages, tokens, delivery.basePath(), drafts,
                intake.maxAttachmentBytes());
    }

    PageHandler(Map<String, byte[]> files, Messages messages, IntakeTokens tokens, String api, FormDrafts drafts, long maxAttachmentBytes) {
        this.messages = messages;
        this.tokens = tokens;
        this.drafts = drafts;
        this.attachmentLimit = size(maxAttachmentBytes);
        this.api = api;
        Map<String, Asset> a = new TreeMap<>();
        Map<String, String> t = new TreeMap<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String name = f.getKey();
            if (name.startsWith("pages/") && name.endsWith(".html")) {
                t.put(name.substring("pages/".length(), name.length() - ".html".length()), new String(f.getValue(), StandardCharsets.UTF_8));
            } else if (name.startsWith("assets/")) {
                String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                a.put("/" + name, Asset.of(f.getValue(), TYPES.getOrDefault(ext, "application/octet-stream")));
            }
        }
        if (!t.containsKey("_shell") || !t.containsKey("not-found")) {
            throw new IllegalStateException("web resources incomplete: no " + ROOT + "pages/_shell.html or not-found.html");
        }
        this.assets = Map.copyOf(a);
        this.templates = Map.copyOf(t);
        ObjectMapper json = new ObjectMapper();
        for (Lang l : Lang.values()) {
            Map<String, String> s = new TreeMap<>();
            for (String k : messages.keys()) {
                if (k.startsWith("exchange.page.js.")) {
                    s.put(k.substring("exchange.page.js.".length()), messages.get(l, k));
                } else if (k.startsWith("exchange.option.") || k.startsWith("exchange.field.") || k.startsWith("exchange.delivery.fallback")) {
                    s.put(k.substring("exchange.".length()), messages.get(l, k));
                }
            }
            try {
                // inside <script type="application/json">: no "<" may end the element early
                strings.put(l, json.writeValueAsString(s).replace("<", "\\u003c"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        // every page renders (an unknown message key fails the start, not a reader's request)
        for (String page : templates.keySet()) {
            if (!page.startsWith("_")) {
                for (Lang l : Lang.values()) {
                    render(page, l, "/", "", Map.of(), Set.of());
                }
            }
        }
    }

    /** Paths of the assets served, e.g. {@code /assets/site.css}. */
    Set<String> assetPaths() {
        return assets.keySet();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String raw = exchange.getRequestPath(); // raw: not decoded
        String method = exchange.getRequestMethod().toString();
        Lang lang = raw.equals(WELSH) || raw.startsWith(WELSH + "/") ? Lang.CY : Lang.EN;
        if (method.equals("OPTIONS")) {
            exchange.setStatusCode(204);
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD, OPTIONS");
            exchange.endExchange();
            return;
        }
        if (!safe(raw)) { // encoded characters, dot segments, empty segments: no page or file has them
            page(exchange, 404, "not-found", lang, raw, Map.of(), Set.of(), true);
            return;
        }
        if (raw.startsWith(ASSETS)) {
            Asset a = assets.get(raw);
            if (a == null) {
                page(exchange, 404, "not-found", lang, raw, Map.of(), Set.of(), true);
            } else {
                send(exchange, 200, a, ASSET_CACHE, false);
            }
            return;
        }
        if (raw.equals(WELSH)) {
            exchange.setStatusCode(301);
            exchange.getResponseHeaders().put(Headers.LOCATION, WELSH + "/");
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
            exchange.endExchange();
            return;
        }
        String path = lang == Lang.CY ? raw.substring(WELSH.length()) : raw;
        Map<String, String> query = query(exchange.getQueryString());
        String page = ROUTES.get(path);
        Map<String, String> vars = new LinkedHashMap<>();
        Set<String> errors = Set.of();
        if (page == null && path.startsWith(ITEM_PREFIX) && UUID.matcher(path.substring(ITEM_PREFIX.length())).matches()) {
            page = "item";
            vars.put("id", path.substring(ITEM_PREFIX.length()));
        }
        if (page == null) {
            page(exchange, 404, "not-found", lang, path, Map.of(), Set.of(), true);
            return;
        }
        boolean noStore = false;
        switch (page) {
            case "contribute" -> {
                errors = errorFields(query.get("errors"));
                Instant formIssued = null;
                if (method.equals("GET") && query.containsKey("form")) {
                    // what was typed before the errors: once (a single-use key), from memory, never from the address
                    FormDrafts.Draft d = drafts.take(query.get("form")).orElse(null);
                    if (d != null) {
                        d.values().forEach((field, values) -> {
                            if (!values.isEmpty()) {
                                vars.put(FORM_VALUE + field, values.get(0));
                            }
                        });
                        d.errors().forEach((field, code) -> vars.put(ERROR_CODE + field, code));
                        formIssued = d.formIssued();
                    }
                }
                // a form that comes back after a person's post: its fill time counts from when they first opened it
                vars.put("formToken", formIssued != null ? tokens.form(formIssued) : tokens.form());
                String problem = query.getOrDefault("problem", "");
                if (PROBLEM.matcher(problem).matches()) {
                    vars.put("problem", problem);
                }
                noStore = true; // a fresh form token in every copy
            }
            case "submitted", "status" -> {
                String token = query.getOrDefault("token", "");
                vars.put("token", STATUS_TOKEN.matcher(token).matches() ? token : "");
                String ref = query.getOrDefault("ref", "");
                vars.put("ref", REFERENCE.matcher(ref).matches() ? ref : "");
                noStore = true; // the contributor's key
            }
            case "library" -> vars.put("q", query.getOrDefault("q", ""));
            case "moderation" -> noStore = true; // a staff page: never kept by a shared cache
            default -> { }
        }
        page(exchange, 200, page, lang, path, vars, errors, noStore);
    }

    private void page(HttpServerExchange exchange, int status, String page, Lang lang, String path, Map<String, String> vars,
                      Set<String> errors, boolean noStore) {
        String rawQuery = exchange.getQueryString();
        String html = render(page, lang, path, rawQuery == null ? "" : rawQuery, vars, errors);
        Asset a = Asset.of(html.getBytes(StandardCharsets.UTF_8), "text/html;charset=utf-8");
        exchange.getResponseHeaders().put(CSP_HEADER, CSP);
        exchange.getResponseHeaders().put(Headers.CONTENT_LANGUAGE, lang.tag());
        send(exchange, status, a, noStore ? "no-store" : "no-cache", noStore);
    }

    /** Answers with the asset: 304 for a matching If-None-Match, gzip when the client takes it, no body for HEAD. */
    private static void send(HttpServerExchange exchange, int status, Asset a, String cacheControl, boolean noStore) {
        var out = exchange.getResponseHeaders();
        out.put(Headers.CACHE_CONTROL, cacheControl);
        out.put(Headers.VARY, "Accept-Encoding");
        if (!noStore) {
            out.put(Headers.ETAG, a.etag());
            String inm = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
            if (status == 200 && inm != null && matches(inm, a.etag())) {
                exchange.setStatusCode(304);
                exchange.endExchange();
                return;
            }
        }
        exchange.setStatusCode(status);
        out.put(Headers.CONTENT_TYPE, a.type());
        String ae = exchange.getRequestHeaders().getFirst(Headers.ACCEPT_ENCODING);
        byte[] body = a.bytes();
        if (a.gzip() != null && ae != null && acceptsGzip(ae)) {
            body = a.gzip();
            out.put(Headers.CONTENT_ENCODING, "gzip");
        }
        out.put(Headers.CONTENT_LENGTH, body.length);
        if (exchange.getRequestMethod().toString().equals("HEAD")) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        }
    }

    static boolean acceptsGzip(String acceptEncoding) {
        for (String part : acceptEncoding.split(",")) {
            String[] bits = part.strip().split(";");
            if (bits[0].strip().equalsIgnoreCase("gzip")) {
                return bits.length == 1 || !bits[1].strip().replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String t : ifNoneMatch.split(",")) {
            String s = t.strip();
            if (s.equals("*") || s.equals(etag) || s.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a raw path can name a page or asset: only letters, digits and {@code - _ . /}, no percent-encoding, no
     * backslash, no empty, {@code .} or {@code ..} segment. Anything else is a 404 page, whatever it decodes to.
     */
    static boolean safe(String raw) {
        if (raw == null || !raw.startsWith("/") || raw.length() > 300) {
            return false;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '/')) {
                return false;
            }
        }
        String[] segments = raw.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".") || s.equals("..") || s.startsWith(".") || (s.isEmpty() && !last)) {
                return false;
            }
        }
        return true;
    }

    /** The query's parameters, decoded (the edge checked the encoding); the first of each name. */
    static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                q.putIfAbsent(k, v.length() > 500 ? v.substring(0, 500) : v);
            } catch (IllegalArgumentException e) {
                // a malformed pair is ignored
            }
        }
        return q;
    }

    private static Set<String> errorFields(String errors) {
        if (errors == null || errors.isBlank()) {
            return Set.of();
        }
        Set<String> fields = new java.util.LinkedHashSet<>();
        for (String f : errors.split(",")) {
            String field = f.strip();
            fields.add(FORM_FIELDS.containsKey(field) ? field : "form");
        }
        return fields;
    }

    /** The page in {@code lang}: the page's template inside the shell, every placeholder filled in. */
    String render(String page, Lang lang, String path, String rawQuery, Map<String, String> vars, Set<String> errors) {
        String template = templates.get(page);
        Map<String, String> shell = new LinkedHashMap<>();
        shell.put("lang", lang.tag());
        shell.put("otherLang", lang.other().tag());
        shell.put("prefix", lang == Lang.CY ? WELSH : "");
        shell.put("api", api);
        shell.put("page", page);
        // the same page in the other language, query and all but a form's single-use key (FormDrafts): taken by this
        // page, it would only name nothing
        String switchQuery = java.util.Arrays.stream(rawQuery.split("&"))
                .filter(p -> !p.isEmpty() && !p.equals("form") && !p.startsWith("form="))
                .collect(java.util.stream.Collectors.joining("&"));
        String other = (lang == Lang.CY ? "" : WELSH) + (lang == Lang.CY && path.equals("/") ? "/" : path)
                + (switchQuery.isEmpty() ? "" : "?" + switchQuery);
        shell.put("switchHref", escape(other.isEmpty() ? "/" : other));
        shell.put("title", escape(messages.get(lang, "exchange.page." + TITLES.getOrDefault(page, "site"))));
        shell.put("strings", strings.get(lang));
        String content = fill(template, lang, page, shell, vars, errors);
        shell.put("content", content);
        return fill(templates.get("_shell"), lang, page, shell, vars, errors);
    }

    private String fill(String template, Lang lang, String page, Map<String, String> shell, Map<String, String> vars, Set<String> errors) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder b = new StringBuilder(template.length() + 1024);
        while (m.find()) {
            String kind = m.group(1);
            String arg = m.group(2);
            String value = switch (kind) {
                case "t" -> escape(messages.get(lang, "exchange.page." + arg));
                case "o" -> escape(messages.get(lang, "exchange.option." + arg));
                case "f" -> escape(messages.get(lang, "exchange.field." + arg));
                case "v" -> escape(vars.getOrDefault(arg, ""));
                case "current" -> arg.equals(page) ? " aria-current=\"page\"" : "";
                case "checked" -> arg.equals(lang.tag()) ? " checked" : "";
                case "value" -> vars.containsKey(FORM_VALUE + arg) ? " value=\"" + escape(vars.get(FORM_VALUE + arg)) + "\"" : "";
                case "text" -> {
                    String v = vars.getOrDefault(FORM_VALUE + arg, "");
                    yield (v.startsWith("\n") || v.startsWith("\r") ? "\n" : "") + escape(v); // a textarea drops a first newline
                }
                case "choice", "selected" -> {
                    int eq = arg.indexOf('=');
                    String field = arg.substring(0, eq);
                    String v = vars.get(FORM_VALUE + field);
                    if (v == null && field.equals(IntakeTypes.PREFERRED_LANGUAGE)) {
                        v = lang.tag(); // the page's language, until the reader chose
                    }
                    yield arg.substring(eq + 1).equals(v) ? (kind.equals("choice") ? " checked" : " selected") : "";
                }
                case "limit" -> escape(messages.get(lang, "exchange.page." + arg, attachmentLimit));
                case "field" -> describedBy(template, arg, errors) + (errors.contains(arg) ? " aria-invalid=\"true\"" : "");
                case "group" -> describedBy(template, arg, errors);
                case "error" -> errors.contains(arg) ? "<p class=\"error\" id=\"" + arg + "-error\">"
                        + escape(errorText(lang, arg, vars)) + "</p>" : "";
                case "errorSummary" -> errorSummary(lang, errors, vars);
                default -> {
                    String v = shell.get(kind);
                    if (v == null) {
                        throw new IllegalStateException("unknown placeholder {{" + kind + "}} in page " + page);
                    }
                    yield v;
                }
            };
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String describedBy(String template, String field, Set<String> errors) {
        StringBuilder ids = new StringBuilder();
        if (template.contains("id=\"" + field + "-hint\"")) {
            ids.append(field).append("-hint");
        }
        if (errors.contains(field)) {
            ids.append(ids.length() > 0 ? " " : "").append(field).append("-error");
        }
        return ids.length() == 0 ? "" : " aria-describedby=\"" + ids + "\"";
    }

    /** The error summary above the form: a heading and a link to each field in error (or the problem), else nothing. */
    private String errorSummary(Lang lang, Set<String> errors, Map<String, String> vars) {
        String problem = vars.get("problem");
        if (errors.isEmpty() && problem == null) {
            return "";
        }
        StringBuilder b = new StringBuilder("<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" tabindex=\"-1\" aria-labelledby=\"error-summary-title\">\n");
        b.append("<h2 id=\"error-summary-title\">").append(escape(messages.get(lang, "exchange.page.contribute.errors"))).append("</h2>\n");
        if (problem != null) {
            b.append("<p>").append(escape(messages.get(lang, "exchange.page.contribute.problem." + problem))).append("</p>\n");
        }
        if (!errors.isEmpty()) {
            b.append("<p>").append(escape(messages.get(lang, "exchange.page.contribute.errors.intro"))).append("</p>\n<ul>\n");
            for (String f : errors) {
                b.append("<li><a href=\"#").append(FORM_FIELDS.getOrDefault(f, "title")).append("\">")
                        .append(escape(errorText(lang, f, vars))).append("</a></li>\n");
            }
            b.append("</ul>\n");
        }
        return b.append("</div>").toString();
    }

    /** Page variables of a form that came back: a field's value, a field's error code (FormDrafts). */
    private static final String FORM_VALUE = "form.";
    private static final String ERROR_CODE = "error.";

    /**
     * A field's message on the form: {@code exchange.page.contribute.error.<field>}; for the attachment, by the
     * API's code when the form came back with it (too large, wrong type), with the size limit.
     */
    private String errorText(Lang lang, String field, Map<String, String> vars) {
        if (!field.equals(IntakeTypes.ATTACHMENT)) {
            return messages.get(lang, "exchange.page.contribute.error." + field);
        }
        String code = vars.getOrDefault(ERROR_CODE + field, "");
        String key = "exchange.page.contribute.error." + (code.equals(IntakeService.ATTACHMENT_SIZE) || code.equals(IntakeService.ATTACHMENT_TYPE)
                ? code : field);
        return messages.get(lang, key, attachmentLimit);
    }

    /** A size in bytes as a reader reads it: whole MB when it is, else KB. */
    static String size(long bytes) {
        long mib = 1024L * 1024;
        return bytes % mib == 0 ? bytes / mib + " MB" : (bytes + 1023) / 1024 + " KB";
    }

    private static Map<String, String> orderedFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("category", "category-academic-literature");
        for (String f : List.of("title", "description", "links", "contributorName", "contributorEmail", "contributorRole", "organisation")) {
            m.put(f, f);
        }
        m.put("preferredLanguage", "preferredLanguage-cy");
        m.put("consentToPublish", "consentToPublish");
        m.put(IntakeTypes.ATTACHMENT, IntakeTypes.ATTACHMENT);
        m.put("form", "title");
        return java.util.Collections.unmodifiableMap(m);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String etag(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
