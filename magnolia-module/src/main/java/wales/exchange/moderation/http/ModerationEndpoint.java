package wales.exchange.moderation.http;

import wales.exchange.delivery.Exchange;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonParser;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.jcr.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.content.ConflictException;
import wales.exchange.content.ContentException;
import wales.exchange.content.NotFoundException;
import wales.exchange.content.FieldError;
import wales.exchange.content.Item;
import wales.exchange.content.ValidationException;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.http.Problems;
import wales.exchange.delivery.index.Sessions;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;
import wales.exchange.moderation.Account;
import wales.exchange.moderation.Authenticator;
import wales.exchange.moderation.ModerationException;
import wales.exchange.moderation.ModerationService;
import wales.exchange.moderation.Role;
import wales.exchange.moderation.State;
import wales.exchange.moderation.Workflow;
import wales.exchange.moderation.WorkflowException;

/**
 * The moderation API, {@code /.rest/exchange/v1/moderation}: the queue, an item with its history and notes, edits of
 * its content, transitions, notes, claim and assignment, schedules, conversion of contributions. Every route needs HTTP Basic
 * credentials of a user with the role the route needs: without them 401, with too little a role 403, both with a body
 * that says nothing about the item or the user. Answers are never cached ({@code Cache-Control: no-store}).
 */
