package wales.exchange.intake;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/**
 * The public intake, {@code /.rest/exchange/v1/contributions}, {@code /comments}, {@code /form-token} and
 * {@code /submissions/{token}} (see docs/contributions.md). Each route is one call into {@link IntakeService}.
 */
public final class IntakeEndpoint {
    private IntakeEndpoint() {
    }

    /** {@code POST /contributions}, {@code POST /contributions/attachments}. */
    @Path("/exchange/v1/contributions")
    @wales.exchange.delivery.http.ExchangeApi
    public static class Contributions {
        private final IntakeService intake;

        @Inject
        public Contributions(IntakeService intake) {
            this.intake = intake;
        }

        /** Submissions are never listed: a GET here is "no such route", as on any path that is not one. */
        @GET
        public Response list(@Context HttpServletRequest request) {
            return intake.noRoute(request);
        }

        @POST
        public Response submit(@Context HttpServletRequest request) {
            return intake.contribution(request);
        }

        @POST
        @Path("attachments")
        public Response upload(@Context HttpServletRequest request) {
            return intake.upload(request);
        }
    }

    /** {@code POST /comments}, {@code POST /comments/{id}/reports}. */
    @Path("/exchange/v1/comments")
    @wales.exchange.delivery.http.ExchangeApi
    public static class Comments {
        private final IntakeService intake;

        @Inject
        public Comments(IntakeService intake) {
            this.intake = intake;
        }

        /** Submissions are never listed: a GET here is "no such route", as on any path that is not one. */
        @GET
        public Response list(@Context HttpServletRequest request) {
            return intake.noRoute(request);
        }

        @POST
        public Response submit(@Context HttpServletRequest request) {
            return intake.comment(request);
        }

        @POST
        @Path("{id}/reports")
        public Response report(@PathParam("id") String id, @Context HttpServletRequest request) {
            return intake.report(request, id);
        }
    }

    /** {@code GET /form-token}. */
    @Path("/exchange/v1/form-token")
    @wales.exchange.delivery.http.ExchangeApi
    public static class FormToken {
        private final IntakeService intake;

        @Inject
        public FormToken(IntakeService intake) {
            this.intake = intake;
        }

        @GET
        public Response get(@Context HttpServletRequest request) {
            return intake.formToken(request);
        }
    }

    /** {@code GET|DELETE /submissions/{token}}, {@code GET /submissions/{token}/data}. */
    @Path("/exchange/v1/submissions")
    @wales.exchange.delivery.http.ExchangeApi
    public static class Submissions {
        private final IntakeService intake;

        @Inject
        public Submissions(IntakeService intake) {
            this.intake = intake;
        }

        @GET
        @Path("{token}")
        public Response status(@PathParam("token") String token, @Context HttpServletRequest request) {
            return intake.status(request, token);
        }

        @GET
        @Path("{token}/data")
        public Response export(@PathParam("token") String token, @Context HttpServletRequest request) {
            return intake.export(request, token);
        }

        @DELETE
        @Path("{token}")
        public Response erase(@PathParam("token") String token, @Context HttpServletRequest request) {
            return intake.erase(request, token);
        }
    }
}
