package wales.exchange.moderation;

import wales.exchange.delivery.Exchange;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.query.Query;
import org.apache.jackrabbit.util.ISO9075;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.content.ConflictException;
import wales.exchange.content.ContentException;
import wales.exchange.content.ContentService;
import wales.exchange.content.Item;
import wales.exchange.content.ValidationException;
import wales.exchange.i18n.Lang;
import wales.exchange.intake.IntakeStore;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.Fields;

/**
 * The moderation workflow on the repository: transitions checked by {@link Workflow} and written through the
 * {@link ContentService} (so a transition is an update at an expected revision: of two moderators moving the same item,
 * one wins and the other gets a {@link ConflictException}), with an audit entry, notes, claim and assignment, the
 * queue, scheduled publishing and the conversion of an accepted contribution into a draft.
 *
 * <p>Moderation records live apart from the content, {@code /exchange-moderation/items/<id>}: assignee, since when the
 * item is in its state, who submitted it, the schedule, {@code history/} (the audit trail, append-only: nothing in the
 * API changes or removes an entry) and {@code notes/} (internal, never delivered). Each change and its audit entry are
 * one {@code session.save()}.
 */
@Singleton
public final class ModerationService {
    private static final Logger LOG = LoggerFactory.getLogger(ModerationService.class);
    public static final String ROOT = "/exchange-moderation/items";
    /** The actor of scheduled transitions. */
    public static final String SCHEDULER = "scheduler";
    public static final int MAX_QUEUE = 100;
    private static final String UNSTRUCTURED = "nt:unstructured";
    /** The multi-valued property of an edit's audit entry naming the fields it changed. */
    private static final String FIELDS = "fields";
    private static final Object[] LOCKS = new Object[64];

    static {
        for (int i = 0; i < LOCKS.length; i++) {
            LOCKS[i] = new Object();
        }
    }

    private final ContentService content;
    private final ContentModel model;
    private final Clock clock;
    private final ModerationEvents events;

    @Inject
    public ModerationService(ContentService content, @Exchange Clock clock, ModerationEvents events) {
        this.content = content;
        this.model = content.model();
        this.clock = clock;
        this.events = events;
    }

    // ----------------------------------------------------------------------------------------------------- records

    /** One audit entry; {@code fields}: what an edit changed ({@code title.cy}, {@code kind}), empty for anything else. */
    public record HistoryEntry(OffsetDateTime at, String actor, String action, String from, String to, String reason,
                               List<String> fields) {
        public HistoryEntry {
            fields = fields == null ? List.of() : List.copyOf(fields);
        }

        public HistoryEntry(OffsetDateTime at, String actor, String action, String from, String to, String reason) {
            this(at, actor, action, from, to, reason, List.of());
        }
    }

    public record Note(OffsetDateTime at, String author, String text) {
    }

    /** An item as a moderator sees it. */
    /** {@code reports}: how many times readers reported it (a comment; 0 for anything else). */
    public record Detail(Item item, State state, String assignee, OffsetDateTime since, String submittedBy,
                         OffsetDateTime publishAt, OffsetDateTime unpublishAt, List<HistoryEntry> history, List<Note> notes,
                         List<String> missingWelsh, long reports) {
    }

    /** A line of the queue. {@code language}: the contributor's, a comment's, or the material's original one. */
    public record QueueEntry(String id, String type, State state, long revision, String title, String language,
                             String assignee, OffsetDateTime since, String createdBy, long reports) {
    }

    /**
     * The queue's filters, each optional: {@code type}, {@code state} (default in review), {@code language},
     * {@code assignee} (a user name, or {@code ""} for unassigned), age bounds (time in the state), {@code reported}
     * (only items readers reported; then the state defaults to any).
     */
    public record QueueFilter(String type, State state, String language, String assignee, Duration olderThan,
                              Duration newerThan, int offset, int limit, boolean reported) {
        public QueueFilter(String type, State state, String language, String assignee, Duration olderThan,
                           Duration newerThan, int offset, int limit) {
            this(type, state, language, assignee, olderThan, newerThan, offset, limit, false);
        }
    }

