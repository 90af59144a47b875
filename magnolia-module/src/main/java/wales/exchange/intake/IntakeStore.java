package wales.exchange.intake;

import wales.exchange.delivery.Exchange;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.UUID;
import javax.jcr.Binary;
import javax.jcr.InvalidItemStateException;
import javax.jcr.ItemExistsException;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.Property;
import javax.jcr.PropertyIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.query.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.content.ContentService;
import wales.exchange.content.Item;
import wales.exchange.content.ValidationException;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.Fields;
import wales.exchange.model.PropertyDef;
import wales.exchange.notify.Notifications;

/**
 * The repository side of the intake. Content goes where the content service puts items of its type (validated by the
 * model, with the type's default moderation state); the contributor's personal data (the type's {@code private}
 * fields and the client address) goes into a record of its own under {@link #PERSONAL}, dated by day, which delivery
 * never reads, nothing versions, and {@link #purge} deletes whole days of once they are older than the retention.
 * Everything of one submission is saved in one {@code session.save()}: once that returns, the submission is durable.
 *
 * <p>Layout (workspace {@code exchange}, plain nodes, no versioning): {@code /intake/personal/<day>/<bucket>/<item id>},
 * {@code /intake/uploads/<day>/<2 hex>/<id>} (attachments
 * not yet sent with a contribution), {@code /intake/statistics/<yyyy-MM>} (counts of items erased, by type and state).
 * Every node name is made here from digits, hex or a date: nothing a client sends becomes a node name or part of a query.
 */
