package wales.exchange.delivery.index;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.query.Query;
import javax.jcr.query.QueryManager;
import wales.exchange.content.ContentService;
import wales.exchange.delivery.index.SnapshotStore.Stamp;
import wales.exchange.jcr.RepositoryCheck;
import wales.exchange.model.ContentType;

/**
 * What the repository holds now, per delivered type, to check a saved snapshot against: the number of items and the
 * newest {@code mgnl:lastModified}, both from the search index, never reading every bundle: Jackrabbit counts the hits
 * of a query by node type, and the newest is confirmed by two queries with a limit of one or found by a sorted one with
 * a limit of one. Every save through the content service sets lastModified to now, so an item added, changed,
 * published, moved or removed while the server was stopped changes one or the other.
 *
 * <p>The queries select by node type only, without the type's root path: a path constraint makes Jackrabbit resolve the
 * ancestors of every hit (about 2 s at 100k items on a fresh start, most of a restart's check). Items of a type live
 * under its root path only (the content service creates them there), so the count is the same; a node of the type
 * elsewhere would make it differ, and the snapshot would be refused, never wrongly trusted.
 */
final class RepositoryStamps {
    private RepositoryStamps() {
    }

    static Map<String, Stamp> of(Session session, List<ContentType> types) throws RepositoryException {
        return of(session, types, Map.of());
    }

    /**
     * As {@link #of(Session, List)}, the same stamps, cheaper when they are what {@code expected} says (a restart's
     * check against its snapshot's stamps): a type's newest lastModified is then confirmed by two queries with a
     * limit of one ("none newer", "one as new", that one node read), where the sorted query makes Jackrabbit read the
     * lastModified of every item of the workspace into its field cache first (the check took about 0.5 s less at 100k
     * items, docs/benchmarks.md; also for a type without items, which is not queried at all). When they do not
     * confirm it, the sorted query answers.
     */
    static Map<String, Stamp> of(Session session, List<ContentType> types, Map<String, Stamp> expected)
            throws RepositoryException {
        QueryManager qm = session.getWorkspace().getQueryManager();
        Map<String, Stamp> out = new LinkedHashMap<>();
        for (ContentType t : types) {
            String all = "//element(*, " + t.nodeType() + ")";
            Stamp hint = expected.get(t.name());
            long count = RepositoryCheck.count(qm, t);
            boolean hinted = hint != null && hint.newestMillis() > 0;
            // no item, no newest: the sorted query would find none, after reading the field of every other type's item
            long newest = count == 0 ? 0
                    : hinted && confirmed(qm, all, hint.newestMillis()) ? hint.newestMillis()
                    : newest(qm, all);
            out.put(t.name(), new Stamp(count, newest));
        }
        return out;
    }

    /**
     * True when the search index has no item of {@code all} with a lastModified after {@code millis}, and one with
     * exactly {@code millis} whose node says so too (read, as the sorted query's first hit is: an index behind its
     * node does not confirm a stamp).
     */
    static boolean confirmed(QueryManager qm, String all, long millis) throws RepositoryException {
        String at = "xs:dateTime('" + iso(millis) + "')";
        if (first(qm, all + "[@" + ContentService.LAST_MODIFIED + " > " + at + "]") != null) {
            return false;
        }
        Node n = first(qm, all + "[@" + ContentService.LAST_MODIFIED + " = " + at + "]");
        return n != null && n.hasProperty(ContentService.LAST_MODIFIED)
                && n.getProperty(ContentService.LAST_MODIFIED).getDate().getTimeInMillis() == millis;
    }

    private static Node first(QueryManager qm, String xpath) throws RepositoryException {
        @SuppressWarnings("deprecation")
        Query q = qm.createQuery(xpath, Query.XPATH);
        q.setLimit(1);
        NodeIterator it = q.execute().getNodes();
        return it.hasNext() ? it.nextNode() : null;
    }

    /** Jackrabbit's ISO 8601 of {@code millis} in UTC: a quoted literal's content, which has no quote to escape. */
    private static String iso(long millis) {
        java.util.Calendar at = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"));
        at.setTimeInMillis(millis);
        return org.apache.jackrabbit.util.ISO8601.format(at);
    }

    /**
     * The items of {@code type} whose lastModified is at or after {@code millis} (by node type only, as the stamps;
     * the date written as Jackrabbit's ISO 8601 in a quoted literal, which has no quote to escape).
     */
    static NodeIterator modifiedSince(Session session, ContentType type, long millis) throws RepositoryException {
        @SuppressWarnings("deprecation")
        Query q = session.getWorkspace().getQueryManager().createQuery("//element(*, " + type.nodeType() + ")[@"
                + ContentService.LAST_MODIFIED + " >= xs:dateTime('" + iso(millis) + "')]", Query.XPATH);
        return q.execute().getNodes();
    }

    private static long newest(QueryManager qm, String all) throws RepositoryException {
        @SuppressWarnings("deprecation")
        Query q = qm.createQuery(all + " order by @" + ContentService.LAST_MODIFIED + " descending", Query.XPATH);
        q.setLimit(1);
        NodeIterator top = q.execute().getNodes();
        if (top.hasNext()) {
            Node n = top.nextNode();
            if (n.hasProperty(ContentService.LAST_MODIFIED)) {
                return n.getProperty(ContentService.LAST_MODIFIED).getDate().getTimeInMillis();
            }
        }
        return 0;
    }
}
