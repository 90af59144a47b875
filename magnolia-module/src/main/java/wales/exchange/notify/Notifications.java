package wales.exchange.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import javax.jcr.InvalidItemStateException;
import javax.jcr.ItemNotFoundException;
import javax.jcr.Node;
import javax.jcr.PathNotFoundException;
import javax.jcr.NodeIterator;
import javax.jcr.Property;
import javax.jcr.PropertyIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import wales.exchange.i18n.Lang;

/**
 * The notification outbox in the repository: {@link #enqueue} writes a notice as a node in the caller's session, so it is
 * saved by the caller's {@code session.save()} together with the change that causes it (both or neither), and a
 * {@link NotificationSender} delivers it after that save. Nothing is sent for a session that is never saved.
 *
 * <p>Layout: {@value #ROOT}/{@code S}/{@code ID}, {@code S} one of 16 shard folders (the first hex digit of the notice's
 * random id, so concurrent writers rarely touch the same folder), each notice an {@code nt:unstructured} node with
 * {@code mix:lockable} (the sender's claim is a session-scoped JCR lock). A notice is {@value #PENDING} until it is sent,
 * when it is removed, or {@value #FAILED} once its attempts are used up (kept with the last error for an operator, see
 * {@link #retry}). See docs/notifications.md.
 */
public final class Notifications {
    /** The outbox folder, under the workspace root (outside every content type's root, so never delivered). */
    public static final String ROOT = "/exchange-outbox";
    public static final String TO = "to";
    public static final String LANG = "lang";
    public static final String TEMPLATE = "template";
    /** Each parameter is a property named this prefix + the parameter's name. */
    public static final String PARAM_PREFIX = "param-";
    public static final String STATE = "state";
    public static final String CREATED = "created";
    public static final String ATTEMPTS = "attempts";
    public static final String NEXT_ATTEMPT = "nextAttempt";
    public static final String LAST_ATTEMPT = "lastAttempt";
    public static final String LAST_ERROR = "lastError";
    public static final String FAILED_AT = "failedAt";
    /** The id of the submission a notice to its contributor is about: its erasure deletes the notice. */
    public static final String ABOUT = "about";
    public static final String PENDING = "pending";
    public static final String FAILED = "failed";
    static final String FOLDER_TYPE = "nt:unstructured";
    static final String NOTICE_TYPE = "nt:unstructured";
    static final String LOCKABLE = "mix:lockable";
    static final String SHARDS = "0123456789abcdef";

    private Notifications() {
    }

    /** A notice as stored: its id, path and state, and for a failed one the number of attempts and the last error. */
    public record Stored(String id, String path, Notice notice, String state, long attempts, String lastError) {
    }

    /**
     * Adds {@code notice} to the outbox in {@code session}, not saved: the caller's {@code session.save()} saves it with
     * the rest of its changes, and only then can it be sent. Returns the notice's id (also the local part of its
     * Message-ID). Call {@link #install} once at start-up (the sender does) so that callers only ever add nodes.
     */
    public static String enqueue(Session session, Notice notice) throws RepositoryException {
        return enqueue(session, notice, null);
    }

    /**
     * {@link #enqueue(Session, Notice)} for a notice to a contributor about submission {@code about} (an item id):
     * {@link #removeAbout} deletes it when the submission is erased.
     */
    public static String enqueue(Session session, Notice notice, String about) throws RepositoryException {
        String id = UUID.randomUUID().toString();
        Node shard = folder(session, id);
        Node n = shard.addNode(id, NOTICE_TYPE);
        n.addMixin(LOCKABLE);
        n.setProperty(TO, notice.to());
        n.setProperty(LANG, notice.lang().tag());
        n.setProperty(TEMPLATE, notice.template().key());
        for (Map.Entry<String, String> p : notice.params().entrySet()) {
            n.setProperty(PARAM_PREFIX + p.getKey(), p.getValue());
        }
        n.setProperty(STATE, PENDING);
        n.setProperty(ATTEMPTS, 0L);
        Calendar now = calendar(Instant.now());
        n.setProperty(CREATED, now);
        n.setProperty(NEXT_ATTEMPT, now);
        if (about != null) {
            n.setProperty(ABOUT, about);
        }
        return id;
    }

    /** Removes (not saved: the caller saves) the notices about submission {@code itemId}; how many. */
    public static int removeAbout(Session session, String itemId) throws RepositoryException {
        return remove(session, n -> n.hasProperty(ABOUT) && itemId.equals(n.getProperty(ABOUT).getString()));
    }

    /**
     * Removes (not saved) the notices written before {@code limit}, pending or failed: an outbox holds addresses, and
     * nothing is kept longer than the intake's retention. How many.
     */
    public static int removeCreatedBefore(Session session, Instant limit) throws RepositoryException {
        return remove(session, n -> n.hasProperty(CREATED) && n.getProperty(CREATED).getDate().toInstant().isBefore(limit));
    }

    private interface NodeTest {
        boolean test(Node n) throws RepositoryException;
    }

