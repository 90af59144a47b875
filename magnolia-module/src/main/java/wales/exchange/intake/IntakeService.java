package wales.exchange.intake;

import wales.exchange.delivery.Exchange;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.jcr.Node;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.comments.CommentPublisher;
import wales.exchange.comments.PersonalData;
import wales.exchange.content.ContentService;
import wales.exchange.content.FieldError;
import wales.exchange.content.ValidationException;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.http.Problems;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.index.Entry;
import wales.exchange.delivery.index.Sessions;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentType;
import wales.exchange.model.Fields;
import wales.exchange.moderation.ModerationService;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;

/**
 * The public intake behind the JAX-RS endpoints: contributions, comments, attachments, reports, and the contributor's
 * status, export and erasure by token. Every answer is built here, every error an RFC 9457 problem in the
 * contributor's language.
 *
 * <p>Order of checks on a submission: content type and size (415, 413), the JSON itself (400, with Jackson's read
 * constraints), the client address's limit (429), validation by the content model (400 with field errors), then the
 * honeypot and the minimum fill time (a bot gets the same 202 as a person, and nothing is stored), the email's limit
 * (429), duplicates (409), and the save (202: durable once answered). A multipart contribution (a file of up to
 * the attachment limit) is asked the address's limit and its share of the {@link ReadBudget} (503) before its body is
 * read, as the upload step is.
 */