@Path("/exchange/v1/moderation")
@wales.exchange.delivery.http.ExchangeApi
public class ModerationEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ModerationEndpoint.class);
    static final String JSON = "application/json;charset=utf-8";
    public static final String REALM = "Basic realm=\"ExChange moderation\", charset=\"UTF-8\"";
    static final int MAX_BODY = 64 * 1024;
    static final int MAX_REASON = 2000;
    static final int MAX_NOTE = 5000;
    private final ModerationService service;
    private final Authenticator authenticator;
    private final Sessions sessions;
    private final Problems problems;
    private final ObjectMapper mapper;
    private final ContentModel model;

    @Inject
    public ModerationEndpoint(ModerationService service, Authenticator authenticator, Sessions sessions, Problems problems,
                              @Exchange ObjectMapper mapper, ContentModel model) {
        this.service = service;
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.problems = problems;
        this.mapper = mapper;
        this.model = model;
    }

    /** A request's work once authenticated with the role it needs: its language, the account and a session. */
    @FunctionalInterface
    private interface Work {
        Response run(Lang lang, Account account, Session session) throws Exception;
    }

    @GET
    @Path("queue")
    public Response queue(@Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(headers, uri, Role.MODERATOR, Set.of("type", "state", "language", "assignee", "olderThan", "newerThan",
                "offset", "limit", "reported"), (lang, account, session) -> {
            MultivaluedMap<String, String> q = uri.getQueryParameters();
            List<FieldError> errors = new ArrayList<>();
            String type = q.getFirst("type");
            if (type != null && model.find(type).isEmpty()) {
                errors.add(new FieldError("type", "value", safe(type), "type"));
            }
            State state = null;
            if (q.getFirst("state") != null) {
                state = State.parse(q.getFirst("state")).orElse(null);
                if (state == null) {
                    errors.add(new FieldError("state", "value", safe(q.getFirst("state")), "state"));
                }
            }
            String language = q.getFirst("language");
            if (language != null && Lang.parse(language).isEmpty()) {
                errors.add(new FieldError("language", "value", safe(language), "language"));
            }
            String assignee = q.getFirst("assignee");
            if (assignee != null) {
                if (assignee.equals("none")) {
                    assignee = "";
                } else if (assignee.equals("me")) {
                    assignee = account.name();
                } else if (!wales.exchange.moderation.UserStore.validName(assignee)) {
                    errors.add(new FieldError("assignee", "value", safe(assignee), "assignee"));
                }
            }
            String reported = q.getFirst("reported");
            if (reported != null && !reported.equals("true") && !reported.equals("false")) {
                errors.add(new FieldError("reported", "value", safe(reported), "reported"));
            }
            Duration older = duration(q.getFirst("olderThan"), "olderThan", errors);
            Duration newer = duration(q.getFirst("newerThan"), "newerThan", errors);
            int offset = number(q.getFirst("offset"), 0, 0, 100_000, "offset", errors);
            int limit = number(q.getFirst("limit"), 20, 1, ModerationService.MAX_QUEUE, "limit", errors);
            if (!errors.isEmpty()) {
                return problems.response(400, "badRequest", lang, path(uri), null, errors, "exchange.param.");
            }
            ModerationService.Queue queue = service.queue(session, new ModerationService.QueueFilter(type, state, language,
                    assignee, older, newer, offset, limit, "true".equals(reported)));
            List<Map<String, Object>> items = new ArrayList<>();
            for (ModerationService.QueueEntry e : queue.items()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.id());
                m.put("type", e.type());
                m.put("state", e.state().tag());
                m.put("revision", e.revision());
                m.put("title", e.title());
                m.put("language", e.language());
                m.put("assignee", e.assignee());
                m.put("since", e.since());
                m.put("createdBy", e.createdBy());
                m.put("reports", e.reports());
                m.put("href", base() + "/items/" + e.id());
                items.add(m);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("total", queue.total());
            body.put("offset", offset);
            body.put("limit", limit);
            body.put("items", items);
            return json(200, body, lang);
        });
    }

    @GET
    @Path("items/{id}")
    public Response item(@PathParam("id") String id, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(headers, uri, Role.EDITOR, Set.of(), (lang, account, session) ->
                service.detail(session, id).map(d -> item(200, d, account, lang))
                        .orElseGet(() -> notFound(lang, uri)));
    }

    /**
     * Edits the item's content (docs/moderation.md, "Editing"): a JSON merge patch (RFC 7396) of the model's
     * properties, i18n ones per language ({@code {"title": {"cy": "…"}}}; null removes), at the revision named by
     * {@code If-Match} (the item's ETag): without it 428, a stale one 409 {@code conflict}. Editors and up, in draft or
     * in review ({@code notEditable} otherwise); personal data and the state are not editable; field errors 422.
     */
    @PATCH
    @Path("items/{id}")
    public Response edit(@PathParam("id") String id, String body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(headers, uri, Role.EDITOR, Set.of(), (lang, account, session) -> {
            List<String> ifMatch = headers.getRequestHeader(HttpHeaders.IF_MATCH);
            if (ifMatch == null || ifMatch.isEmpty()) {
                return problems.response(428, "preconditionRequired", lang, path(uri), "exchange.moderation.preconditionRequired",
                        List.of(new FieldError(HttpHeaders.IF_MATCH, "ifMatch")), "exchange.error.");
            }
            Long expected = ifMatch.size() == 1 ? entityTag(ifMatch.get(0)) : null;
            if (expected == null) {
                return problems.response(400, "badRequest", lang, path(uri), null,
                        List.of(new FieldError(HttpHeaders.IF_MATCH, "ifMatch")), "exchange.error.");
            }
            List<FieldError> errors = new ArrayList<>();
            JsonNode in = body(headers, body, null, errors);
            if (in != null && in.isEmpty()) {
                errors.add(new FieldError("body", "noChanges"));
            }
            if (!errors.isEmpty()) {
                return invalidBody(lang, uri, errors);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> changes = mapper.convertValue(in, LinkedHashMap.class);
            ModerationService.Detail d = service.edit(session, id, expected, changes, account);
            return item(200, d, account, lang);
        });
    }

    /**
     * The revision an {@code If-Match} value names: one strong entity tag, as the item's ETag gives it ({@code "3"});
     * a tag of another form ({@code "x"}) names no revision the item has (-1: a conflict); null for a value that is
     * not one strong entity tag ({@code *}, a weak tag, a list, no quotes), which cannot guard an edit.
     */
    static Long entityTag(String value) {
        String v = value.strip();
        if (v.length() < 2 || v.length() > 100 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
            return null;
        }
        String tag = v.substring(1, v.length() - 1);
        if (tag.indexOf('"') >= 0 || tag.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return null;
        }
        return tag.matches("[0-9]{1,18}") ? Long.parseLong(tag) : -1L;
    }

    /** The audit trail alone. Read-only: no route changes or removes an entry (other methods are 405). */
    @GET
    @Path("items/{id}/history")
    public Response history(@PathParam("id") String id, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(headers, uri, Role.EDITOR, Set.of(), (lang, account, session) ->
                service.detail(session, id).map(d -> json(200, Map.of("id", id, "history", history(d)), lang))
                        .orElseGet(() -> notFound(lang, uri)));
    }

    @POST
    @Path("items/{id}/transitions")
    public Response transition(@PathParam("id") String id, String body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(headers, uri, Role.EDITOR, Set.of(), (lang, account, session) -> {
            List<FieldError> errors = new ArrayList<>();
            JsonNode in = body(headers, body, Set.of("to", "revision", "reason"), errors);
            State to = null;
            if (in != null) {
                String t = text(in, "to", true, 20, errors);
                if (t != null) {
                    to = State.parse(t).orElse(null);
                    if (to == null) {
                        errors.add(new FieldError("to", "option", String.join(", ", Arrays.stream(State.values()).map(State::tag).toList())));
                    }
                }
            }
            long revision = in == null ? 0 : revision(in, errors);
            String reason = in == null ? null : text(in, "reason", false, MAX_REASON, errors);
            if (!errors.isEmpty()) {
                return invalidBody(lang, uri, errors);
            }
            ModerationService.Detail d = service.transition(session, id, revision, to, reason, account);
            return item(200, d, account, lang);
        });
    }

    @POST
    @Path("items/{id}/notes")
    public Response note(@PathParam("id") String id, String body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(headers, uri, Role.MODERATOR, Set.of(), (lang, account, session) -> {
            List<FieldError> errors = new ArrayList<>();
            JsonNode in = body(headers, body, Set.of("text"), errors);
            String text = in == null ? null : text(in, "text", true, MAX_NOTE, errors);
            if (!errors.isEmpty()) {
                return invalidBody(lang, uri, errors);
            }
            ModerationService.Note n = service.addNote(session, id, text, account);
            return json(201, note(n), lang);
        });
    }

    /** Claims the item for the caller: 409 {@code alreadyClaimed} when someone else holds it. */
    @POST
    @Path("items/{id}/claim")
    public Response claim(@PathParam("id") String id, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(headers, uri, Role.MODERATOR, Set.of(), (lang, account, session) ->
                item(200, service.assign(session, id, account.name(), true, account, authenticator), account, lang));
    }

    /** Assigns the item to a moderator, or to nobody ({@code "assignee": null}). */
    @PUT
    @Path("items/{id}/assignee")
    public Response assign(@PathParam("id") String id, String body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(headers, uri, Role.MODERATOR, Set.of(), (lang, account, session) -> {
            List<FieldError> errors = new ArrayList<>();
            JsonNode in = body(headers, body, Set.of("assignee"), errors);
            String assignee = null;
            if (in != null) {
                if (!in.has("assignee")) {
                    errors.add(new FieldError("assignee", "required"));
                } else if (!in.get("assignee").isNull()) {
                    assignee = text(in, "assignee", true, 64, errors);
                }
            }
            if (!errors.isEmpty()) {
                return invalidBody(lang, uri, errors);
            }
            return item(200, service.assign(session, id, assignee, false, account, authenticator), account, lang);
        });
    }

    /** Sets or clears the scheduled publishing and unpublishing of an approved or published item. */
    @PUT
    @Path("items/{id}/schedule")
    public Response schedule(@PathParam("id") String id, String body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(headers, uri, Role.MODERATOR, Set.of(), (lang, account, session) -> {
            List<FieldError> errors = new ArrayList<>();
            JsonNode in = body(headers, body, Set.of("publishAt", "unpublishAt"), errors);
            OffsetDateTime publishAt = in == null ? null : dateTime(in, "publishAt", errors);
            OffsetDateTime unpublishAt = in == null ? null : dateTime(in, "unpublishAt", errors);
            if (!errors.isEmpty()) {
                return invalidBody(lang, uri, errors);
            }
            return item(200, service.schedule(session, id, publishAt, unpublishAt, account), account, lang);
        });
    }

    /** Makes a draft resource or case study from an approved contribution; 201 with the new item. */
    @POST
    @Path("items/{id}/conversions")
    public Response convert(@PathParam("id") String id, String body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(headers, uri, Role.EDITOR, Set.of(), (lang, account, session) -> {
            List<FieldError> errors = new ArrayList<>();
            JsonNode in = body(headers, body, Set.of("type"), errors);
            String type = in == null ? null : text(in, "type", true, 40, errors);
            if (type != null && !ModerationService.CONVERSION_TYPES.contains(type)) {
                errors.add(new FieldError("type", "option", "resource, caseStudy"));
            }
            if (!errors.isEmpty()) {
                return invalidBody(lang, uri, errors);
            }
            Item created = service.convert(session, id, type, account);
            return Response.fromResponse(item(201, service.detail(session, created.id()).orElseThrow(), account, lang))
                    .header("Location", base() + "/items/" + created.id()).build();
        });
    }

    // ------------------------------------------------------------------------------------------------ the frame

    private Response handle(HttpHeaders headers, UriInfo uri, Role needed, Set<String> params, Work work) {
        Lang lang = lang(headers, uri);
        Optional<Account> account = authenticate(headers);
        if (account.isEmpty()) {
            return Response.fromResponse(problems.response(401, "unauthorized", lang, path(uri),
                    "exchange.moderation.unauthorized", null, null)).header("WWW-Authenticate", REALM).build();
        }
        if (!account.get().has(needed)) {
            return forbidden(lang, uri);
        }
        List<FieldError> errors = new ArrayList<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (!params.contains(name) && !name.equals("lang")) {
                errors.add(new FieldError(safe(name), "unknown", safe(name)));
            } else if (values.size() > 1) {
                errors.add(new FieldError(safe(name), "repeated", safe(name)));
            }
        });
        if (!errors.isEmpty()) {
            return problems.response(400, "badRequest", lang, path(uri), null, errors, "exchange.param.");
        }
        Session session = null;
        try {
            session = sessions.open();
            return work.run(lang, account.get(), session);
        } catch (WorkflowException e) {
            return workflowProblem(e, lang, uri);
        } catch (ConflictException e) {
            return problems.detailed(409, "conflict", lang, path(uri), "exchange.moderation.conflict", e.currentRevision());
        } catch (ModerationException e) {
            return switch (e.code()) {
                case "notFound" -> notFound(lang, uri);
                case "alreadyClaimed" -> problems.detailed(409, "alreadyClaimed", lang, path(uri), "exchange.moderation.alreadyClaimed");
                case "notConvertible" -> problems.detailed(409, "notConvertible", lang, path(uri), "exchange.moderation.notConvertible");
                case "noSuchUser" -> problems.detailed(422, "noSuchUser", lang, path(uri), "exchange.moderation.noSuchUser");
                default -> problems.detailed(422, "badSchedule", lang, path(uri), "exchange.moderation.badSchedule");
            };
        } catch (ValidationException e) {
            return problems.response(422, "validation", lang, path(uri), null, e.errors(), "exchange.error.");
        } catch (NotFoundException e) {
            return notFound(lang, uri); // removed meanwhile (e.g. erased by its contributor)
        } catch (Exception e) {
            if (e instanceof ContentException && vanished(e)) {
                return notFound(lang, uri);
            }
            if (wales.exchange.jcr.StorageFaults.unavailable(e)) {
                wales.exchange.jcr.StorageFaults.log(LOG, "a moderation request", e);
                return problems.storageUnavailable(lang, path(uri));
            }
            LOG.error("moderation request to {} failed: {}", path(uri), e.toString());
            return problems.response(500, "internal", lang, path(uri), null, null, null);
        } finally {
            if (session != null) {
                session.logout();
            }
        }
    }

    /** Whether {@code e} comes from an item removed while the request worked on it. */
    private static boolean vanished(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.jcr.InvalidItemStateException || t instanceof javax.jcr.ItemNotFoundException
                    || t instanceof javax.jcr.PathNotFoundException) {
                return true;
            }
        }
        return false;
    }

    private Response workflowProblem(WorkflowException e, Lang lang, UriInfo uri) {
        return switch (e.code()) {
            case "notPermitted" -> forbidden(lang, uri);
            case "invalidTransition" -> problems.detailed(409, "invalidTransition", lang, path(uri), "exchange.moderation.invalidTransition");
            case "notEditable" -> problems.detailed(409, "notEditable", lang, path(uri), "exchange.moderation.notEditable");
            case "reasonRequired" -> problems.response(422, "reasonRequired", lang, path(uri), "exchange.moderation.reasonRequired",
                    List.of(new FieldError("reason", "required")), "exchange.error.");
            case "fourEyes" -> problems.detailed(403, "fourEyes", lang, path(uri), "exchange.moderation.fourEyes");
            default -> problems.response(422, "welshMissing", lang, path(uri), "exchange.moderation.welshMissing",
                    e.fields().stream().map(f -> new FieldError(f + ".cy", "welshMissing")).toList(), "exchange.moderation.field.");
        };
    }

    /** The one 403 of this API: it names neither the item nor the role that would do. */
    private Response forbidden(Lang lang, UriInfo uri) {
        return problems.response(403, "notPermitted", lang, path(uri), "exchange.moderation.notPermitted", null, null);
    }

    private Response notFound(Lang lang, UriInfo uri) {
        return problems.response(404, "notFound", lang, path(uri), "exchange.moderation.notFound", null, null);
    }

    private Response invalidBody(Lang lang, UriInfo uri, List<FieldError> errors) {
        return problems.response(400, "invalidBody", lang, path(uri), null, errors, "exchange.error.");
    }

    /** HTTP Basic credentials checked against the user store; empty for none, malformed or wrong ones alike. */
    private Optional<Account> authenticate(HttpHeaders headers) {
        List<String> values = headers.getRequestHeader(HttpHeaders.AUTHORIZATION);
        if (values == null || values.size() != 1) {
            return Optional.empty();
        }
        String v = values.get(0).strip();
        if (v.length() < 7 || !v.regionMatches(true, 0, "Basic ", 0, 6) || v.length() > 1024) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(v.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        char[] password = decoded.substring(colon + 1).toCharArray();
        try {
            return authenticator.authenticate(decoded.substring(0, colon), password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    // ------------------------------------------------------------------------------------------------ rendering

    private Map<String, Object> detail(ModerationService.Detail d, Account account) {
        Item item = d.item();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", item.id());
        m.put("type", item.type());
        m.put("state", d.state().tag());
        m.put("revision", item.revision());
        m.put("assignee", d.assignee());
        m.put("since", d.since());
        m.put("submittedBy", d.submittedBy());
        m.put("publishAt", d.publishAt());
        m.put("unpublishAt", d.unpublishAt());
        m.put("created", item.created());
        m.put("createdBy", item.createdBy());
        m.put("lastModified", item.lastModified());
        m.put("lastModifiedBy", item.lastModifiedBy());
        m.put("allowedTransitions", Workflow.next(d.state(), account.roles()).stream().map(State::tag).toList());
        m.put("editableFields", editableFields(item.type(), d.state(), account));
        m.put("missingWelsh", d.missingWelsh());
        m.put("reports", d.reports());
        m.put("values", item.values());
        m.put("history", history(d));
        m.put("notes", account.has(Role.MODERATOR) ? d.notes().stream().map(ModerationEndpoint::note).toList() : List.of());
        return m;
    }

    /**
     * The fields the caller may edit in the item's state, described from the model for a form (none when the state or
     * the role does not allow editing).
     */
    private List<Map<String, Object>> editableFields(String typeName, State state, Account account) {
        List<Map<String, Object>> out = new ArrayList<>();
        ContentType type = model.find(typeName).orElse(null);
        if (type == null || !Workflow.mayEdit(state, account.roles())) {
            return out;
        }
        for (PropertyDef p : type.properties()) {
            if (!Workflow.editable(type, p)) {
                continue;
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", p.name());
            f.put("type", typeTag(p.type()));
            f.put("i18n", p.i18n());
            f.put("multiple", p.multiple());
            f.put("required", p.required());
            f.put("options", p.options());
            f.put("maxLength", p.maxLength() > 0 ? p.maxLength() : null);
            f.put("format", p.format());
            out.add(f);
        }
        return out;
    }

    private static String typeTag(PropertyType t) {
        return switch (t) {
            case STRING -> "string";
            case RICH_TEXT -> "richText";
            case BOOLEAN -> "boolean";
            case LONG -> "long";
            case DOUBLE -> "double";
            case DECIMAL -> "decimal";
            case DATE -> "date";
            case ASSET -> "asset";
            case REFERENCE -> "reference";
            case SUB_MODEL -> "subModel";
        };
    }

    private static List<Map<String, Object>> history(ModerationService.Detail d) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModerationService.HistoryEntry h : d.history()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", h.at());
            m.put("actor", h.actor());
            m.put("action", h.action());
            m.put("from", h.from());
            m.put("to", h.to());
            m.put("reason", h.reason());
            if (!h.fields().isEmpty()) {
                m.put("fields", h.fields());
            }
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> note(ModerationService.Note n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", n.at());
        m.put("author", n.author());
        m.put("text", n.text());
        return m;
    }

    /**
     * An item as a moderator sees it, with {@code ETag: "<revision>"}: the version of its content, what
     * {@code If-Match} of an edit names (notes, history and assignment are not content and do not change it).
     */
    private Response item(int status, ModerationService.Detail d, Account account, Lang lang) {
        return Response.fromResponse(json(status, detail(d, account), lang))
                .header(HttpHeaders.ETAG, "\"" + d.item().revision() + "\"").build();
    }

    private Response json(int status, Object body, Lang lang) {
        try {
            byte[] bytes = mapper.writeValueAsBytes(body);
            return Response.status(status).type(JSON).header("Content-Length", bytes.length)
                    .header("Content-Language", lang.tag()).header("Cache-Control", "no-store")
                    .header("Vary", "Accept-Language, Authorization").entity(bytes).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ input

    /**
     * The body as one JSON object ({@code application/json}), with only the keys {@code allowed}; with
     * {@code allowed} null (an edit: the service names unknown fields) any key, and {@code application/merge-patch+json}
     * is taken too.
     */
    private JsonNode body(HttpHeaders headers, String body, Set<String> allowed, List<FieldError> errors) {
        String type = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        String media = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
        if (!media.startsWith("application/json") && !(allowed == null && media.startsWith("application/merge-patch+json"))) {
            errors.add(new FieldError("body", "jsonObject"));
            return null;
        }
        if (body == null || body.length() > MAX_BODY) {
            errors.add(new FieldError("body", "jsonObject"));
            return null;
        }
        JsonNode in;
        try {
            // strict: one JSON object and nothing after it, no key given twice (which value counts is nobody's guess)
            in = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(body);
        } catch (JsonProcessingException e) {
            errors.add(new FieldError("body", "jsonObject"));
            return null;
        }
        if (in == null || !in.isObject()) {
            errors.add(new FieldError("body", "jsonObject"));
            return null;
        }
        in.fieldNames().forEachRemaining(f -> {
            if (allowed != null && !allowed.contains(f)) {
                errors.add(new FieldError(safe(f), "unknownField"));
            }
        });
        return in;
    }

    private static String text(JsonNode in, String field, boolean required, int max, List<FieldError> errors) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "required"));
            }
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError(field, "text"));
            return null;
        }
        String s = v.asText();
        if (s.length() > max) {
            errors.add(new FieldError(field, "maxLength", max, s.length()));
            return null;
        }
        if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
            errors.add(new FieldError(field, "control"));
            return null;
        }
        if (required && s.isBlank()) {
            errors.add(new FieldError(field, "required"));
            return null;
        }
        return s;
    }

    private static long revision(JsonNode in, List<FieldError> errors) {
        JsonNode v = in.get("revision");
        if (v == null || v.isNull()) {
            errors.add(new FieldError("revision", "required"));
            return 0;
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 0) {
            errors.add(new FieldError("revision", "long"));
            return 0;
        }
        return v.asLong();
    }

    private static OffsetDateTime dateTime(JsonNode in, String field, List<FieldError> errors) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            if (v.isTextual() && v.asText().length() <= 40) {
                return OffsetDateTime.parse(v.asText());
            }
        } catch (DateTimeParseException e) {
            // below
        }
        errors.add(new FieldError(field, "date"));
        return null;
    }

    private static Duration duration(String v, String name, List<FieldError> errors) {
        if (v == null) {
            return null;
        }
        try {
            if (v.length() <= 30) {
                Duration d = Duration.parse(v);
                if (!d.isNegative()) {
                    return d;
                }
            }
        } catch (DateTimeParseException e) {
            // below
        }
        errors.add(new FieldError(name, "value", safe(v), name));
        return null;
    }

    private static int number(String v, int dflt, int min, int max, String name, List<FieldError> errors) {
        if (v == null) {
            return dflt;
        }
        if (v.matches("[0-9]{1,7}")) {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        }
        errors.add(new FieldError(name, name.equals("limit") ? "limit" : "offset", max));
        return dflt;
    }

    private static Lang lang(HttpHeaders headers, UriInfo uri) {
        String q = uri.getQueryParameters().getFirst("lang");
        if (q != null) {
            Optional<Lang> l = Lang.parse(q);
            if (l.isPresent()) {
                return l.get();
            }
        }
        return Lang.fromAcceptLanguage(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
    }

    /** A value quoted back in a message: printable, at most 40 characters. */
    private static String safe(String s) {
        String t = s.replaceAll("[^\\p{L}\\p{N} ._:+-]", "?");
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }

    private static String path(UriInfo uri) {
        return uri.getRequestUri().getRawPath();
    }

    private static String base() {
        return DeliveryConfig.BASE_PATH + "/moderation";
    }
}
