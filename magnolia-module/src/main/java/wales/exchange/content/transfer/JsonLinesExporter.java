package wales.exchange.content.transfer;

import java.io.IOException;
import java.io.Writer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import wales.exchange.content.ContentService;
import wales.exchange.model.ContentType;

/**
 * Writes items as JSON lines ({@link JsonLines}), the format {@link JsonLinesImporter} reads: type by type (a
 * referenced type before the types referring to it), each type's items in repository order (a depth-first walk of its
 * folders, no query), one line each. Streams: memory holds one item.
 */
public final class JsonLinesExporter {
    private final ContentService service;
    private final JsonLines format;

    public JsonLinesExporter(ContentService service) {
        this.service = service;
        this.format = new JsonLines(service.model());
    }

    /** Writes the items of {@code types} (every type when empty); returns the count per type, in the order written. */
    public Map<String, Long> export(Session session, Writer out, Collection<String> types) throws IOException, RepositoryException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ContentType type : format.exportOrder(types)) {
            long n = 0;
            if (session.nodeExists(type.rootPath())) {
                n = walk(session.getNode(type.rootPath()), type, out);
            }
            counts.put(type.name(), n);
        }
        out.flush();
        return counts;
    }

    private long walk(Node folder, ContentType type, Writer out) throws IOException, RepositoryException {
        long n = 0;
        for (NodeIterator it = folder.getNodes(); it.hasNext(); ) {
            Node child = it.nextNode();
            if (child.isNodeType(type.nodeType())) {
                out.write(format.write(service.toItem(type, child)));
                out.write('\n');
                n++;
            } else if (child.isNodeType(ContentService.FOLDER_TYPE)) {
                n += walk(child, type, out);
            }
        }
        return n;
    }
}
