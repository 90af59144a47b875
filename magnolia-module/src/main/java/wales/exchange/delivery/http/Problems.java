package wales.exchange.delivery.http;

import wales.exchange.delivery.Exchange;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wales.exchange.content.FieldError;
import wales.exchange.delivery.query.ParamException;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;

/** RFC 9457 problem details ({@code application/problem+json}) in the request's language. */
@Singleton
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://exchangewales.org/problems/";
    private final Messages messages;
    private final ObjectMapper mapper;

    @Inject
    public Problems(Messages messages, @Exchange ObjectMapper mapper) {
        this.messages = messages;
        this.mapper = mapper;
    }

    public Response response(int status, String kind, Lang lang, String instance, String detailKey, List<FieldError> errors,
                             String messagePrefix) {
        return response(status, kind, lang, instance, detailKey, errors, messagePrefix, new Object[0]);
    }

    /** A problem whose {@code detail} message takes arguments (a limit, for example). */
    public Response detailed(int status, String kind, Lang lang, String instance, String detailKey, Object... detailArgs) {
        return response(status, kind, lang, instance, detailKey, null, null, detailArgs);
    }

    /** As above, with field errors and arguments of the detail message. */
    public Response response(int status, String kind, Lang lang, String instance, String detailKey, List<FieldError> errors,
                             String messagePrefix, Object... detailArgs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + kind);
        body.put("title", messages.get(lang, "exchange.problem." + kind + ".title"));
        body.put("status", status);
        if (detailKey != null) {
            body.put("detail", messages.get(lang, detailKey, detailArgs));
        }
        body.put("instance", instance);
        if (errors != null && !errors.isEmpty()) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (FieldError e : errors) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("field", e.field());
                f.put("code", e.code());
                f.put("message", messages.get(lang, messagePrefix + e.code(), e.args().toArray()));
                list.add(f);
            }
            body.put("errors", list);
        }
        try {
            byte[] bytes = mapper.writeValueAsBytes(body);
            return Response.status(status).type(MEDIA_TYPE + ";charset=utf-8")
                    .header("Content-Length", bytes.length)
                    .header("Content-Language", lang.tag())
                    .header("Vary", "Accept-Language")
                    .header("Cache-Control", "no-store")
                    .entity(bytes).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A write refused because the repository's storage cannot be reached (a cluster node whose database is down,
     * {@link wales.exchange.jcr.StorageFaults}): 503 {@code unavailable} with Retry-After. Almost always nothing was saved;
     * after a commit in doubt the database cannot settle it may have been (ClusterPostgreSQLPersistenceManager), so the
     * detail says "may not have been saved".
     */
    public Response storageUnavailable(Lang lang, String instance) {
        return Response.fromResponse(response(503, "unavailable", lang, instance, "exchange.problem.unavailable.storage.detail", null, null))
                .header("Retry-After", Integer.toString(wales.exchange.jcr.StorageFaults.RETRY_AFTER_SECONDS)).build();
    }

    public Response badParams(Lang lang, String instance, ParamException e) {
        return response(400, "badRequest", lang, instance, null, e.errors(), "exchange.param.");
    }

    /** No published item (or, with a preview token, no item) at this well-formed address. */
    public Response notFound(Lang lang, String instance) {
        return response(404, "notFound", lang, instance, "exchange.problem.notFound.detail", null, null);
    }

    /**
     * No such route (an unknown path, not a missing item): 404 {@code noRoute}, whose detail points at the API root
     * {@code root}, which lists the routes.
     */
    public Response noRoute(Lang lang, String instance, String root) {
        return response(404, "noRoute", lang, instance, "exchange.problem.noRoute.detail", null, null, root);
    }

    public Messages messages() {
        return messages;
    }
}
