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
 * newest {@code mgnl:lastModified}, both from the search index (two XPath queries a type: Jackrabbit counts the hits
 * and sorts them in Lucene, the newest with a limit of one, reading one node, not every bundle). Every save through the content service sets lastModified to now, so an item added, changed,
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
        QueryManager qm = session.getWorkspace().getQueryManager();
        Map<String, Stamp> out = new LinkedHashMap<>();
        for (ContentType t : types) {
            String all = "//element(*, " + t.nodeType() + ")";
            out.put(t.name(), new Stamp(RepositoryCheck.count(qm, t), newest(qm, all)));
        }
        return out;
    }

    /**
     * The items of {@code type} whose lastModified is at or after {@code millis} (by node type only, as the stamps;
     * the date written as Jackrabbit's ISO 8601 in a quoted literal, which has no quote to escape).
     */
    static NodeIterator modifiedSince(Session session, ContentType type, long millis) throws RepositoryException {
        java.util.Calendar at = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"));
        at.setTimeInMillis(millis);
        @SuppressWarnings("deprecation")
        Query q = session.getWorkspace().getQueryManager().createQuery("//element(*, " + type.nodeType() + ")[@"
                + ContentService.LAST_MODIFIED + " >= xs:dateTime('" + org.apache.jackrabbit.util.ISO8601.format(at) + "')]",
                Query.XPATH);
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