    private static int remove(Session session, NodeTest which) throws RepositoryException {
        if (!session.nodeExists(ROOT)) {
            return 0;
        }
        int removed = 0;
        for (NodeIterator shards = session.getNode(ROOT).getNodes(); shards.hasNext(); ) {
            for (NodeIterator it = shards.nextNode().getNodes(); it.hasNext(); ) {
                Node n = it.nextNode();
                try {
                    if (which.test(n)) {
                        n.remove();
                        removed++;
                    }
                } catch (InvalidItemStateException | ItemNotFoundException | PathNotFoundException e) {
                    // sent and removed meanwhile: gone already
                }
            }
        }
        return removed;
    }

    /** Creates the outbox folders that are missing and saves them (in a session of its own: nothing else is pending). */
    public static void install(Session session) throws RepositoryException {
        Node root = session.nodeExists(ROOT) ? session.getNode(ROOT) : session.getRootNode().addNode(ROOT.substring(1), FOLDER_TYPE);
        for (char c : SHARDS.toCharArray()) {
            if (!root.hasNode(String.valueOf(c))) {
                root.addNode(String.valueOf(c), FOLDER_TYPE);
            }
        }
        session.save();
    }

    private static Node folder(Session session, String id) throws RepositoryException {
        String path = ROOT + "/" + id.charAt(0);
        if (session.nodeExists(path)) {
            return session.getNode(path);
        }
        // not installed yet (no sender has started): created here, in the caller's save
        Node root = session.nodeExists(ROOT) ? session.getNode(ROOT) : session.getRootNode().addNode(ROOT.substring(1), FOLDER_TYPE);
        return root.addNode(String.valueOf(id.charAt(0)), FOLDER_TYPE);
    }

    /** Every notice in the outbox (pending and failed), oldest first. */
    public static List<Stored> list(Session session) throws RepositoryException {
        for (int attempt = 1; ; attempt++) {
            try {
                List<Stored> all = new ArrayList<>();
                if (!session.nodeExists(ROOT)) {
                    return all;
                }
                for (NodeIterator shards = session.getNode(ROOT).getNodes(); shards.hasNext(); ) {
                    for (NodeIterator it = shards.nextNode().getNodes(); it.hasNext(); ) {
                        all.add(stored(it.nextNode()));
                    }
                }
                all.sort(java.util.Comparator.comparing(Stored::id));
                return all;
            } catch (InvalidItemStateException | ItemNotFoundException | PathNotFoundException e) {
                // a sender removed or claimed a notice while it was read: read again (a skipped node would be missed)
                if (attempt == 10) {
                    throw e;
                }
                session.refresh(true);
            }
        }
    }

    /** The notices that are {@value #PENDING}. */
    public static List<Stored> pending(Session session) throws RepositoryException {
        return list(session).stream().filter(s -> PENDING.equals(s.state())).toList();
    }

    /** The notices that are {@value #FAILED}. */
    public static List<Stored> failed(Session session) throws RepositoryException {
        return list(session).stream().filter(s -> FAILED.equals(s.state())).toList();
    }

    /** Makes a failed notice pending again with a fresh count of attempts (not saved: the caller saves). */
    public static void retry(Session session, String id) throws RepositoryException {
        Node n = session.getNode(ROOT + "/" + id.charAt(0) + "/" + id);
        n.setProperty(STATE, PENDING);
        n.setProperty(ATTEMPTS, 0L);
        n.setProperty(NEXT_ATTEMPT, calendar(Instant.now()));
        if (n.hasProperty(FAILED_AT)) {
            n.getProperty(FAILED_AT).remove();
        }
    }

    static Stored stored(Node n) throws RepositoryException {
        return new Stored(n.getName(), n.getPath(), notice(n), n.getProperty(STATE).getString(), n.getProperty(ATTEMPTS).getLong(),
                n.hasProperty(LAST_ERROR) ? n.getProperty(LAST_ERROR).getString() : null);
    }

    /** The notice a node holds (an {@link IllegalArgumentException} when it no longer makes one, e.g. a template gone). */
    static Notice notice(Node n) throws RepositoryException {
        Map<String, String> params = new LinkedHashMap<>();
        for (PropertyIterator it = n.getProperties(PARAM_PREFIX + "*"); it.hasNext(); ) {
            Property p = it.nextProperty();
            params.put(p.getName().substring(PARAM_PREFIX.length()), p.getString());
        }
        String tag = n.getProperty(LANG).getString();
        String key = n.getProperty(TEMPLATE).getString();
        return new Notice(n.getProperty(TO).getString(),
                Lang.parse(tag).orElseThrow(() -> new IllegalArgumentException("unknown language " + tag)),
                Template.byKey(key).orElseThrow(() -> new IllegalArgumentException("unknown template " + key)), params);
    }

    static Calendar calendar(Instant instant) {
        Calendar c = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        c.setTimeInMillis(instant.toEpochMilli());
        return c;
    }
}