@Singleton
public final class IntakeService {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeService.class);
    public static final int MAX_CONTRIBUTION_BYTES = 64 * 1024;
    public static final int MAX_COMMENT_BYTES = 16 * 1024;
    public static final int MAX_REPORT_BYTES = 4 * 1024;
    public static final int MAX_REASON = 500;
    /** Comment board sections besides the delivered types' segments. */
    public static final String HOME = "home";
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(MAX_CONTRIBUTION_BYTES)
                    .maxNumberLength(40).maxNameLength(200).maxDocumentLength(MAX_CONTRIBUTION_BYTES).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final IntakeStore store;
    private final IntakeWriter writer;
    private final IntakeTokens tokens;
    private final IntakeLimits limits;
    private final IntakeConfig config;
    private final Problems problems;
    private final Sessions sessions;
    private final SubmissionListener listener;
    private final DecisionReasons reasons;
    private final CommentPublisher publisher;
    private final DeliveryIndex index;
    private final DeliveryConfig delivery;
    private final ObjectMapper out;
    private final Clock clock;
    private final ContentService service;
    private final FormDrafts drafts;
    private final ReadBudget reads = new ReadBudget(ReadBudget.BYTES);

    @Inject
    public IntakeService(ContentService service, IntakeStore store, IntakeWriter writer, IntakeTokens tokens, IntakeLimits limits, IntakeConfig config, Problems problems,
                         Sessions sessions, SubmissionListener listener, DecisionReasons reasons, CommentPublisher publisher,
                         DeliveryIndex index, DeliveryConfig delivery, @Exchange ObjectMapper out, @Exchange Clock clock, FormDrafts drafts) {
        this.service = service;
        this.drafts = drafts;
        this.store = store;
        this.writer = writer;
        this.tokens = tokens;
        this.limits = limits;
        this.config = config;
        this.problems = problems;
        this.sessions = sessions;
        this.listener = listener;
        this.reasons = reasons;
        this.publisher = publisher;
        this.index = index;
        this.delivery = delivery;
        this.out = out;
        this.clock = clock;
    }

    /**
     * A session of the request's own, logged out after; opened when first asked for: a contribution without an
     * attachment never needs one (its writer has its own), and a login and logout are a large share of a request's cost.
     */
    static final class Owned implements AutoCloseable {
        private final Sessions sessions;
        private Session session;

        Owned(Sessions sessions) {
            this.sessions = sessions;
        }

        Session session() throws RepositoryException {
            if (session == null) {
                session = sessions.open();
            }
            return session;
        }

        @Override
        public void close() {
            if (session != null) {
                session.logout();
            }
        }
    }

    /** The request's language: {@code ?lang=} when valid, else Accept-Language. */
    public static Lang lang(HttpServletRequest request) {
        String p = queryParameter(request, "lang");
        return Optional.ofNullable(p).flatMap(Lang::parse).orElseGet(() -> Lang.fromAcceptLanguage(request.getHeader("Accept-Language")));
    }

    /** Whether the request names a language (?lang= or Accept-Language). */
    static boolean asked(HttpServletRequest request) {
        return queryParameter(request, "lang") != null || request.getHeader("Accept-Language") != null;
    }

    /**
     * A parameter of the query string only: {@code getParameter} would also parse a form-encoded body (of any size)
     * before the intake has checked its type and length.
     */
    static String queryParameter(HttpServletRequest request, String name) {
        String q = request.getQueryString();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if ((eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                try {
                    return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String instance(HttpServletRequest request) {
        return request.getRequestURI();
    }

    /** 404 {@code noRoute}: what a path that is no route answers. */
    public Response noRoute(HttpServletRequest request) {
        return problems.noRoute(lang(request), instance(request), delivery.basePath());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // form token

    public Response formToken(HttpServletRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(IntakeTypes.FORM_TOKEN, tokens.form());
        body.put("minFillSeconds", config.minFillTime().toSeconds());
        body.put("honeypot", IntakeTypes.HONEYPOT);
        return json(200, body, lang(request));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // what contributions and comments share

    /**
     * A form as sent: the answer's language, the language chosen in the form, the fields, and the two anti-bot fields
     * taken out of them.
     */
    private record Form(Lang lang, Lang formLang, Map<String, Object> input, Object honeypot, Object formToken,
                        ReadBudget.Lease lease) {
    }

    /**
     * Reads the body (at most {@code maxBytes}) and charges the client address: a {@link Form}, or the {@link Response}
     * refusing it. The language chosen in the form ({@code languageField}) is the sender's: stored and used for mail;
     * it is also the answer's unless the request names one (every browser sends Accept-Language: it says nothing of
     * the form's choice).
     */
    private Object open(HttpServletRequest request, int maxBytes, String languageField, String formType) {
        Lang lang = lang(request);
        ContentType type = formType == null ? null : store.model().get(formType);
        ReadBudget.Lease lease = null;
        if (type != null && MultipartForm.TYPE.equals(mediaType(request))) {
            // a body of up to ~10 MB: everything that needs no body is asked first, the address's limit included
            Object gate = multipartGate(request, maxBytes, lang);
            if (gate instanceof Response r) {
                return r;
            }
            lease = (ReadBudget.Lease) gate;
        }
        Object parsed;
        try {
            parsed = readBody(request, maxBytes, lang, type);
        } catch (RuntimeException | Error e) {
            close(lease);
            throw e;
        }
        if (parsed instanceof Response r) {
            close(lease);
            return r;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> input = (Map<String, Object>) parsed;
        if (lease == null) { // a multipart body's address was charged before it was read
            Response limited = addressLimit(request, lang);
            if (limited != null) {
                return limited;
            }
        }
        Object honeypot = input.remove(IntakeTypes.HONEYPOT);
        Object formToken = input.remove(IntakeTypes.FORM_TOKEN);
        Lang formLang = input.get(languageField) instanceof String chosen ? Lang.parse(chosen).orElse(lang) : lang;
        return new Form(asked(request) ? lang : formLang, formLang, input, honeypot, formToken, lease);
    }

    private static void close(ReadBudget.Lease lease) {
        if (lease != null) {
            lease.close();
        }
    }

    /**
     * What a multipart contribution is asked before its body is read, as the upload step is: its origin (403), its
     * boundary (400), the client address's limit (429: charged here, whatever the body turns out to be), then its
     * share of the {@link ReadBudget} (503 with Retry-After). The lease to hold while its bytes are, or the problem.
     */
    private Object multipartGate(HttpServletRequest request, int maxBytes, Lang lang) {
        if (!sameOrigin(request)) {
            return problems.response(403, "crossOrigin", lang, instance(request), "exchange.intake.crossOrigin", null, null);
        }
        if (MultipartForm.boundary(request.getContentType()) == null) {
            return problems.response(400, "badRequest", lang, instance(request), MultipartForm.UNREADABLE, null, null);
        }
        Response limited = addressLimit(request, lang);
        if (limited != null) {
            return limited;
        }
        long cap = multipartCap(maxBytes);
        long declared = request.getContentLengthLong();
        return lease(request, lang, declared >= 0 ? Math.min(declared, cap + 1) : cap + 1);
    }

    /** {@code bytes} of the {@link ReadBudget}, or 503 {@code unavailable} with Retry-After when they are not free. */
    private Object lease(HttpServletRequest request, Lang lang, long bytes) {
        ReadBudget.Lease lease = reads.tryTake(bytes);
        if (lease != null) {
            return lease;
        }
        Response r = problems.response(503, "unavailable", lang, instance(request), "exchange.intake.busy", null, null);
        return Response.fromResponse(r).header("Retry-After", Integer.toString(ReadBudget.RETRY_AFTER_SECONDS)).build();
    }

    /** The bytes free in the budget of files being read ({@link ReadBudget}): for monitoring and tests. */
    public int readBudgetFree() {
        return reads.free();
    }

    /** The request's media type, lower case, without parameters; empty when none. */
    private static String mediaType(HttpServletRequest request) {
        return request.getContentType() == null ? "" : request.getContentType().split(";")[0].strip().toLowerCase(Locale.ROOT);
    }

    /**
     * After cleaning: the model's errors, then a bot (the same 202 as a person, nothing stored), then the limit of the
     * address in {@code emailField} (a string once validated); null when the submission may be stored.
     */
    private Response refused(Owned s, HttpServletRequest request, Form form, ContentType type, List<FieldError> errors,
                             String emailField) throws RepositoryException {
        modelErrors(s, type, form.input(), errors);
        if (!errors.isEmpty()) {
            return validation(form.lang(), request, errors);
        }
        if (isBot(form.honeypot(), form.formToken())) {
            return bot(form.lang());
        }
        long wait = limits.email((String) form.input().get(emailField));
        return wait > 0 ? tooMany(form.lang(), request, wait, "exchange.intake.limit.email") : null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // contributions

    /**
     * {@code POST /contributions}: JSON (the API), or an HTML form ({@code application/x-www-form-urlencoded}, or
     * {@code multipart/form-data} with the attachment's file: the web page without JavaScript). A form post from a
     * browser that asks for HTML gets 303 to a page instead of the JSON answer: the submitted page with the reference
     * and status token, or the form page with the fields in error (and the key of what was typed, {@link FormDrafts})
     * or the problem (docs/pages.md). The checks and what is stored are the same.
     */
    public Response contribution(HttpServletRequest request) {
        boolean page = isForm(request) && wantsHtml(request) && sameOrigin(request);
        Map<String, List<String>> typed = page ? new LinkedHashMap<>() : null;
        AtomicReference<Instant> formIssued = new AtomicReference<>();
        Response r = contribution0(request, typed, formIssued);
        return page ? toPage(r, typed, formIssued.get()) : r;
    }

    /**
     * {@code typed}, when not null, receives the form's values as sent (the type's fields only: no file, honeypot or
     * token), and {@code formIssued} the issue instant of the form's token when the post was a person's
     * ({@link #humanIssued}).
     */
    private Response contribution0(HttpServletRequest request, Map<String, List<String>> typed, AtomicReference<Instant> formIssued) {
        Object opened = open(request, MAX_CONTRIBUTION_BYTES, IntakeTypes.PREFERRED_LANGUAGE, IntakeTypes.CONTRIBUTION);
        if (opened instanceof Response r) {
            return r;
        }
        Form form = (Form) opened;
        if (typed != null) {
            formIssued.set(humanIssued(form.honeypot(), form.formToken()));
        }
        try (ReadBudget.Lease lease = form.lease()) { // a multipart body's bytes are held until the submission is saved
            return contribution1(request, typed, form);
        }
    }

    private Response contribution1(HttpServletRequest request, Map<String, List<String>> typed, Form form) {
        Lang lang = form.lang();
        Lang formLang = form.formLang();
        Map<String, Object> input = form.input();
        ContentType type = store.model().get(IntakeTypes.CONTRIBUTION);
        if (typed != null) {
            typed(type, input, typed);
        }
        List<FieldError> errors = new ArrayList<>();
        IntakeStore.File file = null;
        if (input.get(IntakeTypes.ATTACHMENT) instanceof MultipartForm.FilePart part) {
            input.remove(IntakeTypes.ATTACHMENT);
            FieldError refusedFile = fileError(part);
            if (refusedFile != null) {
                errors.add(refusedFile);
            } else {
                // the file's id on the item, as an upload's would be; its bytes are written in the submission's own save
                file = new IntakeStore.File(part.body(), part.offset(), part.length(), part.contentType());
                input.put(IntakeTypes.ATTACHMENT, UUID.randomUUID().toString());
            }
        }
        clean(type, input, errors);
        require(input, errors, IntakeTypes.CONTRIBUTOR_NAME, IntakeTypes.CONTRIBUTOR_EMAIL);
        String uploadId = null;
        try (Owned owned = new Owned(sessions)) {
            if (file == null && input.containsKey(IntakeTypes.ATTACHMENT)) {
                Object a = input.get(IntakeTypes.ATTACHMENT);
                if (!(a instanceof String id) || store.upload(owned.session(), id).isEmpty()) {
                    errors.add(new FieldError(IntakeTypes.ATTACHMENT, "attachment"));
                    input.remove(IntakeTypes.ATTACHMENT);
                } else {
                    uploadId = id;
                }
            }
            Response refused = refused(owned, request, form, type, errors, IntakeTypes.CONTRIBUTOR_EMAIL);
            if (refused != null) {
                return refused;
            }
            String email = (String) input.get(IntakeTypes.CONTRIBUTOR_EMAIL); // a string now: validated
            String digest = digest(IntakeTypes.CONTRIBUTION, email, input.get(Fields.TITLE), input.get(Fields.DESCRIPTION));
            return store(owned, request, lang, formLang, type, input, digest, uploadId, file, null, null);
        } catch (RepositoryException e) {
            return failed(lang, request, e);
        }
    }

    /** The form's values as sent, by field, for {@link FormDrafts}: the type's fields but the attachment; every value a string. */
    private static void typed(ContentType type, Map<String, Object> input, Map<String, List<String>> typed) {
        for (Map.Entry<String, Object> e : input.entrySet()) {
            String name = e.getKey();
            if (type.property(name) == null || name.equals(IntakeTypes.ATTACHMENT) || name.equals(Fields.MODERATION_STATE)) {
                continue;
            }
            List<String> values = new ArrayList<>();
            if (e.getValue() instanceof List<?> l) {
                l.forEach(v -> values.add(String.valueOf(v)));
            } else if (e.getValue() != null) {
                values.add(String.valueOf(e.getValue()));
            }
            typed.put(name, values);
        }
    }

    /**
     * Why the form's file is refused, as the upload step refuses it: too large ({@code attachment.size}, also when the
     * body was cut off at its cap inside the file), or not an allowed type whose bytes are of that type
     * ({@code attachment.type}); null when it is taken.
     */
    private FieldError fileError(MultipartForm.FilePart part) {
        if (part.cut() || part.length() > config.maxAttachmentBytes()) {
            return new FieldError(IntakeTypes.ATTACHMENT, ATTACHMENT_SIZE, config.maxAttachmentBytes() / 1024);
        }
        if (!Attachments.ALLOWED.contains(part.contentType()) || part.length() == 0
                || !Attachments.matches(part.contentType(), part.body(), part.offset(), part.length())) {
            return new FieldError(IntakeTypes.ATTACHMENT, ATTACHMENT_TYPE);
        }
        return null;
    }

    /** Field error codes of a refused file ({@code exchange.error.<code>}). */
    public static final String ATTACHMENT_SIZE = "attachment.size";
    public static final String ATTACHMENT_TYPE = "attachment.type";

    // ---------------------------------------------------------------------------------------------------------------
    // comments

    public Response comment(HttpServletRequest request) {
        Object opened = open(request, MAX_COMMENT_BYTES, IntakeTypes.LANGUAGE, null); // JSON only (the item page's script sends it)
        if (opened instanceof Response r) {
            return r;
        }
        Form form = (Form) opened;
        Lang lang = form.lang();
        Lang formLang = form.formLang();
        Map<String, Object> input = form.input();
        ContentType type = store.model().get(IntakeTypes.COMMENT);
        // probable personal data is looked for in what was sent, before sanitizing can encode it, and in the text a
        // reader would see (tags out, entities decoded), so "0791&#49;123456" or "alex@example<b></b>.org" is held too
        String held = null;
        for (String f : List.of(Fields.BODY, IntakeTypes.DISPLAY_NAME)) {
            if (input.get(f) instanceof String s && (PersonalData.find(s).isPresent() || PersonalData.find(visible(s)).isPresent())) {
                held = PersonalData.REASON;
            }
        }
        List<FieldError> errors = new ArrayList<>();
        clean(type, input, errors);
        require(input, errors, IntakeTypes.EMAIL);
        String board = null;
        if (input.get(IntakeTypes.TARGET) instanceof String target) {
            board = board(target);
            if (board == null) {
                errors.add(new FieldError(IntakeTypes.TARGET, "target", String.join(", ", sections())));
            }
        }
        try (Owned owned = new Owned(sessions)) {
            Response refused = refused(owned, request, form, type, errors, IntakeTypes.EMAIL);
            if (refused != null) {
                return refused;
            }
            String email = (String) input.get(IntakeTypes.EMAIL); // a string now: validated
            String digest = digest(IntakeTypes.COMMENT, email, input.get(IntakeTypes.TARGET), input.get(Fields.BODY));
            boolean publishNow = held == null && config.postModerated().contains(board);
            return store(owned, request, lang, formLang, type, input, digest, null, null, held, publishNow ? board : null);
        } catch (RepositoryException e) {
            return failed(lang, request, e);
        }
    }

    /** Boards: the delivered types' segments and {@link #HOME}. */
    public List<String> sections() {
        List<String> out = new ArrayList<>();
        for (String t : delivery.publicTypes()) {
            out.add(delivery.segment(store.model().get(t)));
        }
        out.add(HOME);
        return out;
    }

    /** The board a comment target belongs to: a section by name, or the segment of a published item; null for neither. */
    String board(String target) {
        if (sections().contains(target)) {
            return target;
        }
        if (!ContentService.isId(target)) {
            return null;
        }
        Optional<Entry> e = index.entry(target);
        if (e.isEmpty() || !e.get().published || !delivery.publicTypes().contains(e.get().type.name())) {
            return null;
        }
        return delivery.segment(e.get().type);
    }

    public Response report(HttpServletRequest request, String commentId) {
        Lang lang = lang(request);
        Response limited = addressLimit(request, lang);
        if (limited != null) {
            return limited;
        }
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            Object parsed = readJson(request, MAX_REPORT_BYTES, lang);
            if (parsed instanceof Response r) {
                return r;
            }
            Object reason = ((Map<?, ?>) parsed).get("reason");
            List<FieldError> errors = new ArrayList<>();
            ((Map<?, ?>) parsed).keySet().stream().filter(k -> !"reason".equals(k))
                    .forEach(k -> errors.add(new FieldError(String.valueOf(k).matches("[A-Za-z0-9_]{1,64}") ? String.valueOf(k) : "?", "unknownField")));
            if (reason != null && !(reason instanceof String)) {
                errors.add(new FieldError("reason", "text"));
            } else if (reason != null && ((String) reason).codePointCount(0, ((String) reason).length()) > MAX_REASON) {
                errors.add(new FieldError("reason", "maxLength", MAX_REASON, ((String) reason).codePointCount(0, ((String) reason).length())));
            }
            if (!errors.isEmpty()) {
                return validation(lang, request, errors);
            }
        }
        try (Owned owned = new Owned(sessions)) {
            Session s = owned.session();
            ContentType type = store.model().get(IntakeTypes.COMMENT);
            Optional<Node> n = ContentService.isId(commentId) ? store.submission(s, commentId) : Optional.empty();
            if (n.isEmpty() || !n.get().isNodeType(type.nodeType()) || !CommentPublisher.PUBLISHED.equals(state(n.get()))) {
                return problems.notFound(lang, instance(request));
            }
            long reports;
            synchronized (IntakeService.class) {
                Node c = n.get();
                reports = (c.hasProperty(IntakeStore.REPORTS) ? c.getProperty(IntakeStore.REPORTS).getLong() : 0L) + 1;
                c.setProperty(IntakeStore.REPORTS, reports);
                s.save();
            }
            publisher.reported(s, commentId, reports);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("message", problems.messages().get(lang, "exchange.intake.reported"));
            return json(202, body, lang);
        } catch (RepositoryException e) {
            return failed(lang, request, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // attachments

    public Response upload(HttpServletRequest request) {
        Lang lang = lang(request);
        String declared = request.getContentType() == null ? "" : request.getContentType().split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!Attachments.ALLOWED.contains(declared)) {
            return problems.response(415, "unsupportedMediaType", lang, instance(request), "exchange.intake.attachment.types", null, null);
        }
        if (request.getContentLengthLong() > config.maxAttachmentBytes()) {
            return tooLarge(lang, request, config.maxAttachmentBytes());
        }
        Response limited = addressLimit(request, lang);
        if (limited != null) {
            return limited;
        }
        long declaredLength = request.getContentLengthLong();
        Object leased = lease(request, lang, declaredLength >= 0 ? declaredLength : config.maxAttachmentBytes() + 1L);
        if (leased instanceof Response r) {
            return r;
        }
        try (ReadBudget.Lease lease = (ReadBudget.Lease) leased) {
            return upload(request, lang, declared);
        }
    }

    private Response upload(HttpServletRequest request, Lang lang, String declared) {
        byte[] bytes;
        try {
            long length = request.getContentLengthLong(); // at most the limit (asked above)
            bytes = length >= 0 ? readExactly(request.getInputStream(), (int) length) : readCapped(request.getInputStream(), config.maxAttachmentBytes());
        } catch (IOException e) {
            return problems.response(400, "badRequest", lang, instance(request), "exchange.intake.body", null, null);
        }
        if (bytes == null) {
            return tooLarge(lang, request, config.maxAttachmentBytes());
        }
        if (bytes.length == 0 || !Attachments.matches(declared, bytes)) {
            return problems.response(415, "unsupportedMediaType", lang, instance(request), "exchange.intake.attachment.types", null, null);
        }
        try (Owned owned = new Owned(sessions)) {
            Session s = owned.session();
            String id = store.saveUpload(s, bytes, declared);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(IntakeTypes.ATTACHMENT, id);
            body.put("mimeType", declared);
            body.put("size", bytes.length);
            return json(201, body, lang);
        } catch (RepositoryException e) {
            return failed(lang, request, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // status, export, erasure

    public Response status(HttpServletRequest request, String token) {
        return bySubmission(request, token, (s, item, lang) -> {
            String state = state(item);
            SubmissionStatus status = SubmissionStatus.of(state);
            if (status == SubmissionStatus.IN_REVIEW && !reasons.takenUp(item)) {
                status = SubmissionStatus.RECEIVED; // waiting in the queue, nobody has taken it up yet
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reference", item.getProperty(IntakeStore.REFERENCE).getString());
            body.put("type", store.typeOf(item));
            body.put("status", status.code());
            body.put("statusLabel", problems.messages().get(lang, status.messageKey()));
            if (status == SubmissionStatus.DECLINED) {
                reasons.reason(item, lang).ifPresent(r -> body.put("reason", r));
            }
            if (item.hasProperty(IntakeStore.HELD_REASON) && status != SubmissionStatus.ACCEPTED) {
                body.put("held", problems.messages().get(lang, "exchange.intake.held." + item.getProperty(IntakeStore.HELD_REASON).getString()));
            }
            body.put("submitted", item.getProperty(ContentService.CREATED).getDate().toInstant().toString());
            body.put("lang", lang.tag());
            return json(200, body, lang);
        });
    }

    public Response export(HttpServletRequest request, String token) {
        return bySubmission(request, token, (s, item, lang) -> {
            Map<String, Object> body = store.export(s, item);
            body.put("status", SubmissionStatus.of(state(item)).code());
            return json(200, body, lang);
        });
    }

    public Response erase(HttpServletRequest request, String token) {
        return bySubmission(request, token, (s, item, lang) -> {
            String id = item.getIdentifier();
            synchronized (ModerationService.lockOf(id)) { // never in the middle of a moderator's transition
                s.refresh(false);
                Optional<Node> current = store.submission(s, id);
                if (current.isPresent()) {
                    store.erase(s, current.get());
                }
            }
            return Response.noContent().header("Cache-Control", "no-store").build();
        });
    }

    private interface ItemWork {
        Response run(Session s, Node item, Lang lang) throws RepositoryException;
    }

    private Response bySubmission(HttpServletRequest request, String token, ItemWork work) {
        Lang asked = lang(request);
        Optional<String> id = tokens.itemId(token);
        if (id.isEmpty()) {
            return problems.response(404, "notFound", asked, instanceWithoutToken(request), "exchange.intake.noSubmission", null, null);
        }
        try (Owned owned = new Owned(sessions)) {
            Session s = owned.session();
            Optional<Node> item = store.submission(s, id.get());
            if (item.isEmpty()) {
                return problems.response(404, "notFound", asked, instanceWithoutToken(request), "exchange.intake.noSubmission", null, null);
            }
            Lang lang = asked(request) ? asked : chosen(item.get(), asked);
            return work.run(s, item.get(), lang);
        } catch (RepositoryException e) {
            return failed(asked, request, e);
        }
    }

    /** The token is the contributor's key: a problem names the route, not the token. */
    private static String instanceWithoutToken(HttpServletRequest request) {
        String uri = request.getRequestURI();
        int i = uri.indexOf("/submissions/");
        return i < 0 ? uri : uri.substring(0, i + "/submissions/".length()) + "…";
    }

    /** The language the contributor chose with the submission. */
    private static Lang chosen(Node item, Lang fallback) throws RepositoryException {
        for (String f : List.of(IntakeTypes.PREFERRED_LANGUAGE, IntakeTypes.LANGUAGE)) {
            if (item.hasProperty(f)) {
                return Lang.parse(item.getProperty(f).getString()).orElse(fallback);
            }
        }
        return fallback;
    }

    private static String state(Node item) throws RepositoryException {
        return item.hasProperty(Fields.MODERATION_STATE) ? item.getProperty(Fields.MODERATION_STATE).getString() : null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    /** {@code lang}: the answer's; {@code formLang}: the contributor's, stored with the personal data and used for mail. */
    private Response store(Owned s, HttpServletRequest request, Lang lang, Lang formLang, ContentType type, Map<String, Object> input,
                           String digest, String uploadId, IntakeStore.File file, String held, String publishOnBoard) throws RepositoryException {
        Map<String, Object> content = new LinkedHashMap<>();
        Map<String, Object> personal = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : input.entrySet()) {
            PropertyDef p = type.property(e.getKey());
            (p != null && p.privateField() ? personal : content).put(e.getKey(), e.getValue());
        }
        String email = (String) input.get(type.name().equals(IntakeTypes.COMMENT) ? IntakeTypes.EMAIL : IntakeTypes.CONTRIBUTOR_EMAIL);
        String name = (String) input.get(type.name().equals(IntakeTypes.COMMENT) ? IntakeTypes.DISPLAY_NAME : IntakeTypes.CONTRIBUTOR_NAME);
        Lang l = formLang;
        IntakeStore.Stored stored;
        try {
            // saved by the intake's writer with the submissions queued meanwhile, in one save; returns once it is saved
            stored = writer.submit(new IntakeStore.Job(new IntakeStore.NewSubmission(type.name(), content, personal,
                    request.getRemoteAddr(), formLang, digest, uploadId, held, file), st -> new Submission(type.name(), st.id(),
                    st.reference(), l, email, name, "/submissions/" + tokens.status(st.id())), listener));
        } catch (IntakeStore.DuplicateException e) {
            return problems.response(409, "duplicate", lang, instance(request), "exchange.intake.duplicate", null, null);
        } catch (IntakeStore.NoSuchUploadException e) {
            return validation(lang, request, List.of(new FieldError(IntakeTypes.ATTACHMENT, "attachment")));
        } catch (ValidationException e) {
            return validation(lang, request, e.errors());
        }
        boolean published = false;
        if (publishOnBoard != null) {
            try {
                publisher.publish(s.session(), stored.id());
                published = true;
            } catch (RuntimeException | RepositoryException e) {
                // saved and pending: a moderator publishes it instead
                LOG.warn("comment {} not published at once on post-moderated board {}: {}", stored.id(), publishOnBoard, e.toString());
            }
        }
        return accepted(lang, stored.reference(), tokens.status(stored.id()), published ? SubmissionStatus.ACCEPTED : SubmissionStatus.RECEIVED,
                held);
    }

    private Response accepted(Lang lang, String reference, String token, SubmissionStatus status, String held) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reference", reference);
        body.put("status", status.code());
        body.put("statusLabel", problems.messages().get(lang, status.messageKey()));
        body.put("message", problems.messages().get(lang, status == SubmissionStatus.ACCEPTED ? "exchange.intake.published" : "exchange.intake.received"));
        if (held != null) {
            body.put("held", problems.messages().get(lang, "exchange.intake.held." + held));
        }
        body.put("token", token);
        String url = delivery.basePath() + "/submissions/" + token;
        body.put("statusUrl", url);
        Response r = json(202, body, lang);
        return Response.fromResponse(r).header("Location", url).build();
    }

    /** What a bot gets: the answer a person gets, for a submission that does not exist. */
    private Response bot(Lang lang) {
        return accepted(lang, IntakeStore.reference(), tokens.status(UUID.randomUUID().toString()), SubmissionStatus.RECEIVED, null);
    }

    /**
     * The issue instant of a person's form token: a valid token, an empty honeypot, and sent no sooner than the
     * minimum fill time after the token; null otherwise (a bot's post, a missing, forged or expired token). Only this
     * instant is carried into a form that comes back ({@link FormDrafts.Draft#formIssued}), so a bot gains nothing:
     * its form comes back with a token issued now, and a person's with a token no younger than theirs.
     */
    private Instant humanIssued(Object honeypot, Object formToken) {
        if (isBot(honeypot, formToken)) {
            return null;
        }
        return formToken instanceof String t ? tokens.formIssued(t).orElse(null) : null;
    }

    private boolean isBot(Object honeypot, Object formToken) {
        if (honeypot != null && !(honeypot instanceof String h && h.isBlank())) {
            return true;
        }
        if (config.minFillTime().isZero()) {
            return false;
        }
        Optional<Instant> issued = formToken instanceof String t ? tokens.formIssued(t) : Optional.empty();
        return issued.isEmpty() || issued.get().plus(config.minFillTime()).isAfter(clock.instant());
    }

    /** Tags out of plain text fields, sanitized HTML in long texts; fields the public may not set are unknown. */
    /** The text of {@code html} as a reader sees it: no tags, entities decoded, any space a plain space, no invisible characters. */
    static String visible(String html) {
        return HtmlCleaner.plain(html).replaceAll("\\p{Cf}", "").replaceAll("[\\h\\s]+", " ");
    }

    private static void clean(ContentType type, Map<String, Object> input, List<FieldError> errors) {
        input.remove(Fields.MODERATION_STATE);
        for (Map.Entry<String, Object> e : input.entrySet()) {
            PropertyDef p = type.property(e.getKey());
            if (p != null && e.getValue() instanceof String) {
                e.setValue(HtmlCleaner.clean(p, e.getValue())); // the one rule the moderation API's edits share
            }
        }
    }

    private static void require(Map<String, Object> input, List<FieldError> errors, String... fields) {
        for (String f : fields) {
            if (!(input.get(f) instanceof String s) || s.isBlank()) {
                if (!input.containsKey(f) || input.get(f) == null || input.get(f) instanceof String) {
                    errors.add(new FieldError(f, "required"));
                }
            }
        }
    }

    private void modelErrors(Owned s, ContentType type, Map<String, Object> input, List<FieldError> errors) throws RepositoryException {
        try {
            // the model reads the repository only to check references: without any, no session is opened
            serviceCheck(type.properties().stream().anyMatch(p -> p.type() == PropertyType.REFERENCE) ? s.session() : null, type, input);
        } catch (ValidationException e) {
            Set<String> seen = new LinkedHashSet<>();
            errors.forEach(x -> seen.add(x.field() + " " + x.code()));
            for (FieldError x : e.errors()) {
                if (seen.add(x.field() + " " + x.code())
                        && !(x.code().equals("required") && errors.stream().anyMatch(y -> y.field().equals(x.field())))) {
                    errors.add(x);
                }
            }
        }
    }

    private void serviceCheck(Session s, ContentType type, Map<String, Object> input) {
        service.check(s, type.name(), input, ContentService.CreateOptions.NONE, (t, id) -> false);
    }

    private Response validation(Lang lang, HttpServletRequest request, List<FieldError> errors) {
        return problems.response(400, "validation", lang, instance(request), "exchange.intake.invalid", errors, "exchange.error.");
    }

    private Response addressLimit(HttpServletRequest request, Lang lang) {
        long wait = limits.address(request.getRemoteAddr());
        return wait > 0 ? tooMany(lang, request, wait, "exchange.intake.limit.address") : null;
    }

    private Response tooMany(Lang lang, HttpServletRequest request, long wait, String detail) {
        Response r = problems.response(429, "tooManyRequests", lang, instance(request), detail, null, null);
        return Response.fromResponse(r).header("Retry-After", Long.toString(wait)).build();
    }

    private Response tooLarge(Lang lang, HttpServletRequest request, long limit) {
        return problems.detailed(413, "payloadTooLarge", lang, instance(request), "exchange.problem.payloadTooLarge.detail", Long.toString(limit));
    }

    private Response failed(Lang lang, HttpServletRequest request, Exception e) {
        if (wales.exchange.jcr.StorageFaults.unavailable(e)) {
            wales.exchange.jcr.StorageFaults.log(LOG, "intake " + request.getMethod(), e);
            return problems.storageUnavailable(lang, instance(request));
        }
        LOG.error("intake: {} failed: {}", request.getRequestURI().replaceAll("/submissions/[^/]+", "/submissions/…"), e.toString());
        return problems.response(500, "internal", lang, instance(request), null, null, null);
    }

    /**
     * The body as a map of fields, or the problem to answer (415, 413, 400, 403): a JSON object, or an HTML form
     * ({@code application/x-www-form-urlencoded}, UTF-8) read by the type's model: a boolean field is true for
     * {@code true} or {@code on} (a ticked checkbox), a multiple field collects its repeated values, an empty value is
     * no value (except the honeypot, kept as sent), and any other repeated name is a 400. A form from another origin
     * ({@code Origin} not this host) is refused with 403 {@code crossOrigin}: a form post needs no CORS preflight.
     */
    private Object readBody(HttpServletRequest request, int limit, Lang lang, ContentType type) {
        String ct = request.getContentType() == null ? "" : request.getContentType().split(";")[0].strip().toLowerCase(Locale.ROOT);
        boolean multipart = ct.equals(MultipartForm.TYPE) && type != null;
        boolean form = (ct.equals(FORM) || multipart) && type != null; // contributions only: comments and reports take JSON
        if (!ct.equals("application/json") && !form) {
            return problems.response(415, "unsupportedMediaType", lang, instance(request), "exchange.intake.json.type", null, null);
        }
        if (form && !sameOrigin(request)) {
            return problems.response(403, "crossOrigin", lang, instance(request), "exchange.intake.crossOrigin", null, null);
        }
        if (multipart) {
            return readMultipart(request, limit, lang, type);
        }
        if (request.getContentLengthLong() > limit) {
            return tooLarge(lang, request, limit);
        }
        byte[] bytes;
        try {
            bytes = readCapped(request.getInputStream(), limit);
        } catch (IOException e) {
            return problems.response(400, "badRequest", lang, instance(request), "exchange.intake.body", null, null);
        }
        if (bytes == null) {
            return tooLarge(lang, request, limit);
        }
        if (form) {
            Map<String, Object> map = formFields(new String(bytes, StandardCharsets.UTF_8), type);
            return map != null ? map : problems.response(400, "badRequest", lang, instance(request), "exchange.intake.form", null, null);
        }
        try {
            Object v = JSON.readValue(bytes, Object.class);
            if (!(v instanceof Map<?, ?> m)) {
                return problems.response(400, "badRequest", lang, instance(request), "exchange.intake.json.object", null, null);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = new LinkedHashMap<>((Map<String, Object>) m);
            return map;
        } catch (JsonProcessingException e) {
            return problems.response(400, "badRequest", lang, instance(request), "exchange.intake.json", null, null);
        } catch (IOException | RuntimeException e) {
            return problems.response(400, "badRequest", lang, instance(request), "exchange.intake.json", null, null);
        }
    }

    /**
     * A {@code multipart/form-data} body ({@link MultipartForm}): its text fields read as a form's (at most
     * {@code limit} bytes together), and its file, at most one, under {@code attachment} as a
     * {@link MultipartForm.FilePart}. At most {@link #multipartCap} bytes are read, whatever Content-Length says: a
     * body cut off there inside the file (the form's last field) still gives the fields, and a file that is too
     * large (a field error, so that the form comes back with what was typed); cut off anywhere else, 413.
     */
    private Object readMultipart(HttpServletRequest request, int limit, Lang lang, ContentType type) {
        String boundary = MultipartForm.boundary(request.getContentType());
        if (boundary == null) {
            return problems.response(400, "badRequest", lang, instance(request), MultipartForm.UNREADABLE, null, null);
        }
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, multipartCap(limit));
        long declared = request.getContentLengthLong();
        byte[] bytes;
        int length;
        boolean cut;
        try {
            if (declared >= 0) {
                // one array of the declared length (at most the cap), read once, parsed in place: no copy of the body
                bytes = new byte[(int) Math.min(declared, cap)];
                length = request.getInputStream().readNBytes(bytes, 0, bytes.length);
                cut = declared > cap && length == cap;
            } else { // chunked: read up to the cap and one more byte
                bytes = request.getInputStream().readNBytes(cap + 1);
                cut = bytes.length > cap;
                length = Math.min(bytes.length, cap);
            }
        } catch (IOException e) {
            return problems.response(400, "badRequest", lang, instance(request), "exchange.intake.body", null, null);
        }
        MultipartForm.Parsed parsed;
        try {
            parsed = MultipartForm.parse(bytes, length, cut, boundary, limit);
        } catch (MultipartForm.Malformed e) {
            return problems.response(400, "badRequest", lang, instance(request), e.messageKey, null, null);
        } catch (MultipartForm.TooLarge e) {
            return tooLarge(lang, request, cap);
        }
        Map<String, Object> map = fields(parsed.fields(), type);
        if (map == null) {
            return problems.response(400, "badRequest", lang, instance(request), MultipartForm.UNREADABLE, null, null);
        }
        if (parsed.file() != null) {
            if (!parsed.file().name().equals(IntakeTypes.ATTACHMENT) || map.containsKey(IntakeTypes.ATTACHMENT)) {
                return problems.response(400, "badRequest", lang, instance(request), MultipartForm.ONE_FILE, null, null);
            }
            map.put(IntakeTypes.ATTACHMENT, parsed.file());
        }
        return map;
    }

    /** The most bytes of a multipart contribution read: the form's cap, the attachment's, and room for the parts' headers. */
    long multipartCap(int limit) {
        return limit + config.maxAttachmentBytes() + MULTIPART_OVERHEAD;
    }

    static final int MULTIPART_OVERHEAD = 16 * 1024;

    /** The body as a JSON object, or the problem to answer (415, 413, 400). */
    private Object readJson(HttpServletRequest request, int limit, Lang lang) {
        return readBody(request, limit, lang, null);
    }

    static final String FORM = "application/x-www-form-urlencoded";
    /** Pages the HTML answers of a form post go to (docs/pages.md), under {@code /cy} for Welsh. */
    public static final String FORM_PAGE = "/contribute";
    public static final String SUBMITTED_PAGE = "/submitted";
    private static final int MAX_FORM_FIELDS = 100;

    /** An HTML form's post: url-encoded, or multipart (with a file). */
    static boolean isForm(HttpServletRequest request) {
        String ct = request.getContentType();
        String t = ct == null ? "" : ct.split(";")[0].strip();
        return t.equalsIgnoreCase(FORM) || t.equalsIgnoreCase(MultipartForm.TYPE);
    }

    /** A browser's form post: Accept names text/html (a JSON client sends application/json or nothing). */
    static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
    }

    /**
     * Whether a form comes from this site: a browser's {@code Sec-Fetch-Site} is {@code same-origin} (or {@code none}:
     * typed by the user); without it, an {@code Origin} names the request's Host. Without either (curl, an old
     * browser), or with {@code Origin: null} (what a browser sends for a page under {@code Referrer-Policy:
     * no-referrer}, which this server sets), only {@code Sec-Fetch-Site} could tell, so it is let through.
     */
    static boolean sameOrigin(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none");
        }
        String origin = request.getHeader("Origin");
        if (origin == null || origin.equals("null")) {
            return true;
        }
        String host = request.getHeader("Host");
        int scheme = origin.indexOf("://");
        return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }

    /** The fields of a form body by the type's model (see {@link #readBody}); null when it cannot be read. */
    static Map<String, Object> formFields(String body, ContentType type) {
        if (body.isEmpty()) {
            return new LinkedHashMap<>();
        }
        String[] pairs = body.split("&");
        if (pairs.length > MAX_FORM_FIELDS) {
            return null;
        }
        List<Map.Entry<String, String>> decoded = new ArrayList<>();
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                decoded.add(Map.entry(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return fields(decoded, type);
    }

    /** A form's decoded fields, in order, by the type's model (see {@link #readBody}); null when they cannot be read. */
    static Map<String, Object> fields(List<Map.Entry<String, String>> pairs, ContentType type) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (pairs.size() > MAX_FORM_FIELDS) {
            return null;
        }
        for (Map.Entry<String, String> pair : pairs) {
            String name = pair.getKey();
            String value = pair.getValue();
            PropertyDef p = type.property(name);
            if (p != null && p.multiple()) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) map.computeIfAbsent(name, k -> new ArrayList<>());
                if (!value.isBlank()) {
                    list.add(value);
                }
                continue;
            }
            if (map.containsKey(name)) {
                return null;
            }
            if (name.equals(IntakeTypes.HONEYPOT)) {
                map.put(name, value);
            } else if (value.isEmpty()) {
                map.put(name, null); // no value; a repeat is still caught
            } else if (p != null && p.type() == PropertyType.BOOLEAN) {
                map.put(name, value.equals("true") || value.equals("on") ? Boolean.TRUE : value.equals("false") ? Boolean.FALSE : value);
            } else {
                map.put(name, value);
            }
        }
        map.values().removeIf(v -> v == null || v instanceof List<?> l && l.isEmpty());
        return map;
    }

    /**
     * The answer to a browser's form post: 303 to the submitted page (202) or back to the form with the fields in error
     * (400 validation) or the problem's kind; the page is in the answer's language. No body; never stored.
     */
    private Response toPage(Response r, Map<String, List<String>> typed, Instant formIssued) {
        String prefix = "cy".equals(r.getHeaderString("Content-Language")) ? "/cy" : "";
        String location;
        try {
            com.fasterxml.jackson.databind.JsonNode body = r.getEntity() instanceof byte[] b ? JSON.readTree(b) : JSON.createObjectNode();
            if (r.getStatus() == 202) {
                location = prefix + SUBMITTED_PAGE + "?ref=" + enc(body.path("reference").asText()) + "&token=" + enc(body.path("token").asText());
            } else if (r.getStatus() == 400 && body.path("errors").isArray() && body.path("errors").size() > 0) {
                Map<String, String> codes = new LinkedHashMap<>();
                body.path("errors").forEach(e -> codes.putIfAbsent(e.path("field").asText().replaceAll("[^A-Za-z]", ""), e.path("code").asText()));
                location = prefix + FORM_PAGE + "?errors=" + enc(String.join(",", codes.keySet()));
                if (typed != null) {
                    // what was typed stays in memory under a single-use key: nothing personal goes into the address
                    location += "&form=" + drafts.keep(new FormDrafts.Draft(typed, codes, formIssued));
                }
            } else {
                String t = body.path("type").asText();
                String kind = t.substring(t.lastIndexOf('/') + 1);
                location = prefix + FORM_PAGE + "?problem=" + (Set.of("duplicate", "tooManyRequests", "payloadTooLarge").contains(kind) ? kind : "other");
            }
        } catch (IOException e) {
            location = prefix + FORM_PAGE + "?problem=other";
        }
        return Response.status(303).header("Location", location).header("Cache-Control", "no-store").header("Content-Length", 0)
                .header("Content-Language", prefix.isEmpty() ? "en" : "cy").build();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The {@code length} bytes a body declared, in one array of that length (no chunks to join); fewer if it ends before. */
    static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        int n = in.readNBytes(bytes, 0, length);
        return n == length ? bytes : java.util.Arrays.copyOf(bytes, n);
    }

    /** At most {@code limit} bytes; null when there are more. */
    static byte[] readCapped(InputStream in, long limit) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        return bytes.length > limit ? null : bytes;
    }

    /** The duplicate key: type, sender and text, normalized (case, spacing), hashed. */
    static String digest(String type, String email, Object a, Object b) {
        String text = (type + "\n" + email + "\n" + a + "\n" + b).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response json(int status, Object body, Lang lang) {
        try {
            byte[] bytes = out.writeValueAsBytes(body);
            return Response.status(status).type("application/json;charset=utf-8").header("Content-Length", bytes.length)
                    .header("Content-Language", lang.tag()).header("Cache-Control", "no-store").entity(bytes).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