@Singleton
public final class IntakeStore {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeStore.class);
    public static final String ROOT = "/intake";
    public static final String PERSONAL = ROOT + "/personal";
    public static final String UPLOADS = ROOT + "/uploads";
    public static final String STATISTICS = ROOT + "/statistics";
    /** Properties the intake adds to an item's node (not model fields: never rendered). */
    public static final String REFERENCE = "exchange:reference";
    public static final String HELD_REASON = "exchange:heldReason";
    public static final String REPORTS = "exchange:reports";
    public static final String PERSONAL_RECORD = "exchange:personalRecord";
    /** The attachment's node under a contribution: {@code data} (binary), {@code mimeType}, {@code size}. */
    public static final String ATTACHMENT_NODE = "attachmentFile";
    /** Personal record properties besides the type's private fields. */
    public static final String P_ITEM = "item";
    public static final String P_TYPE = "type";
    public static final String P_CLIENT = "clientAddress";
    public static final String P_CREATED = "created";
    public static final String P_LANG = "lang";
    public static final String P_REFERENCE = "reference";
    /** The duplicate key (SHA-256 of type, email and text): personal data, kept in the personal record. */
    public static final String P_DIGEST = "digest";
    static final String FOLDER = ContentService.FOLDER_TYPE;
    static final String LEAF = ContentService.CONTENT_NODE_TYPE;
    /** The node type of personal records (exchange-nodetypes.cnd), so that the search index can leave them out. */
    public static final String PERSONAL_TYPE = "exchange:personalRecord";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;
    private static final String REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford: no I, L, O, U
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Object FOLDER_LOCK = new Object();
    private static final Object[] DIGEST_LOCKS = new Object[64];

    static {
        for (int i = 0; i < DIGEST_LOCKS.length; i++) {
            DIGEST_LOCKS[i] = new Object();
        }
    }

    private final ContentService service;
    private final Clock clock;
    private final IntakeConfig config;
    /**
     * Digests of today's and yesterday's submissions → their day, for duplicate detection without a node per digest
     * (each save under a parent rewrites its child list, so fewer nodes per submission is faster). Loaded from the
     * personal records of those days on first use; entries of older days are dropped by the purge.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, LocalDate> digests = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean digestsLoaded;

    @Inject
    public IntakeStore(ContentService service, @Exchange Clock clock, IntakeConfig config) {
        this.service = service;
        this.clock = clock;
        this.config = config;
    }

    public ContentModel model() {
        return service.model();
    }

    /** A submission to store: content (model fields that are not private), personal data (the private ones). */
    public record NewSubmission(String type, Map<String, Object> content, Map<String, Object> personal, String client, Lang lang,
                                String digest, String uploadId, String heldReason, File file) {
        /** Without a file sent with it (an attachment, if any, is an earlier upload: {@code uploadId}). */
        public NewSubmission(String type, Map<String, Object> content, Map<String, Object> personal, String client, Lang lang,
                             String digest, String uploadId, String heldReason) {
            this(type, content, personal, client, lang, digest, uploadId, heldReason, null);
        }
    }

    /**
     * A file sent with the submission itself (the form's multipart body), already sniffed and capped like an upload:
     * written under the item as {@link #ATTACHMENT_NODE}, as a claimed upload is, in the submission's own save.
     */
    public record File(byte[] bytes, int offset, int length, String mimeType) {
        /** A file of {@code length} bytes of {@code bytes} from {@code offset}: a slice of the body it came in, not a copy. */
        public File {
            java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        }

        public File(byte[] bytes, String mimeType) {
            this(bytes, 0, bytes.length, mimeType);
        }
    }

    /** What was stored. */
    public record Stored(String id, String reference, String path) {
    }

    /** The same submission (same sender, same text) arrived within the last day or two. */
    public static final class DuplicateException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** The attachment id names no upload that could still be attached. */
    public static final class NoSuchUploadException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Stores a validated submission, tells {@code listener} (before the save), and saves once. Throws
     * {@link DuplicateException} when its digest was seen today or yesterday.
     */
    public Stored submit(Session session, NewSubmission s, java.util.function.Function<Stored, Submission> describe,
                         SubmissionListener listener) throws RepositoryException {
        for (int attempt = 1; ; attempt++) {
            try {
                return submitOnce(session, s, describe, listener);
            } catch (InvalidItemStateException e) {
                // another session's save changed a parent in a way Jackrabbit could not merge: the session was
                // refreshed, nothing of this submission was saved; do it again
                if (attempt == 3) {
                    throw e;
                }
                LOG.warn("intake: save of a {} collided with another ({}), retrying", s.type(), e.getMessage());
            }
        }
    }

    private Stored submitOnce(Session session, NewSubmission s, java.util.function.Function<Stored, Submission> describe,
                              SubmissionListener listener) throws RepositoryException {
        Place place = place(s.type());
        ensure(session, place.folders());
        loadDigests(session);
        synchronized (DIGEST_LOCKS[Math.floorMod(s.digest().hashCode(), DIGEST_LOCKS.length)]) {
            try {
                Staged staged = stage(session, s, place, describe, listener, java.util.Set.of());
                session.save();
                remember(staged);
                return staged.stored();
            } catch (RepositoryException | RuntimeException e) {
                session.refresh(false);
                throw e;
            }
        }
    }

    /** A submission for the intake's writer ({@link IntakeWriter}): what to store, and whom to tell before the save. */
    public record Job(NewSubmission submission, java.util.function.Function<Stored, Submission> describe, SubmissionListener listener) {
    }

    /** A submission staged in a session, not saved yet: what it will be, and its duplicate key's day. */
    record Staged(Stored stored, String digest, LocalDate day) {
    }

    /**
     * Where a new submission goes: the time, its item's folder under the type's root ({@code yyyy/MM/dd/<bucket>}) and
     * its personal record's folder. Every folder has a few hundred children at most (a parent's child list is
     * rewritten with each save under it).
     */
    record Place(ZonedDateTime now, String type, String itemFolder, String personalFolder, String rootPath) {
        LocalDate day() {
            return now.toLocalDate();
        }

        String[] folders() {
            return new String[] {rootPath + "/" + itemFolder, personalFolder};
        }
    }

    Place place(String typeName) {
        return place(typeName, bucket());
    }

    /** A new bucket (two hex digits) for {@link #place(String, String)}. */
    static String bucket() {
        return String.format("%02x", RANDOM.nextInt(256));
    }

    /** The place of a new submission in {@code bucket}: the writer puts a whole batch into one bucket. */
    Place place(String typeName, String bucket) {
        ContentType type = service.model().get(typeName);
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ContentModel.ZONE);
        String itemFolder = String.format("%04d/%02d/%02d/%s", now.getYear(), now.getMonthValue(), now.getDayOfMonth(), bucket);
        return new Place(now, typeName, itemFolder, PERSONAL + "/" + DAY.format(now.toLocalDate()) + "/" + bucket, type.rootPath());
    }

    /**
     * Adds a validated submission (its item, personal record, attachment, and what {@code listener} writes) to the
     * session, not saved; its folders exist ({@link #ensure}). Throws {@link DuplicateException} when its digest was
     * saved today or yesterday or is among {@code pending} (staged, not saved yet), {@link NoSuchUploadException} or
     * {@link ValidationException} <b>before changing anything</b>; after another exception the session must be
     * discarded.
     */
    Staged stage(Session session, NewSubmission s, Place place, java.util.function.Function<Stored, Submission> describe,
                 SubmissionListener listener, java.util.Set<String> pending) throws RepositoryException {
        LocalDate seen = digests.get(s.digest());
        if (seen != null && !seen.isBefore(place.day().minusDays(1)) || pending.contains(s.digest())) {
            throw new DuplicateException();
        }
        Node upload = s.uploadId() == null ? null : upload(session, s.uploadId()).orElseThrow(NoSuchUploadException::new);
        String reference = reference();
        // validates first: a ValidationException changes nothing
        Node item = service.createUnsaved(session, s.type(), s.content(), "anonymous",
                new ContentService.CreateOptions(null, place.itemFolder(), reference.toLowerCase(java.util.Locale.ROOT)));
        String id = item.getIdentifier();
        item.setProperty(REFERENCE, reference);
        if (s.heldReason() != null) {
            item.setProperty(HELD_REASON, s.heldReason());
        }
        Node personal = session.getNode(place.personalFolder()).addNode(id, PERSONAL_TYPE);
        personal.setProperty(P_ITEM, id);
        personal.setProperty(P_TYPE, s.type());
        personal.setProperty(P_REFERENCE, reference);
        personal.setProperty(P_LANG, s.lang().tag());
        personal.setProperty(P_CREATED, GregorianCalendar.from(place.now()));
        if (s.client() != null) {
            personal.setProperty(P_CLIENT, s.client());
        }
        for (Map.Entry<String, Object> e : s.personal().entrySet()) {
            personal.setProperty(e.getKey(), String.valueOf(e.getValue()));
        }
        item.setProperty(PERSONAL_RECORD, personal.getPath());
        personal.setProperty(P_DIGEST, s.digest());
        if (upload != null) {
            session.move(upload.getPath(), item.getPath() + "/" + ATTACHMENT_NODE);
        } else if (s.file() != null) {
            writeFile(session, item.addNode(ATTACHMENT_NODE, LEAF), s.file());
        }
        Stored stored = new Stored(id, reference, item.getPath());
        listener.received(session, describe.apply(stored));
        return new Staged(stored, s.digest(), place.day());
    }

    /** After the save of {@code staged}: its digest is a duplicate's from now on. */
    void remember(Staged staged) {
        digests.put(staged.digest(), staged.day());
    }

    /** Reads the digests of today's and yesterday's personal records, once. */
    void loadDigests(Session session) throws RepositoryException {
        if (digestsLoaded) {
            return;
        }
        synchronized (digests) {
            if (digestsLoaded) {
                return;
            }
            LocalDate today = ZonedDateTime.now(clock).withZoneSameInstant(ContentModel.ZONE).toLocalDate();
            for (LocalDate d : List.of(today.minusDays(1), today)) {
                String path = PERSONAL + "/" + DAY.format(d);
                if (!session.nodeExists(path)) {
                    continue;
                }
                for (NodeIterator buckets = session.getNode(path).getNodes(); buckets.hasNext(); ) {
                    for (NodeIterator it = buckets.nextNode().getNodes(); it.hasNext(); ) {
                        Node r = it.nextNode();
                        if (r.hasProperty(P_DIGEST)) {
                            digests.merge(r.getProperty(P_DIGEST).getString(), d, (a, b) -> a.isAfter(b) ? a : b);
                        }
                    }
                }
            }
            digestsLoaded = true;
        }
    }

    /** Creates the folders of these paths that are missing, saved at once in one save (before any other change of the session). */
    static void ensure(Session session, String... paths) throws RepositoryException {
        List<String> missing = new ArrayList<>();
        for (String path : paths) {
            if (!session.nodeExists(path)) {
                missing.add(path);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        synchronized (FOLDER_LOCK) {
            for (int attempt = 0; ; attempt++) {
                try {
                    for (String path : missing) {
                        Node n = session.getRootNode();
                        for (String part : path.substring(1).split("/")) {
                            n = n.hasNode(part) ? n.getNode(part) : n.addNode(part, FOLDER);
                        }
                    }
                    session.save();
                    return;
                } catch (ItemExistsException | InvalidItemStateException e) {
                    session.refresh(false); // another process made it first
                    if (attempt > 2) {
                        throw e;
                    }
                }
            }
        }
    }

    /** A new reference: EX- and ten Crockford base-32 characters (50 random bits). */
    static String reference() {
        StringBuilder b = new StringBuilder("EX-");
        for (int i = 0; i < 10; i++) {
            b.append(REFERENCE_ALPHABET.charAt(RANDOM.nextInt(REFERENCE_ALPHABET.length())));
        }
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // uploads

    /** Stores an attachment to be sent with a contribution within a day; returns its id. */
    public String saveUpload(Session session, byte[] bytes, String mimeType) throws RepositoryException {
        String day = DAY.format(ZonedDateTime.now(clock).withZoneSameInstant(ContentModel.ZONE).toLocalDate());
        String id = UUID.randomUUID().toString();
        ensure(session, UPLOADS + "/" + day + "/" + id.substring(0, 2));
        try {
            writeFile(session, session.getNode(UPLOADS + "/" + day + "/" + id.substring(0, 2)).addNode(id.replace("-", ""), LEAF),
                    new File(bytes, mimeType));
            session.save();
            return id;
        } catch (RepositoryException | RuntimeException e) {
            session.refresh(false);
            throw e;
        }
    }

    /** An attachment's properties: {@code data} (binary), {@code mimeType}, {@code size}. */
    private static void writeFile(Session session, Node n, File file) throws RepositoryException {
        Binary binary = session.getValueFactory().createBinary(new ByteArrayInputStream(file.bytes(), file.offset(), file.length()));
        n.setProperty("data", binary);
        n.setProperty("mimeType", file.mimeType());
        n.setProperty("size", (long) file.length());
    }

    /** An unattached upload of today or yesterday. */
    public Optional<Node> upload(Session session, String id) throws RepositoryException {
        if (!ContentService.isId(id)) {
            return Optional.empty();
        }
        LocalDate today = ZonedDateTime.now(clock).withZoneSameInstant(ContentModel.ZONE).toLocalDate();
        for (LocalDate d : List.of(today, today.minusDays(1))) {
            String path = UPLOADS + "/" + DAY.format(d) + "/" + id.substring(0, 2) + "/" + id.replace("-", "");
            if (session.nodeExists(path)) {
                return Optional.of(session.getNode(path));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the contributor's view: status, export, erasure

    /** The submission's item node (a contribution or a comment), if it still exists. */
    public Optional<Node> submission(Session session, String id) throws RepositoryException {
        for (String t : IntakeTypes.ALL) {
            Optional<Node> n = service.node(session, service.model().get(t), id);
            if (n.isPresent()) {
                return n;
            }
        }
        return Optional.empty();
    }

    public String typeOf(Node item) throws RepositoryException {
        for (String t : IntakeTypes.ALL) {
            if (item.isNodeType(service.model().get(t).nodeType())) {
                return t;
            }
        }
        throw new IllegalStateException("not a submission: " + item.getPath());
    }

    /** The personal record of a submission, unless purged or erased. */
    public Optional<Node> personal(Session session, Node item) throws RepositoryException {
        if (!item.hasProperty(PERSONAL_RECORD)) {
            return Optional.empty();
        }
        String path = item.getProperty(PERSONAL_RECORD).getString();
        return path.startsWith(PERSONAL + "/") && session.nodeExists(path) ? Optional.of(session.getNode(path)) : Optional.empty();
    }

    /** Everything kept about a submission: its content, its personal record (if not purged), its status. */
    public Map<String, Object> export(Session session, Node item) throws RepositoryException {
        String type = typeOf(item);
        Item i = service.toItem(service.model().get(type), item);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", item.getProperty(REFERENCE).getString());
        out.put("type", type);
        out.put("id", i.id());
        out.put("submitted", i.created());
        out.put("content", i.values());
        Map<String, Object> personal = new LinkedHashMap<>();
        Optional<Node> p = personal(session, item);
        if (p.isPresent()) {
            for (PropertyDef d : service.model().get(type).properties()) {
                if (d.privateField() && p.get().hasProperty(d.name())) {
                    personal.put(d.name(), p.get().getProperty(d.name()).getString());
                }
            }
            if (p.get().hasProperty(P_CLIENT)) {
                personal.put(P_CLIENT, p.get().getProperty(P_CLIENT).getString());
            }
            if (p.get().hasProperty(P_LANG)) {
                personal.put("language", p.get().getProperty(P_LANG).getString());
            }
        }
        out.put("personalData", personal);
        if (item.hasNode(ATTACHMENT_NODE)) {
            Node a = item.getNode(ATTACHMENT_NODE);
            out.put("attachment", Map.of("mimeType", a.getProperty("mimeType").getString(), "size", a.getProperty("size").getLong()));
        }
        return out;
    }

    /** Deletes a submission and its personal data; its counts move to the statistics. */
    public void erase(Session session, Node item) throws RepositoryException {
        String type = typeOf(item);
        String state = item.hasProperty(Fields.MODERATION_STATE) ? item.getProperty(Fields.MODERATION_STATE).getString() : "unknown";
        Calendar created = item.getProperty(ContentService.CREATED).getDate();
        String month = month(created.toInstant());
        ensure(session, STATISTICS);
        try {
            Optional<Node> p = personal(session, item);
            String digest = null;
            if (p.isPresent()) {
                digest = p.get().hasProperty(P_DIGEST) ? p.get().getProperty(P_DIGEST).getString() : null;
                p.get().remove();
            }
            Notifications.removeAbout(session, item.getIdentifier()); // mail not yet sent holds the address
            item.remove();
            Node stats = session.getNode(STATISTICS);
            Node m = stats.hasNode(month) ? stats.getNode(month) : stats.addNode(month, LEAF);
            String key = type + "." + state;
            m.setProperty(key, (m.hasProperty(key) ? m.getProperty(key).getLong() : 0L) + 1);
            session.save();
            if (digest != null) {
                digests.remove(digest);
            }
        } catch (RepositoryException | RuntimeException e) {
            session.refresh(false);
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // retention and statistics

    /** What one purge removed. */
    public record Purged(int personalDays, int digestsForgotten, int uploadDays) {
    }

    /**
     * Deletes the personal records of days older than the retention (forgets duplicate digests older than yesterday) and uploads
     * never attached after a day. Items themselves stay (they hold no personal data), so statistics are unchanged.
     */
    public Purged purge(Session session) throws RepositoryException {
        LocalDate today = ZonedDateTime.now(clock).withZoneSameInstant(ContentModel.ZONE).toLocalDate();
        long retentionDays = Math.max(1, config.retention().toDays());
        try {
            int p = removeDaysBefore(session, PERSONAL, today.minusDays(retentionDays));
            int before = digests.size();
            digests.values().removeIf(d -> d.isBefore(today.minusDays(1)));
            int d = before - digests.size();
            int u = removeDaysBefore(session, UPLOADS, today.minusDays(1));
            int o = Notifications.removeCreatedBefore(session, clock.instant().minus(java.time.Duration.ofDays(retentionDays)));
            session.save();
            if (o > 0) {
                LOG.info("intake purge: {} notice(s) older than the retention removed from the outbox", o);
            }
            if (p + d + u > 0) {
                LOG.info("intake purge: {} day(s) of personal data, {} duplicate digest(s) forgotten, {} day(s) of unattached uploads", p, d, u);
            }
            return new Purged(p, d, u);
        } catch (RepositoryException | RuntimeException e) {
            session.refresh(false);
            throw e;
        }
    }

    private static int removeDaysBefore(Session session, String path, LocalDate limit) throws RepositoryException {
        if (!session.nodeExists(path)) {
            return 0;
        }
        int n = 0;
        for (NodeIterator it = session.getNode(path).getNodes(); it.hasNext(); ) {
            Node day = it.nextNode();
            LocalDate d;
            try {
                d = LocalDate.parse(day.getName(), DAY);
            } catch (java.time.format.DateTimeParseException e) {
                continue;
            }
            if (d.isBefore(limit)) {
                day.remove();
                n++;
            }
        }
        return n;
    }

    /**
     * Moderation statistics: month ({@code yyyy-MM} of submission) → type → state → count, of the items there are and
     * those erased. Purges never change them.
     */
    public Map<String, Map<String, Map<String, Long>>> statistics(Session session) throws RepositoryException {
        Map<String, Map<String, Map<String, Long>>> out = new TreeMap<>();
        for (String t : IntakeTypes.ALL) {
            ContentType type = service.model().get(t);
            // the node type is a model constant: no client input reaches this query
            Query q = session.getWorkspace().getQueryManager().createQuery(
                    "SELECT * FROM [" + type.nodeType() + "] AS n WHERE ISDESCENDANTNODE(n, [" + type.rootPath() + "])", Query.JCR_SQL2);
            for (NodeIterator it = q.execute().getNodes(); it.hasNext(); ) {
                Node n = it.nextNode();
                String state = n.hasProperty(Fields.MODERATION_STATE) ? n.getProperty(Fields.MODERATION_STATE).getString() : "unknown";
                String month = n.hasProperty(ContentService.CREATED) ? month(n.getProperty(ContentService.CREATED).getDate().toInstant()) : "unknown";
                add(out, month, t, state, 1);
            }
        }
        if (session.nodeExists(STATISTICS)) {
            for (NodeIterator it = session.getNode(STATISTICS).getNodes(); it.hasNext(); ) {
                Node m = it.nextNode();
                for (PropertyIterator pi = m.getProperties(); pi.hasNext(); ) {
                    Property p = pi.nextProperty();
                    int dot = p.getName().indexOf('.');
                    if (dot > 0 && !p.getName().contains(":")) {
                        add(out, m.getName(), p.getName().substring(0, dot), p.getName().substring(dot + 1), p.getLong());
                    }
                }
            }
        }
        return out;
    }

    private static void add(Map<String, Map<String, Map<String, Long>>> out, String month, String type, String state, long n) {
        out.computeIfAbsent(month, k -> new TreeMap<>()).computeIfAbsent(type, k -> new TreeMap<>()).merge(state, n, Long::sum);
    }

    private static String month(Instant instant) {
        ZonedDateTime z = instant.atZone(ContentModel.ZONE);
        return String.format("%04d-%02d", z.getYear(), z.getMonthValue());
    }

    /** All personal records' item ids (for tests and the purge check). */
    public List<String> personalRecords(Session session) throws RepositoryException {
        List<String> out = new ArrayList<>();
        if (session.nodeExists(PERSONAL)) {
            for (NodeIterator days = session.getNode(PERSONAL).getNodes(); days.hasNext(); ) {
                for (NodeIterator buckets = days.nextNode().getNodes(); buckets.hasNext(); ) {
                    for (NodeIterator it = buckets.nextNode().getNodes(); it.hasNext(); ) {
                        out.add(it.nextNode().getName());
                    }
                }
            }
        }
        return out;
    }

    static TimeZone utc() {
        return TimeZone.getTimeZone(ZoneOffset.UTC);
    }
}
