package wales.exchange.delivery.http;

import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.query.Delivery;
import wales.exchange.delivery.query.ListQuery;
import wales.exchange.delivery.query.ParamException;
import wales.exchange.delivery.render.CalendarFeed;
import wales.exchange.delivery.render.ItemWriter;
import wales.exchange.delivery.render.JsonLd;
import wales.exchange.delivery.render.Renderer;
import wales.exchange.model.Fields;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import wales.exchange.content.FieldError;
import wales.exchange.delivery.index.Entry;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;

/**
 * The public delivery API, {@code /.rest/exchange/v1}: lists and items of resources, events and case studies as typed,
 * bilingual JSON, JSON-LD and iCalendar, with strong ETags. A plain JAX-RS class: Magnolia registers it through
 * {@code restEndpoints/exchange/v1.yaml}, the standalone server through RESTEasy.
 */
@Path("/exchange/v1")
@ExchangeApi
@jakarta.inject.Singleton
public class DeliveryEndpoint {
    public static final String PREVIEW_HEADER = "X-Exchange-Preview";
    static final String JSON = "application/json;charset=utf-8";
    static final String LD_JSON = "application/ld+json";
    /**
     * An HTTP date as sent: IMF-fixdate (RFC 9110, 5.6.7), the day always in two digits, which RFC 1123's formatter
     * writes as one on the first nine days of a month ({@code Thu, 5 Mar 2026}).
     */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            java.util.Locale.US);
    /**
     * The three forms of an HTTP date a recipient must accept (RFC 9110, 5.6.7), all in GMT: IMF-fixdate (RFC 1123's
     * parser, the day in one or two digits), the obsolete RFC 850 form (two-digit year: 1970-2069) and asctime's.
     */
    private static final DateTimeFormatter[] HTTP_DATES_IN = {DateTimeFormatter.RFC_1123_DATE_TIME,
            new java.time.format.DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                    .appendValueReduced(java.time.temporal.ChronoField.YEAR, 2, 2, 1970).appendPattern(" HH:mm:ss 'GMT'")
                    .toFormatter(java.util.Locale.US).withZone(ZoneOffset.UTC),
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", java.util.Locale.US).withZone(ZoneOffset.UTC)};
    private final Delivery delivery;
    private final Renderer renderer;
    private final DeliveryConfig config;
    private final PreviewTokens previewTokens;
    private final Problems problems;
    private final ContentModel model;
    private final CalendarFeed calendar;
    private final Map<String, ContentType> bySegment = new LinkedHashMap<>();
    private final ApiPath openApi;
    private final ResponseCache responseCache;
    private final ItemWriter itemWriter;
    private final java.util.concurrent.atomic.LongAdder coldItems = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder coldLists = new java.util.concurrent.atomic.LongAdder();

    @Inject
    public DeliveryEndpoint(Delivery delivery, Renderer renderer, DeliveryConfig config, PreviewTokens previewTokens,
                            Problems problems, ContentModel model, CalendarFeed calendar, ResponseCache responseCache,
                            ItemWriter itemWriter) {
        this.responseCache = responseCache;
        this.itemWriter = itemWriter;
        this.delivery = delivery;
        this.renderer = renderer;
        this.config = config;
        this.previewTokens = previewTokens;
        this.problems = problems;
        this.model = model;
        this.calendar = calendar;
        for (String t : config.publicTypes()) {
            ContentType type = model.get(t);
            bySegment.put(config.segment(type), type);
        }
        try (InputStream in = DeliveryEndpoint.class.getResourceAsStream("openapi.json")) {
            this.openApi = new ApiPath(in == null ? null : in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read openapi.json", e);
        }
    }

    /** Names and media types of the API root's links, in order (titles: {@code exchange.api.link.<rel>}). */
    private static final List<String[]> ROOT_LINKS = List.of(new String[] {"events.ics", "text/calendar"},
            new String[] {"openapi.json", "application/json"}, new String[] {"health", "application/json"});

    /**
     * The API root, {@code /.rest/exchange/v1} (with or without the final slash): what is here, with links, in the
     * request's language.
     */
    @GET
    @Path("/")
    public Response root(@Context HttpHeaders headers, @Context UriInfo uri) {
        String api = ApiPath.of(uri.getBaseUri());
        return untyped(headers, uri, lang -> {
            List<Map<String, Object>> links = new ArrayList<>();
            for (String segment : bySegment.keySet()) {
                links.add(link(api, segment, JSON_TYPE, lang));
            }
            for (String[] l : ROOT_LINKS) {
                links.add(link(api, l[0], l[1], lang));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("title", problems.messages().get(lang, "exchange.api.title"));
            body.put("lang", lang.tag());
            body.put("links", links);
            Map<String, String> translations = new LinkedHashMap<>();
            for (Lang l : Lang.values()) {
                translations.put(l.tag(), api + "/?lang=" + l.tag());
            }
            body.put("translations", translations);
            return cached(renderer.rendered(body, 0), headers, null, lang, false, JSON);
        });
    }

    /**
     * The frame of a route with no content type that takes only {@code lang}: other or repeated parameters are a 400
     * in the request's language; else {@code answer} gets the language.
     */
    private Response untyped(HttpHeaders headers, UriInfo uri, java.util.function.Function<Lang, Response> answer) {
        Lang lenient = lenientLang(uri, headers);
        Lang lang;
        try {
            checkParams(uri, Set.of("lang"));
            lang = lang(uri, headers);
        } catch (ParamException e) {
            return problems.badParams(lenient, path(uri), e);
        }
        return answer.apply(lang);
    }

    private static final String JSON_TYPE = "application/json";

    private Map<String, Object> link(String api, String rel, String mediaType, Lang lang) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("rel", rel);
        l.put("href", api + "/" + rel);
        l.put("type", mediaType);
        l.put("title", problems.messages().get(lang, "exchange.api.link." + rel));
        return l;
    }

    @GET
    @Path("openapi.json")
    public Response openApi(@Context HttpHeaders headers, @Context UriInfo uri) {
        return untyped(headers, uri, lang -> {
            byte[] doc = openApi.openApi(ApiPath.of(uri.getBaseUri()));
            if (doc == null) {
                return problems.notFound(lang, path(uri));
            }
            Renderer.Rendered r = new Renderer.Rendered(0, doc, Renderer.etag(doc));
            return cached(r, headers, null, Lang.EN, false, JSON); // the document is in English only
        });
    }

    /**
     * Parameters of a route that takes only {@code allowed} (and {@code preview}): any other is a 400 {@code unknown},
     * any given twice a 400 {@code repeated}, all reported at once.
     */
    private static void checkParams(UriInfo uri, Set<String> allowed) {
        List<FieldError> errors = new ArrayList<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (!allowed.contains(name) && !name.equals("preview")) {
                errors.add(new FieldError(ListQuery.safe(name), "unknown", ListQuery.safe(name)));
            } else if (values.size() > 1) {
                errors.add(new FieldError(ListQuery.safe(name), "repeated", ListQuery.safe(name)));
            }
        });
        if (!errors.isEmpty()) {
            throw new ParamException(errors);
        }
    }

    @GET
    @Path("events.ics")
    public Response eventsCalendar(@Context HttpHeaders headers, @Context UriInfo uri) {
        return calendarResponse("events", null, headers, uri);
    }

    @GET
    @Path("events/{id}.ics")
    public Response eventCalendar(@PathParam("id") String id, @Context HttpHeaders headers, @Context UriInfo uri) {
        return calendarResponse("events", id, headers, uri);
    }

    @GET
    @Path("{segment}")
    public Response list(@PathParam("segment") String segment, @Context HttpHeaders headers, @Context UriInfo uri) {
        return respond(segment, headers, uri, (type, lang, preview) -> {
            if (quality(headers, LD_JSON) > 0 && quality(headers, "application/json") == 0) {
                return problems.response(406, "notAcceptable", lang, path(uri), null, null, null);
            }
            ListQuery q = ListQuery.parse(type, params(uri), Fields.isEvent(type));
            Delivery.Page page = delivery.list(type.name(), q, lang, preview);
            Renderer.Rendered r = renderer.list(page, q, lang, preview, this::resolve);
            Response response = cached(r, headers, listLastModified(type, preview), lang, preview, JSON);
            // kept only under the key of what was served: a client preferring JSON-LD gets JSON here, and that answer
            // must not be served from the key a JSON-LD-only client (406) computes. Valid while the index stays at the
            // page's generation: any change makes it stale at once
            if (!preview && headers.getHeaderString("Origin") == null
                    && quality(headers, LD_JSON) <= quality(headers, "application/json")) {
                remember(uri, headers, response, r, JSON);
            }
            return response;
        });
    }

    @GET
    @Path("{segment}/{id}")
    public Response item(@PathParam("segment") String segment, @PathParam("id") String id, @Context HttpHeaders headers,
                         @Context UriInfo uri) {
        return respond(segment, headers, uri, (type, lang, preview) -> {
            checkParams(uri, Set.of("lang", "jsonLd"));
            String jsonLdParam = uri.getQueryParameters().getFirst("jsonLd");
            if (jsonLdParam != null && !jsonLdParam.equals("true") && !jsonLdParam.equals("false")) {
                throw new ParamException(List.of(new FieldError("jsonLd", "value", ListQuery.safe(jsonLdParam), "jsonLd")));
            }
            long generation = delivery.index().generation(); // before the lookup: a later change makes it stale
            Optional<Entry> entry = delivery.item(type.name(), id, preview);
            if (entry.isEmpty()) {
                return problems.notFound(lang, path(uri));
            }
            Entry e = entry.get();
            Renderer.Rendered r;
            String mediaType = JSON;
            boolean ld = quality(headers, LD_JSON) > quality(headers, "application/json");
            if (ld || "true".equals(jsonLdParam)) {
                // null: the repository moved on since the index; answer from the index's values and cache nothing
                wales.exchange.content.Item full = delivery.index().full(e);
                wales.exchange.content.Item shown = full == null ? e.item : full;
                Map<String, Object> jsonLd = JsonLd.of(shown, lang, pageUrl(headers, e.type, e.id(), e.item.name(), lang), this::resolveItem);
                Object body = jsonLd;
                if (!ld) {
                    Map<String, Object> json = renderer.json(e, shown, lang, Renderer.Shape.FULL, preview, this::resolve);
                    json.put("jsonLd", jsonLd);
                    body = json;
                } else {
                    mediaType = LD_JSON + ";charset=utf-8";
                }
                r = renderer.rendered(body, full == null ? -1 : generation);
            } else {
                // written straight to bytes, not kept by the renderer: the response cache keeps public answers
                r = itemWriter.item(e, lang, preview, generation, this::resolve, delivery.index()::fullForJson);
            }
            Response response = cached(r, headers, lastModified(e), lang, preview, mediaType);
            if (!preview && headers.getHeaderString("Origin") == null && r.generation() == generation) {
                remember(uri, headers, response, r, mediaType);
            }
            return response;
        });
    }

    private Response calendarResponse(String segment, String id, HttpHeaders headers, UriInfo uri) {
        return respond(segment, headers, uri, (type, lang, preview) -> {
            List<wales.exchange.content.Item> events;
            if (id != null) {
                checkParams(uri, Set.of("lang"));
                Optional<Entry> e = delivery.item(type.name(), id, preview);
                if (e.isEmpty()) {
                    return problems.notFound(lang, path(uri));
                }
                if (e.get().item.values().get(START_DATE) == null) {
                    // an undated event has no calendar entry: an empty calendar would look like a broken link
                    return problems.response(404, "notFound", lang, path(uri), "exchange.problem.notFound.undated", null, null);
                }
                wales.exchange.content.Item full = delivery.index().full(e.get());
                events = List.of(full == null ? e.get().item : full);
            } else {
                Map<String, List<String>> params = params(uri);
                params.putIfAbsent("limit", List.of(Integer.toString(ListQuery.MAX_LIMIT)));
                ListQuery q = ListQuery.parse(type, params, true);
                // undated events are left out before paging, so limit and offset count calendar entries
                events = delivery.list(type.name(), q, lang, preview, true).items().stream().map(x -> x.item).toList();
            }
            byte[] body = calendar.render(events, lang, item -> pageUrl(headers, type, item.id(), item.name(), lang))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Renderer.Rendered r = new Renderer.Rendered(0, body, Renderer.etag(body));
            Instant lastModified = id != null ? events.get(0).lastModified().toInstant() : listLastModified(type, preview);
            return cached(r, headers, lastModified, lang, preview, "text/calendar;charset=utf-8");
        });
    }

    private static final String START_DATE = Fields.START_DATE;

    /**
     * Last-Modified of a list or feed: for the public, the last change the public can see to the type or to a type its
     * items show (case studies show their related resources), never a draft's save; with a preview, any change.
     */
    private Instant listLastModified(ContentType type, boolean preview) {
        if (preview) {
            return delivery.index().lastChange();
        }
        java.util.Set<String> shown = new java.util.LinkedHashSet<>();
        shown.add(type.name());
        for (wales.exchange.model.PropertyDef p : type.properties()) {
            if (p.type() == wales.exchange.model.PropertyType.REFERENCE) {
                shown.add(p.target());
            }
        }
        return delivery.index().lastPublicChange(shown);
    }

    /** What a route does once its type is known and language and preview are settled. */
    private interface Route {
        Response answer(ContentType type, Lang lang, boolean preview);
    }

    /**
     * The frame every route shares: an unknown type segment is a 404, bad parameters a 400 and a bad preview token a
     * 403, each a problem in the request's language.
     */
    private Response respond(String segment, HttpHeaders headers, UriInfo uri, Route route) {
        Lang lenient = lenientLang(uri, headers);
        ContentType type = bySegment.get(segment);
        if (type == null) {
            return problems.noRoute(lenient, path(uri), ApiPath.of(uri.getBaseUri()));
        }
        try {
            return route.answer(type, lang(uri, headers), preview(uri, headers));
        } catch (ParamException e) {
            return problems.badParams(lenient, path(uri), e);
        } catch (PreviewDenied e) {
            return problems.response(403, "forbidden", lenient, path(uri), null, null, null);
        } catch (Misdirected e) {
            return problems.response(421, "misdirected", lenient, path(uri), "exchange.problem.misdirected.detail", null, null);
        }
    }

    private static String path(UriInfo uri) {
        return uri.getRequestUri().getRawPath();
    }

    /** Keeps a public item or list response for the host's fast path (see {@link ResponseCache}). */
    private void remember(UriInfo uri, HttpHeaders headers, Response response, Renderer.Rendered r, String mediaType) {
        String key = cacheKey(config, headers.getHeaderString(HttpHeaders.HOST), path(uri), uri.getRequestUri().getRawQuery(),
                headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE), headers.getHeaderString(HttpHeaders.ACCEPT));
        responseCache.put(key, cacheable(response, r, mediaType));
    }

    /** What the response cache keeps of a 200 response: its headers but the length, the media type last. */
    private static ResponseCache.Cached cacheable(Response response, Renderer.Rendered r, String mediaType) {
        List<String[]> hs = new ArrayList<>();
        response.getStringHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> hs.add(new String[] {name, v}));
            }
        });
        hs.add(new String[] {"Content-Type", mediaType});
        return new ResponseCache.Cached(r.generation(), List.copyOf(hs), r.bytes(), r.etag());
    }

    /**
     * The answer to a public GET of an item in JSON that the response cache does not hold (a cold item), for the host's
     * fast path: rendered, kept in the response cache and returned exactly as {@link #item} would answer and keep it,
     * without the JAX-RS chain. Null when the request is anything else (another route or parameter, a preview, JSON-LD,
     * an untrusted Host, an escaped or unknown id, an item that changed meanwhile): the host then passes it down the full
     * chain, which answers it (404, 400, ...) as before. May block (the index's read-your-write wait, the bodies file):
     * never on an I/O thread. Conditional headers are the caller's: this is always the 200 answer.
     */
    public ResponseCache.Cached coldItem(String host, String rawPath, String rawQuery, String acceptLanguage, String accept) {
        ColdRequest q = coldRequest(host, rawPath, rawQuery, acceptLanguage, accept);
        if (q == null) {
            return null;
        }
        long generation = delivery.index().generation(); // before the lookup, as item() does
        Optional<Entry> entry = delivery.item(q.type.name(), q.id, false);
        if (entry.isEmpty()) {
            return null;
        }
        Entry e = entry.get();
        Renderer.Rendered r = itemWriter.item(e, q.lang, false, generation, this::resolve, delivery.index()::fullForJson);
        if (r.generation() != generation) {
            return null; // the item changed meanwhile: the full chain answers without keeping it
        }
        return kept(q, r, lastModified(e));
    }

    /** A cold item request's route, id, language and cache key, when {@link #coldItem} may answer it; else null. */
    private record ColdRequest(ContentType type, String id, Lang lang, String key) {
    }

    private ColdRequest coldRequest(String host, String rawPath, String rawQuery, String acceptLanguage, String accept) {
        ContentType type = itemType(rawPath);
        if (type == null) {
            return null;
        }
        String id = rawPath.substring(rawPath.lastIndexOf('/') + 1);
        Lang lang = null;
        if (rawQuery == null || rawQuery.isEmpty()) {
            lang = Lang.fromAcceptLanguage(acceptLanguage);
        } else {
            for (Lang l : Lang.values()) {
                if (rawQuery.equals("lang=" + l.tag())) {
                    lang = l;
                }
            }
        }
        String key = cacheKey(config, host, rawPath, rawQuery == null || rawQuery.isEmpty() ? null : rawQuery, acceptLanguage, accept);
        if (lang == null || key == null || quality(accept, LD_JSON) > quality(accept, "application/json")) {
            return null;
        }
        return new ColdRequest(type, id, lang, key);
    }

    /** A cold item's answer as {@link #item} would build and keep it, kept in the response cache. */
    private ResponseCache.Cached kept(ColdRequest q, Renderer.Rendered r, Instant lastModified) {
        // the headers cacheable(cached(...)) would keep, without building a JAX-RS response (7% of a cold item's time)
        List<String[]> hs = validators(r.etag(), lastModified, q.lang, false);
        hs.add(new String[] {"Content-Type", JSON});
        ResponseCache.Cached c = new ResponseCache.Cached(r.generation(), List.copyOf(hs), r.bytes(), r.etag());
        responseCache.put(q.key, c);
        coldItems.increment();
        return c;
    }

    /**
     * The answer to a public GET of a list in JSON that the response cache does not hold (a cold list: a query not asked
     * before), for the host's fast path: rendered, kept in the response cache and returned exactly as {@link #list} would
     * answer and keep it, without the JAX-RS chain. Null when the request is anything else: another route, a query that is
     * not plain ({@code name=value} pairs of letters, digits and {@code -_.,:}, no escape, no name twice, no
     * {@code preview}), a bad parameter, JSON-LD asked for, an untrusted Host. The host then passes it down the full
     * chain, which answers it (400, 406, ...) as before. May block (the index's read-your-write wait): never on an I/O
     * thread. Conditional headers are the caller's: this is always the 200 answer.
     */
    public ResponseCache.Cached coldList(String host, String rawPath, String rawQuery, String acceptLanguage, String accept) {
        ContentType type = listType(rawPath);
        if (type == null) {
            return null;
        }
        Map<String, List<String>> params = plainParams(rawQuery);
        if (params == null || params.containsKey("preview") || params.containsKey("q")) {
            return null;
        }
        Lang lang;
        List<String> langParam = params.get("lang");
        if (langParam != null) {
            lang = Lang.parse(langParam.get(0)).orElse(null);
        } else {
            lang = Lang.fromAcceptLanguage(acceptLanguage);
        }
        String key = cacheKey(config, host, rawPath, rawQuery == null || rawQuery.isEmpty() ? null : rawQuery, acceptLanguage, accept);
        double json = quality(accept, "application/json");
        if (lang == null || key == null || json == 0 || quality(accept, LD_JSON) > json) {
            return null;
        }
        ListQuery q;
        try {
            q = ListQuery.parse(type, params, Fields.isEvent(type));
        } catch (ParamException e) {
            return null; // the full chain answers the 400, in the request's language
        }
        Delivery.Page page = delivery.list(type.name(), q, lang, false);
        Renderer.Rendered r = renderer.list(page, q, lang, false, this::resolve);
        ResponseCache.Cached c = cacheable(cached(r, null, null, listLastModified(type, false), lang, false, JSON), r, JSON);
        responseCache.put(key, c);
        coldLists.increment();
        return c;
    }

    /** List answers {@link #coldList} has given so far. */
    public long coldLists() {
        return coldLists.sum();
    }

    /**
     * The type of a list route's raw path ({@code BASE/segment}), else null: what {@link #coldList} may answer. Never
     * blocks (an I/O thread may ask).
     */
    public ContentType listType(String rawPath) {
        String base = config.basePath();
        if (rawPath.length() <= base.length() + 1 || !rawPath.startsWith(base) || rawPath.charAt(base.length()) != '/') {
            return null;
        }
        return bySegment.get(rawPath.substring(base.length() + 1));
    }

    /**
     * A raw query's parameters in the order of the request when it is plain: non-empty {@code name=value} pairs whose
     * names and values hold only letters, digits and {@code -_.,:} (nothing URL decoding would change), no name twice;
     * else null. Such a query reads the same as JAX-RS reads it ({@link #params}).
     */
    static Map<String, List<String>> plainParams(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            int eq = rawQuery.indexOf('=', start);
            if (eq <= start || eq >= end) {
                return null; // an empty pair, a name alone or an empty name
            }
            for (int i = start; i < end; i++) {
                char c = rawQuery.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                        || c == '.' || c == ',' || c == ':' || (c == '=' && i == eq))) {
                    return null;
                }
            }
            if (out.put(rawQuery.substring(start, eq), List.of(rawQuery.substring(eq + 1, end))) != null) {
                return null; // a name twice: the full chain's 400
            }
            start = end + 1;
        }
        return out;
    }

    /** Item answers {@link #coldItem} has given so far. */
    public long coldItems() {
        return coldItems.sum();
    }

    /**
     * The type of an item route's raw path ({@code BASE/segment/id}, the id plain: see {@link #plainId}), else null: what
     * {@link #coldItem} may answer. Never blocks (an I/O thread may ask).
     */
    public ContentType itemType(String rawPath) {
        String prefix = config.basePath() + "/";
        if (!rawPath.startsWith(prefix)) {
            return null;
        }
        int slash = rawPath.indexOf('/', prefix.length());
        if (slash < 0 || slash == rawPath.length() - 1) {
            return null;
        }
        String id = rawPath.substring(slash + 1);
        ContentType type = bySegment.get(rawPath.substring(prefix.length(), slash));
        return type == null || id.endsWith(".ics") || !plainId(id) ? null : type;
    }

    /** An id as the index keeps them: letters, digits and hyphens only (nothing JAX-RS would decode or cut off). */
    private static boolean plainId(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The response-cache key of a public GET of an item or a list, from the negotiated language and media type and the trusted
     * base (never raw headers): null when the Host is not trusted (such requests are never cached). The host's fast path
     * computes it the same way before JAX-RS.
     */
    public static String cacheKey(DeliveryConfig config, String host, String rawPath, String rawQuery, String acceptLanguage,
                                  String accept) {
        String base = config.base(host);
        if (base == null) {
            return null;
        }
        boolean ld = quality(accept, LD_JSON) > quality(accept, "application/json");
        return ResponseCache.key(base, rawPath, rawQuery, Lang.fromAcceptLanguage(acceptLanguage), ld ? LD_JSON : JSON);
    }

    /** The item's public page if a pattern is configured, else its absolute API address. */
    private String pageUrl(HttpHeaders headers, ContentType type, String id, String name, Lang lang) {
        String page = config.pageUrl(type, id, name, lang);
        return page != null ? page : absolute(headers, config.basePath() + "/" + config.segment(type) + "/" + id);
    }

    private Entry resolve(String id) {
        return delivery.index().entry(id).orElse(null);
    }

    private wales.exchange.content.Item resolveItem(String id) {
        return delivery.index().entry(id).filter(e -> e.published).map(e -> e.item).orElse(null);
    }

    /** Builds the response with validators; answers 304 when the client's copy is current. */
    private Response cached(Renderer.Rendered r, HttpHeaders headers, Instant lastModified, Lang lang, boolean preview,
                            String mediaType) {
        return cached(r, headers.getHeaderString(HttpHeaders.IF_NONE_MATCH), headers.getHeaderString(HttpHeaders.IF_MODIFIED_SINCE),
                lastModified, lang, preview, mediaType);
    }

    private Response cached(Renderer.Rendered r, String inm, String ims, Instant lastModified, Lang lang, boolean preview,
                            String mediaType) {
        boolean notModified;
        if (inm != null) {
            notModified = ResponseCache.matches(inm, r.etag());
        } else {
            notModified = ims != null && lastModified != null && notAfter(lastModified, ims);
        }
        // an explicit length: without it the response is chunked, and chunked writes meet delayed ACKs (40 ms stalls)
        Response.ResponseBuilder b = notModified ? Response.notModified()
                : Response.ok(r.bytes(), mediaType).header(HttpHeaders.CONTENT_LENGTH, r.bytes().length);
        for (String[] h : validators(r.etag(), lastModified, lang, preview)) {
            b.header(h[0], h[1]);
        }
        return b.build();
    }

    private static final String VARY = "Accept-Language, Accept, " + PREVIEW_HEADER + ", Origin";

    /**
     * The validators and caching headers of an answer ({@link #cached}), in the order a built response lists them
     * (RESTEasy keeps its headers sorted by name, case aside), so that a cold item's cache entry made from them
     * ({@link #kept}) is the one {@link #cacheable} makes of the full chain's response.
     */
    private List<String[]> validators(String etag, Instant lastModified, Lang lang, boolean preview) {
        List<String[]> hs = new ArrayList<>(6);
        hs.add(new String[] {HttpHeaders.CACHE_CONTROL, preview ? "private, no-store"
                : "public, max-age=" + config.maxAgeSeconds() + ", stale-while-revalidate=" + (config.maxAgeSeconds() * 5)});
        hs.add(new String[] {"Content-Language", lang.tag()});
        hs.add(new String[] {HttpHeaders.ETAG, etag});
        if (lastModified != null) {
            hs.add(new String[] {HttpHeaders.LAST_MODIFIED, HTTP_DATE.format(lastModified.atOffset(ZoneOffset.UTC))});
        }
        hs.add(new String[] {"Vary", VARY});
        return hs;
    }

    private static boolean notAfter(Instant lastModified, String ifModifiedSince) {
        Instant since = httpDate(ifModifiedSince);
        return since != null && lastModified.getEpochSecond() <= since.getEpochSecond();
    }

    /**
     * An HTTP date in any of its three forms ({@link #HTTP_DATES_IN}); null when it is none of them. Runs of spaces count
     * as one: asctime pads a day below 10 with one, which Undertow's header parser folds into the space before it.
     */
    static Instant httpDate(String value) {
        String date = value.strip().replaceAll(" +", " ");
        for (DateTimeFormatter f : HTTP_DATES_IN) {
            try {
                return f.parse(date, Instant::from);
            } catch (RuntimeException e) {
                // the next form
            }
        }
        return null;
    }

    private boolean preview(UriInfo uri, HttpHeaders headers) {
        String token = headers.getHeaderString(PREVIEW_HEADER);
        List<String> inQuery = uri.getQueryParameters().get("preview");
        if (inQuery != null && inQuery.size() > 1) {
            throw new ParamException(List.of(new FieldError("preview", "repeated", "preview")));
        }
        if (token == null) {
            token = uri.getQueryParameters().getFirst("preview");
        }
        if (token == null) {
            return false;
        }
        if (!previewTokens.valid(token)) {
            throw new PreviewDenied();
        }
        return true;
    }

    /** The query parameters in the order of the request (so that errors are listed in that order), without preview. */
    private static Map<String, List<String>> params(UriInfo uri) {
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        Map<String, List<String>> out = new LinkedHashMap<>();
        String raw = uri.getRequestUri().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name;
                try {
                    name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    continue; // a malformed escape: JAX-RS has its own reading of it, added below
                }
                List<String> v = q.get(name);
                if (v != null && !out.containsKey(name)) {
                    out.put(name, new ArrayList<>(v));
                }
            }
        }
        q.forEach((k, v) -> out.putIfAbsent(k, new ArrayList<>(v)));
        out.remove("preview");
        return out;
    }

    /** The language asked for; a bad {@code lang} is a 400. */
    static Lang lang(UriInfo uri, HttpHeaders headers) {
        String p = uri.getQueryParameters().getFirst("lang");
        if (p != null) {
            return Lang.parse(p).orElseThrow(() -> new ParamException(List.of(new FieldError("lang", "lang"))));
        }
        return Lang.fromAcceptLanguage(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
    }

    /** The language for an error message: never fails. */
    static Lang lenientLang(UriInfo uri, HttpHeaders headers) {
        return Optional.ofNullable(uri.getQueryParameters().getFirst("lang")).flatMap(Lang::parse)
                .orElseGet(() -> Lang.fromAcceptLanguage(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE)));
    }

    /**
     * The q-value the Accept header gives an exact media type (RFC 9110 §12.5.1); {@code *}{@code /*} and
     * {@code application/*} count for JSON only, so JSON-LD is sent only when asked for by name. An element with a
     * malformed q-value is ignored, and a header with no valid element counts as absent (see {@link AcceptHeaderFilter}).
     */
    static double quality(HttpHeaders headers, String mediaType) {
        return quality(headers.getHeaderString(HttpHeaders.ACCEPT), mediaType);
    }

    static double quality(String accept, String mediaType) {
        if (accept != null) {
            accept = AcceptHeaderFilter.clean(accept);
        }
        if (accept == null || accept.isBlank()) {
            return mediaType.equals(LD_JSON) ? 0 : 1;
        }
        double best = 0;
        for (String part : accept.split(",")) {
            String[] bits = part.strip().split(";");
            if (bits.length == 0) {
                continue;
            }
            String type = bits[0].strip().toLowerCase(java.util.Locale.ROOT);
            double q = wales.exchange.i18n.QualityValues.of(bits);
            boolean match = type.equals(mediaType)
                    || (!mediaType.equals(LD_JSON) && (type.equals("*/*") || type.equals("application/*")));
            if (match) {
                best = Math.max(best, q);
            }
        }
        return best;
    }

    /** An item's own modification, or a newer one of a published item it shows (resolved references). */
    private Instant lastModified(Entry e) {
        Instant newest = e.lastModified;
        for (wales.exchange.model.PropertyDef p : e.type.properties()) {
            if (p.type() != wales.exchange.model.PropertyType.REFERENCE || e.item.values().get(p.name()) == null) {
                continue;
            }
            Object v = e.item.values().get(p.name());
            for (Object id : v instanceof List<?> l ? l : List.of(v)) {
                Entry ref = resolve((String) id);
                if (ref != null && ref.published && ref.lastModified.isAfter(newest)) {
                    newest = ref.lastModified;
                }
            }
        }
        return newest;
    }

    /**
     * An absolute URL from the one trusted base ({@link DeliveryConfig#base}): never from the request line, which a
     * client controls (an absolute-form request line would otherwise plant its host in a cached answer).
     */
    private String absolute(HttpHeaders headers, String path) {
        String base = config.base(headers.getHeaderString(HttpHeaders.HOST));
        if (base == null) {
            throw new Misdirected();
        }
        return base + path;
    }

    /** The Host is not one this server builds absolute URLs for: 421, never an answer pointing elsewhere. */
    static final class Misdirected extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** A preview token that is not valid: 403, never a silent public response. */
    static final class PreviewDenied extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