    public record Queue(int total, List<QueueEntry> items) {
    }

    // ----------------------------------------------------------------------------------------------------- reading

    public Optional<Detail> detail(Session s, String id) {
        try {
            Optional<Located> loc = locate(s, id);
            if (loc.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(detail(s, loc.get()));
        } catch (RepositoryException e) {
            throw new ContentException("cannot read moderation of " + id + ": " + e.getMessage(), e);
        }
    }

    private Detail detail(Session s, Located loc) throws RepositoryException {
        Item item = content.toItem(loc.type, loc.node);
        State state = stateOf(item);
        String recordPath = ROOT + "/" + item.id();
        List<HistoryEntry> history = new ArrayList<>();
        List<Note> notes = new ArrayList<>();
        String assignee = null;
        String submittedBy = null;
        OffsetDateTime since = item.created();
        OffsetDateTime publishAt = null;
        OffsetDateTime unpublishAt = null;
        if (s.nodeExists(recordPath)) {
            Node r = s.getNode(recordPath);
            assignee = str(r, "assignee");
            submittedBy = str(r, "submittedBy");
            since = r.hasProperty("since") ? date(r, "since") : since;
            publishAt = date(r, "publishAt");
            unpublishAt = date(r, "unpublishAt");
            history.addAll(history(r));
            if (r.hasNode("notes")) {
                for (NodeIterator it = r.getNode("notes").getNodes(); it.hasNext(); ) {
                    Node n = it.nextNode();
                    notes.add(new Note(date(n, "at"), str(n, "author"), str(n, "text")));
                }
            }
        }
        return new Detail(item, state, assignee, since, submittedBy, publishAt, unpublishAt, history, notes,
                Completeness.missingWelsh(loc.type, item.values()), reports(loc.node));
    }

    private static List<HistoryEntry> history(Node record) throws RepositoryException {
        List<HistoryEntry> history = new ArrayList<>();
        if (record.hasNode("history")) {
            for (NodeIterator it = record.getNode("history").getNodes(); it.hasNext(); ) {
                Node h = it.nextNode();
                List<String> fields = new ArrayList<>();
                if (h.hasProperty(FIELDS)) {
                    for (javax.jcr.Value v : h.getProperty(FIELDS).getValues()) {
                        fields.add(v.getString());
                    }
                }
                history.add(new HistoryEntry(date(h, "at"), str(h, "actor"), str(h, "action"), str(h, "from"),
                        str(h, "to"), str(h, "reason"), fields));
            }
        }
        return history;
    }

    public Queue queue(Session s, QueueFilter f) {
        State state = f.state() == null && !f.reported() ? State.IN_REVIEW : f.state();
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<QueueEntry> all = new ArrayList<>();
        try {
            for (ContentType type : model.types()) {
                if (f.type() != null && !f.type().equals(type.name())) {
                    continue;
                }
                @SuppressWarnings("deprecation")
                Query q = s.getWorkspace().getQueryManager().createQuery("/jcr:root" + ISO9075.encodePath(type.rootPath())
                        + "//element(*, " + type.nodeType() + ")"
                        + (state == null ? "" : "[@" + ContentModel.MODERATION_STATE + " = '" + state.tag() + "']")
                        + (f.reported() ? "[@" + IntakeStore.REPORTS + " > 0]" : ""), Query.XPATH);
                for (NodeIterator it = q.execute().getNodes(); it.hasNext(); ) {
                    Node n = it.nextNode();
                    Item item = content.toItem(type, n);
                    String recordPath = ROOT + "/" + item.id();
                    Node r = s.nodeExists(recordPath) ? s.getNode(recordPath) : null;
                    String assignee = r == null ? null : str(r, "assignee");
                    OffsetDateTime since = r != null && r.hasProperty("since") ? date(r, "since") : item.created();
                    String language = languageOf(item);
                    if (f.language() != null && !f.language().equals(language)) {
                        continue;
                    }
                    if (f.assignee() != null && !(f.assignee().isEmpty() ? assignee == null : f.assignee().equals(assignee))) {
                        continue;
                    }
                    Duration age = since == null ? Duration.ZERO : Duration.between(since, now);
                    if (f.olderThan() != null && age.compareTo(f.olderThan()) < 0
                            || f.newerThan() != null && age.compareTo(f.newerThan()) > 0) {
                        continue;
                    }
                    all.add(new QueueEntry(item.id(), type.name(), stateOf(item), item.revision(), titleOf(item), language,
                            assignee, since, item.createdBy(), reports(n)));
                }
            }
        } catch (RepositoryException e) {
            throw new ContentException("cannot list the queue: " + e.getMessage(), e);
        }
        all.sort(Comparator.comparing(QueueEntry::since, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(QueueEntry::id));
        int from = Math.min(f.offset(), all.size());
        return new Queue(all.size(), List.copyOf(all.subList(from, Math.min(all.size(), from + f.limit()))));
    }

    // ----------------------------------------------------------------------------------------------------- writing

    /**
     * Moves item {@code id}, seen at {@code expectedRevision}, to {@code to}; one save with its audit entry. Throws
     * {@link WorkflowException} (refused), {@link ModerationException} {@code notFound}, {@link ConflictException}
     * (someone else changed the item first).
     */
    public Detail transition(Session s, String id, long expectedRevision, State to, String reason, Account actor) {
        synchronized (lock(id)) {
            try {
                Located loc = locateOrThrow(s, id);
                return move(s, loc, expectedRevision, to, reason, actor.name(), actor.roles(), false);
            } catch (RepositoryException e) {
                discard(s);
                throw new ContentException("cannot move " + id + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                discard(s);
                throw e;
            }
        }
    }

    /**
     * Publishes a comment (or any item) in review at once, for a post-moderated board: in review to published, audited
     * with actor {@code policy} (e.g. {@code board:post-moderated}); moderators can withdraw it afterwards.
     */
    public Detail publishUnreviewed(Session s, String id, String policy) {
        synchronized (lock(id)) {
            try {
                Located loc = locateOrThrow(s, id);
                long revision = loc.node.getProperty(ContentService.REVISION).getLong();
                return move(s, loc, revision, State.PUBLISHED, null, policy, Set.of(Role.ADMINISTRATOR), true);
            } catch (RepositoryException e) {
                discard(s);
                throw new ContentException("cannot publish " + id + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                discard(s);
                throw e;
            }
        }
    }

    private Detail move(Session s, Located loc, long expectedRevision, State to, String reason, String actor, Set<Role> roles,
                        boolean system) throws RepositoryException {
        Item item = content.toItem(loc.type, loc.node);
        if (item.revision() != expectedRevision) {
            throw new ConflictException(item.id(), expectedRevision, item.revision());
        }
        State from = stateOf(item);
        Node record = record(s, item.id(), loc.type);
        String submittedBy = str(record, "submittedBy");
        if (system) {
            if (Workflow.find(from, to) == null) {
                throw new WorkflowException("invalidTransition", "no transition from " + from.tag() + " to " + to.tag());
            }
        } else {
            // the makers four-eyes keeps from approving: the item's editors, and who edited it through moderation since
            // it was last published (from the append-only audit trail)
            List<String> editors = new ArrayList<>(ContentService.editors(loc.node));
            Workflow.editorsSincePublication(history(record)).stream().filter(e -> !editors.contains(e)).forEach(editors::add);
            Workflow.check(new Workflow.Request(from, to, actor, roles, item.createdBy(), item.lastModifiedBy(), submittedBy,
                    editors, reason, Completeness.missingWelsh(loc.type, item.values())));
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        audit(record, now, actor, "transition", from.tag(), to.tag(), reason);
        record.setProperty("since", calendar(now));
        if (to == State.IN_REVIEW) {
            record.setProperty("submittedBy", actor);
        }
        if (to == State.PUBLISHED && record.hasProperty("publishAt")) {
            record.getProperty("publishAt").remove();
        }
        if (to != State.PUBLISHED && to != State.APPROVED && record.hasProperty("unpublishAt")) {
            record.getProperty("unpublishAt").remove();
        }
        if (to == State.DRAFT && record.hasProperty("publishAt")) {
            record.getProperty("publishAt").remove();
        }
        events.changed(s, new ModerationEvent(ModerationEvent.Kind.TRANSITION, loc.type.name(), item.id(), from, to, actor,
                reason, str(record, "assignee"), null, now));
        // a transition, not an edit: saves the record too, or discards it
        content.updateState(s, loc.type.name(), item.id(), expectedRevision, to.tag(), actor);
        return detail(s, locateOrThrow(s, item.id()));
    }

    /**
     * Edits the content of item {@code id}, seen at {@code expectedRevision}: {@code changes} names model properties,
     * as {@link ContentService#update} takes them (a value replaces, null removes, an i18n value merges per language;
     * a plain string for an i18n field is its English, merged likewise).
     * Only by an editor or more, only in a state {@link Workflow#EDITABLE}, only fields {@link Workflow#editable}
     * (else {@link ValidationException} {@code notEditable}, nothing written); a contribution's or comment's text is
     * cleaned as the public intake cleans it, rich text is sanitised by the content service. The edit and its audit
     * entry ({@value Workflow#EDIT}: who, when, which fields) are one save; the editor joins the item's editors, so
     * four-eyes keeps them from approving it. Throws {@link WorkflowException} ({@code notPermitted},
     * {@code notEditable}), {@link ModerationException} {@code notFound}, {@link ConflictException} (a stale
     * revision), {@link ValidationException}.
     */
    public Detail edit(Session s, String id, long expectedRevision, Map<String, Object> changes, Account actor) {
        synchronized (lock(id)) {
            try {
                Located loc = locateOrThrow(s, id);
                Item item = content.toItem(loc.type, loc.node);
                Workflow.checkEdit(stateOf(item), actor.roles());
                List<wales.exchange.content.FieldError> errors = new ArrayList<>();
                Map<String, Object> input = new LinkedHashMap<>();
                List<String> fields = new ArrayList<>();
                for (Map.Entry<String, Object> e : changes.entrySet()) {
                    wales.exchange.model.PropertyDef p = loc.type.property(e.getKey());
                    if (p == null) {
                        errors.add(new wales.exchange.content.FieldError(safeField(e.getKey()), "unknownField"));
                    } else if (!Workflow.editable(loc.type, p)) {
                        errors.add(new wales.exchange.content.FieldError(p.name(), "notEditable"));
                    } else {
                        Object v = e.getValue();
                        if (p.i18n() && v instanceof String english) {
                            // a plain string for an i18n field is its English only, merged: only what is sent changes
                            Map<String, Object> byLang = new LinkedHashMap<>();
                            byLang.put(wales.exchange.i18n.Lang.EN.tag(), english);
                            v = byLang;
                        }
                        if (wales.exchange.intake.IntakeTypes.ALL.contains(loc.type.name())) {
                            v = wales.exchange.intake.HtmlCleaner.clean(p, v);
                        }
                        input.put(p.name(), v);
                        if (p.i18n() && v instanceof Map<?, ?> byLang) {
                            byLang.keySet().forEach(l -> fields.add(p.name() + "." + l));
                        } else {
                            fields.add(p.name());
                        }
                    }
                }
                if (!errors.isEmpty()) {
                    throw new ValidationException(errors);
                }
                if (item.revision() != expectedRevision) {
                    throw new ConflictException(item.id(), expectedRevision, item.revision());
                }
                Node record = record(s, item.id(), loc.type);
                Node entry = audit(record, OffsetDateTime.now(clock), actor.name(), Workflow.EDIT, null, null, null);
                entry.setProperty(FIELDS, fields.toArray(new String[0]));
                // an edit: the content service validates, sanitises, adds the editor to the item's editors and saves
                // the audit entry with it, or discards both
                content.update(s, loc.type.name(), item.id(), expectedRevision, input, actor.name());
                return detail(s, locateOrThrow(s, item.id()));
            } catch (RepositoryException e) {
                discard(s);
                throw new ContentException("cannot edit " + id + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                discard(s);
                throw e;
            }
        }
    }

    private static String safeField(String key) {
        String t = key.replaceAll("[^A-Za-z0-9_.\\[\\]-]", "?");
        return t.length() > 64 ? t.substring(0, 64) + "…" : t;
    }

    /**
     * Sets the item's assignee ({@code null}: nobody); a moderator may assign anyone with the moderator role, and
     * claim ({@code assignee} = themselves, by either route) an item nobody else holds. Audited; setting the assignee
     * it already has changes nothing (no audit entry, no event).
     */
    public Detail assign(Session s, String id, String assignee, boolean claim, Account actor, Authenticator users) {
        synchronized (lock(id)) {
            try {
                Located loc = locateOrThrow(s, id);
                if (!mayAssign(actor.roles())) {
                    throw new WorkflowException("notPermitted", "assigning needs the role moderator");
                }
                if (assignee != null && !Role.MODERATOR.heldBy(users.rolesOf(assignee))) {
                    throw new ModerationException("noSuchUser", "no moderator " + assignee);
                }
                Node record = record(s, id, loc.type);
                String current = str(record, "assignee");
                boolean self = claim || actor.name().equals(assignee); // taking it oneself is a claim, whatever the route
                if (self && current != null && !current.equals(actor.name())) {
                    throw new ModerationException("alreadyClaimed", "claimed by " + current);
                }
                if (java.util.Objects.equals(current, assignee)) {
                    return detail(s, loc); // unchanged: no audit entry, no event (no second mail)
                }
                OffsetDateTime now = OffsetDateTime.now(clock);
                if (assignee == null) {
                    if (record.hasProperty("assignee")) {
                        record.getProperty("assignee").remove();
                    }
                } else {
                    record.setProperty("assignee", assignee);
                }
                audit(record, now, actor.name(), claim ? "claim" : "assign", null, null, assignee);
                events.changed(s, new ModerationEvent(ModerationEvent.Kind.ASSIGNMENT, loc.type.name(), id, null, null,
                        actor.name(), null, assignee, null, now));
                s.save();
                return detail(s, loc);
            } catch (RepositoryException e) {
                discard(s);
                throw new ContentException("cannot assign " + id + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                discard(s);
                throw e;
            }
        }
    }

    /** Adds an internal note (never delivered). */
    public Note addNote(Session s, String id, String text, Account actor) {
        synchronized (lock(id)) {
            try {
                Located loc = locateOrThrow(s, id);
                Node record = record(s, id, loc.type);
                Node notes = record.hasNode("notes") ? record.getNode("notes") : record.addNode("notes", UNSTRUCTURED);
                OffsetDateTime now = OffsetDateTime.now(clock);
                Node n = notes.addNode(String.format(Locale.ROOT, "%06d", notes.getNodes().getSize()), UNSTRUCTURED);
                n.setProperty("at", calendar(now));
                n.setProperty("author", actor.name());
                n.setProperty("text", text);
                s.save();
                return new Note(now, actor.name(), text);
            } catch (RepositoryException e) {
                discard(s);
                throw new ContentException("cannot add a note to " + id + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                discard(s);
                throw e;
            }
        }
    }

    /**
     * Whether {@code actor} may claim item {@code id}: nobody else holds it (the {@code alreadyClaimed} rule of
     * {@link #assign}, which the apps' availability shares). Reads the moderation record without making one.
     */
    public static boolean claimable(Session s, String id, String actor) throws RepositoryException {
        String path = ROOT + "/" + id;
        if (!s.nodeExists(path)) {
            return true;
        }
        String current = str(s.getNode(path), "assignee");
        return current == null || current.equals(actor);
    }

    /** Whether someone holding {@code roles} may claim, assign and schedule items (the moderator role). */
    public static boolean mayAssign(java.util.Collection<Role> roles) {
        return Role.MODERATOR.heldBy(roles);
    }

    /**
     * Whether an item in {@code state} may get a {@code publishAt} ({@code publish}: approved only) or an
     * {@code unpublishAt} (approved or published): the one rule {@link #schedule} and the apps' availability share.
     */
    public static boolean schedulable(State state, boolean publish) {
        return publish ? state == State.APPROVED : state == State.APPROVED || state == State.PUBLISHED;
    }

    /**
     * Schedules publishing (an approved item, at {@code publishAt}) and unpublishing (an approved or published item, at
     * {@code unpublishAt}); null clears. {@link #runDue} makes the transitions when the clock reaches them.
     */
    public Detail schedule(Session s, String id, OffsetDateTime publishAt, OffsetDateTime unpublishAt, Account actor) {
        synchronized (lock(id)) {
            try {
                Located loc = locateOrThrow(s, id);
                State state = stateOf(content.toItem(loc.type, loc.node));
                if (!mayAssign(actor.roles())) {
                    throw new WorkflowException("notPermitted", "scheduling needs the role moderator");
                }
                if (publishAt != null && !schedulable(state, true)) {
                    throw new ModerationException("badSchedule", "only an approved item can be scheduled for publishing");
                }
                if (unpublishAt != null && !schedulable(state, false)) {
                    throw new ModerationException("badSchedule", "only an approved or published item can be scheduled for unpublishing");
                }
                if (publishAt != null && unpublishAt != null && !unpublishAt.isAfter(publishAt)) {
                    throw new ModerationException("badSchedule", "unpublishing must come after publishing");
                }
                Node record = record(s, id, loc.type);
                setOrRemove(record, "publishAt", publishAt);
                setOrRemove(record, "unpublishAt", unpublishAt);
                audit(record, OffsetDateTime.now(clock), actor.name(), "schedule", null, null,
                        "publishAt=" + publishAt + " unpublishAt=" + unpublishAt);
                s.save();
                return detail(s, loc);
            } catch (RepositoryException e) {
                discard(s);
                throw new ContentException("cannot schedule " + id + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                discard(s);
                throw e;
            }
        }
    }

    /**
     * Makes the scheduled transitions that are due by the clock (approved to published, published to withdrawn), as
     * {@value #SCHEDULER}; how many it made. One that fails is logged in one line and tried again next time.
     */
    public int runDue(Session s) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<String[]> due = new ArrayList<>();
        try {
            if (!s.nodeExists(ROOT)) {
                return 0;
            }
            for (NodeIterator it = s.getNode(ROOT).getNodes(); it.hasNext(); ) {
                Node r = it.nextNode();
                OffsetDateTime p = date(r, "publishAt");
                OffsetDateTime u = date(r, "unpublishAt");
                if (p != null && !p.isAfter(now)) {
                    due.add(new String[] {r.getName(), State.PUBLISHED.tag()});
                } else if (u != null && !u.isAfter(now)) {
                    due.add(new String[] {r.getName(), State.WITHDRAWN.tag()});
                }
            }
        } catch (RepositoryException e) {
            throw new ContentException("cannot read schedules: " + e.getMessage(), e);
        }
        int done = 0;
        for (String[] d : due) {
            String id = d[0];
            State to = State.parse(d[1]).orElseThrow();
            synchronized (lock(id)) {
                try {
                    Optional<Located> loc = locate(s, id);
                    if (loc.isEmpty()) {
                        continue;
                    }
                    State state = stateOf(content.toItem(loc.get().type, loc.get().node));
                    Node record = record(s, id, loc.get().type);
                    if (to == State.PUBLISHED && state != State.APPROVED || to == State.WITHDRAWN && state != State.PUBLISHED) {
                        // no longer applies (moved by hand): drop it, audited
                        String prop = to == State.PUBLISHED ? "publishAt" : "unpublishAt";
                        if (to == State.WITHDRAWN && state == State.APPROVED) {
                            continue; // waits for publishing
                        }
                        record.getProperty(prop).remove();
                        audit(record, now, SCHEDULER, "scheduleDropped", state.tag(), to.tag(), null);
                        s.save();
                        continue;
                    }
                    if (to == State.WITHDRAWN) {
                        record.getProperty("unpublishAt").remove();
                    }
                    long revision = loc.get().node.getProperty(ContentService.REVISION).getLong();
                    move(s, loc.get(), revision, to, null, SCHEDULER, Set.of(Role.ADMINISTRATOR), true);
                    done++;
                } catch (RepositoryException | RuntimeException e) {
                    discard(s);
                    LOG.warn("scheduled {} of {} failed, tried again next run: {}", to.tag(), id, e.toString());
                }
            }
        }
        return done;
    }

    /** What a contribution can become. */
    public static final Set<String> CONVERSION_TYPES = Set.of("resource", "caseStudy");
    /** The property of a resource or case study naming the contribution it was made from. */
    public static final String SOURCE = Fields.SOURCE_CONTRIBUTION;

    /**
     * Makes a draft {@code targetType} (resource or case study) from an accepted (approved) contribution, linked to it
     * by {@value #SOURCE}; the contribution's history records it. The draft goes through the workflow like any other.
     */
    public Item convert(Session s, String contributionId, String targetType, Account actor) {
        if (!CONVERSION_TYPES.contains(targetType)) {
            throw new ModerationException("notConvertible", "a contribution becomes a resource or a caseStudy");
        }
        if (!Role.EDITOR.heldBy(actor.roles())) {
            throw new WorkflowException("notPermitted", "converting needs the role editor");
        }
        synchronized (lock(contributionId)) {
            try {
                Located loc = locateOrThrow(s, contributionId);
                Item c = content.toItem(loc.type, loc.node);
                if (!loc.type.name().equals("contribution") || stateOf(c) != State.APPROVED) {
                    throw new ModerationException("notConvertible", "only an approved (accepted) contribution can be converted");
                }
                Map<String, Object> v = c.values();
                String lang = String.valueOf(v.getOrDefault("preferredLanguage", Lang.EN.tag()));
                Map<String, Object> input = new LinkedHashMap<>();
                input.put(Fields.TITLE, Map.of(lang, v.get(Fields.TITLE)));
                String description = String.valueOf(v.get(Fields.DESCRIPTION));
                input.put(Fields.SUMMARY, Map.of(lang, description.length() > 2000 ? description.substring(0, 2000) : description));
                if ("resource".equals(targetType)) {
                    input.put(Fields.KIND, v.get("category"));
                    if (v.get("links") instanceof List<?> links && !links.isEmpty()) {
                        input.put(Fields.LINK, links.get(0));
                    }
                    // the contribution's attachment is not carried over: it is an upload kept under the contribution,
                    // not an asset, so its id would be a dead file; the editor attaches the file (docs/moderation.md)
                    if (v.get(Fields.LICENCE) != null) {
                        input.put(Fields.LICENCE, v.get(Fields.LICENCE));
                    }
                } else {
                    input.put("consentToPublish", v.getOrDefault("consentToPublish", Boolean.FALSE));
                }
                input.put(SOURCE, c.id());
                input.put(ContentModel.MODERATION_STATE, State.DRAFT.tag());
                Node record = record(s, c.id(), loc.type);
                OffsetDateTime now = OffsetDateTime.now(clock);
                Node entry = audit(record, now, actor.name(), "convert", null, null, targetType);
                // the new item's id is known only once created: the same save (create saves the session)
                String newId = java.util.UUID.randomUUID().toString();
                entry.setProperty("created", newId);
                events.changed(s, new ModerationEvent(ModerationEvent.Kind.CONVERSION, "contribution", c.id(), null, null,
                        actor.name(), null, null, newId, now));
                return content.create(s, targetType, input, actor.name(), new ContentService.CreateOptions(newId, null, null));
            } catch (RepositoryException e) {
                discard(s);
                throw new ContentException("cannot convert " + contributionId + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                discard(s);
                throw e;
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    private record Located(ContentType type, Node node) {
    }

    private Optional<Located> locate(Session s, String id) throws RepositoryException {
        if (!ContentService.isId(id)) {
            return Optional.empty();
        }
        for (ContentType t : model.types()) {
            Optional<Node> n = content.node(s, t, id);
            if (n.isPresent()) {
                return Optional.of(new Located(t, n.get()));
            }
        }
        return Optional.empty();
    }

    private Located locateOrThrow(Session s, String id) throws RepositoryException {
        return locate(s, id).orElseThrow(() -> new ModerationException("notFound", "no item " + id));
    }

    private static long reports(Node n) throws RepositoryException {
        return n.hasProperty(IntakeStore.REPORTS) ? n.getProperty(IntakeStore.REPORTS).getLong() : 0L;
    }

    private static State stateOf(Item item) {
        return State.parse((String) item.values().get(ContentModel.MODERATION_STATE)).orElse(State.DRAFT);
    }

    private static Node record(Session s, String id, ContentType type) throws RepositoryException {
        Node n = s.getRootNode();
        for (String part : ROOT.substring(1).split("/")) {
            n = n.hasNode(part) ? n.getNode(part) : n.addNode(part, UNSTRUCTURED);
        }
        if (n.hasNode(id)) {
            return n.getNode(id);
        }
        Node r = n.addNode(id, UNSTRUCTURED);
        r.setProperty("type", type.name());
        return r;
    }

    private static Node audit(Node record, OffsetDateTime at, String actor, String action, String from, String to, String reason)
            throws RepositoryException {
        Node history = record.hasNode("history") ? record.getNode("history") : record.addNode("history", UNSTRUCTURED);
        Node h = history.addNode(String.format(Locale.ROOT, "%06d", history.getNodes().getSize()), UNSTRUCTURED);
        h.setProperty("at", calendar(at));
        h.setProperty("actor", actor);
        h.setProperty("action", action);
        if (from != null) {
            h.setProperty("from", from);
        }
        if (to != null) {
            h.setProperty("to", to);
        }
        if (reason != null) {
            h.setProperty("reason", reason);
        }
        return h;
    }

    private static String languageOf(Item item) {
        Map<String, Object> v = item.values();
        for (String name : List.of("preferredLanguage", "language", Fields.ORIGINAL_LANGUAGE)) {
            if (v.get(name) instanceof String s) {
                return s;
            }
        }
        return null;
    }

    private static String titleOf(Item item) {
        Object t = item.values().get(Fields.TITLE);
        if (t instanceof Map<?, ?> m) {
            Object en = m.get(Lang.EN.tag());
            return String.valueOf(en != null ? en : m.get(Lang.CY.tag()));
        }
        if (t != null) {
            return t.toString();
        }
        Object body = item.values().get(Fields.BODY);
        String b = body == null ? "" : body.toString();
        return b.length() > 80 ? b.substring(0, 80) + "…" : b;
    }

    private static void setOrRemove(Node n, String name, OffsetDateTime v) throws RepositoryException {
        if (v == null) {
            if (n.hasProperty(name)) {
                n.getProperty(name).remove();
            }
        } else {
            n.setProperty(name, calendar(v));
        }
    }

    private static GregorianCalendar calendar(OffsetDateTime d) {
        return GregorianCalendar.from(ZonedDateTime.ofInstant(d.toInstant(), ContentModel.ZONE));
    }

    private static String str(Node n, String name) throws RepositoryException {
        return n.hasProperty(name) ? n.getProperty(name).getString() : null;
    }

    private static OffsetDateTime date(Node n, String name) throws RepositoryException {
        return n.hasProperty(name) ? OffsetDateTime.ofInstant(n.getProperty(name).getDate().toInstant(), ContentModel.ZONE) : null;
    }

    /**
     * The lock every change to item {@code id} through moderation holds; the intake's erasure holds it too, so that
     * a transition and an erasure of one item never interleave.
     */
    public static Object lockOf(String id) {
        return lock(id);
    }

    private static Object lock(String id) {
        return LOCKS[Math.floorMod(id.hashCode(), LOCKS.length)];
    }

    private static void discard(Session s) {
        try {
            s.refresh(false);
        } catch (RepositoryException e) {
            // the session is broken; the caller sees the original failure
        }
    }
}
