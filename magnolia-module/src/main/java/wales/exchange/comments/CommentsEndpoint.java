package wales.exchange.comments;

import wales.exchange.delivery.Exchange;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.query.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.content.ContentService;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.http.Problems;
import wales.exchange.delivery.index.Entry;
import wales.exchange.delivery.query.Delivery;
import wales.exchange.delivery.index.Sessions;
import wales.exchange.i18n.Lang;
import wales.exchange.intake.IntakeService;
import wales.exchange.intake.IntakeTypes;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.Fields;

/**
 * Published comments under their item: {@code GET /.rest/exchange/v1/{segment}/{id}/comments}, oldest first, at most
 * {@link #MAX} of them. Only {@code displayName}, {@code body} (sanitized HTML), {@code language} and the date are shown:
 * never the commenter's email or address, which are not even stored on the comment. Read from the repository at each
 * request (a comment published a moment ago is there at once).
 */
@Path("/exchange/v1/{segment}/{id}/comments")
@wales.exchange.delivery.http.ExchangeApi
public class CommentsEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(CommentsEndpoint.class);
    public static final int MAX = 200;
    private final Delivery delivery;
    private final DeliveryConfig config;
    private final ContentModel model;
    private final Problems problems;
    private final Sessions sessions;
    private final ObjectMapper mapper;

    @Inject
    public CommentsEndpoint(Delivery delivery, DeliveryConfig config, ContentModel model, Problems problems, Sessions sessions,
                            @Exchange ObjectMapper mapper) {
        this.delivery = delivery;
        this.config = config;
        this.model = model;
        this.problems = problems;
        this.sessions = sessions;
        this.mapper = mapper;
    }

    @GET
    public Response list(@PathParam("segment") String segment, @PathParam("id") String id, @Context HttpServletRequest request) {
        Lang lang = IntakeService.lang(request);
        ContentType type = null;
        for (String t : config.publicTypes()) {
            if (config.segment(model.get(t)).equals(segment)) {
                type = model.get(t);
            }
        }
        if (type == null) {
            return problems.noRoute(lang, request.getRequestURI(), config.basePath());
        }
        Optional<Entry> item = ContentService.isId(id) ? delivery.item(type.name(), id, false) : Optional.empty();
        if (item.isEmpty()) {
            return problems.notFound(lang, request.getRequestURI());
        }
        ContentType comment = model.get(IntakeTypes.COMMENT);
        List<Map<String, Object>> comments = new ArrayList<>();
        Session s = null;
        try {
            s = sessions.open();
            // the id is a checked UUID and goes in as a bound value; the node type and path are model constants
            Query q = s.getWorkspace().getQueryManager().createQuery("SELECT * FROM [" + comment.nodeType() + "] AS c"
                    + " WHERE ISDESCENDANTNODE(c, [" + comment.rootPath() + "]) AND c.[" + IntakeTypes.TARGET + "] = $target"
                    + " AND c.[" + Fields.MODERATION_STATE + "] = $state ORDER BY c.[" + ContentService.CREATED + "]", Query.JCR_SQL2);
            q.bindValue("target", s.getValueFactory().createValue(id));
            q.bindValue("state", s.getValueFactory().createValue(CommentPublisher.PUBLISHED));
            q.setLimit(MAX);
            for (NodeIterator it = q.execute().getNodes(); it.hasNext(); ) {
                Node n = it.nextNode();
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("id", n.getIdentifier());
                c.put(IntakeTypes.DISPLAY_NAME, string(n, IntakeTypes.DISPLAY_NAME));
                c.put(Fields.BODY, string(n, Fields.BODY));
                if (n.hasProperty(IntakeTypes.LANGUAGE)) {
                    c.put(IntakeTypes.LANGUAGE, string(n, IntakeTypes.LANGUAGE));
                }
                c.put("created", n.getProperty(ContentService.CREATED).getDate().toInstant().toString());
                comments.add(c);
            }
        } catch (RepositoryException e) {
            if (wales.exchange.jcr.StorageFaults.unavailable(e)) {
                wales.exchange.jcr.StorageFaults.log(LOG, "comments of " + id, e);
                return problems.storageUnavailable(lang, request.getRequestURI());
            }
            LOG.error("comments of {}: {}", id, e.toString());
            return problems.response(500, "internal", lang, request.getRequestURI(), null, null, null);
        } finally {
            if (s != null) {
                s.logout();
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("item", id);
        body.put("lang", lang.tag());
        body.put("total", comments.size());
        body.put("comments", comments);
        try {
            byte[] bytes = mapper.writeValueAsBytes(body);
            return Response.ok(bytes, "application/json;charset=utf-8").header("Content-Length", bytes.length)
                    .header("Content-Language", lang.tag()).header("Cache-Control", "no-cache").build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String string(Node n, String name) throws RepositoryException {
        return n.hasProperty(name) ? n.getProperty(name).getString() : null;
    }
}
