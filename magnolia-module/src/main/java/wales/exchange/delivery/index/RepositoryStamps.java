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
import org.apache.jackrabbit.util.ISO9075;
import wales.exchange.content.ContentService;
import wales.exchange.delivery.index.SnapshotStore.Stamp;
import wales.exchange.model.ContentType;

/**
 * What the repository holds now, per delivered type, to check a saved snapshot against: the number of items and the
 * newest {@code mgnl:lastModified}, both from the search index (two XPath queries a type: Jackrabbit counts and sorts
 * them in Lucene, reading one node, not every bundle). Every save through the content service sets lastModified to
 * now, so an item added, changed, published, moved or removed while the server was stopped changes one or the other.
 */
final class RepositoryStamps {
    private RepositoryStamps() {
    }

    static Map<String, Stamp> of(Session session, List<ContentType> types) throws RepositoryException {
        QueryManager qm = session.getWorkspace().getQueryManager();
        Map<String, Stamp> out = new LinkedHashMap<>();
        for (ContentType t : types) {
            String all = "/jcr:root" + (t.rootPath().equals("/") ? "" : ISO9075.encodePath(t.rootPath())) + "//element(*, " + t.nodeType() + ")";
            @SuppressWarnings("deprecation")
            Query count = qm.createQuery(all, Query.XPATH);
            NodeIterator it = count.execute().getNodes();
            long size = it.getSize();
            if (size < 0) {
                for (size = 0; it.hasNext(); size++) {
                    it.nextNode();
                }
            }
            @SuppressWarnings("deprecation")
            Query newest = qm.createQuery(all + " order by @" + ContentService.LAST_MODIFIED + " descending", Query.XPATH);
            newest.setLimit(1);
            NodeIterator top = newest.execute().getNodes();
            long millis = 0;
            if (top.hasNext()) {
                Node n = top.nextNode();
                if (n.hasProperty(ContentService.LAST_MODIFIED)) {
                    millis = n.getProperty(ContentService.LAST_MODIFIED).getDate().getTimeInMillis();
                }
            }
            out.put(t.name(), new Stamp(size, millis));
        }
        return out;
    }
}
