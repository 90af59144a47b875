package wales.exchange.server;

import io.undertow.server.HttpHandler;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ErrorPage;
import io.undertow.servlet.api.ServletStackTraces;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServletDispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;
import wales.exchange.delivery.http.AcceptHeaderFilter;
import wales.exchange.delivery.http.CorsFilter;
import wales.exchange.delivery.http.HealthEndpoint;
import wales.exchange.delivery.http.ProblemMapper;
import wales.exchange.delivery.http.DeliveryEndpoint;
import wales.exchange.comments.CommentsEndpoint;
import wales.exchange.intake.IntakeEndpoint;
import wales.exchange.lifecycle.Managed;
import wales.exchange.moderation.http.ModerationEndpoint;

/**
 * The servlet deployment: RESTEasy with the module's endpoint, health, problem mapping and filters, and the
 * problem+json error page. The endpoints are asked for at {@link #start()}, once the index they read has started.
 */
@Singleton
final class ApiDeployment implements Managed {
    private final Provider<DeliveryEndpoint> endpoint;
    private final Provider<HealthEndpoint> health;
    private final ProblemMapper problemMapper;
    private final CorsFilter cors;
    private final AcceptHeaderFilter accept;
    private final ProblemErrorServlet errorServlet;
    private final Provider<ModerationEndpoint> moderation;
    private final java.util.List<Provider<?>> intake;
    private DeploymentManager manager;
    private volatile HttpHandler handler;

    @Inject
    ApiDeployment(Provider<DeliveryEndpoint> endpoint, Provider<HealthEndpoint> health, wales.exchange.delivery.http.Problems problems,
                  CorsFilter cors, AcceptHeaderFilter accept, ProblemErrorServlet errorServlet,
                  Provider<ModerationEndpoint> moderation,
                  Provider<IntakeEndpoint.Contributions> contributions, Provider<IntakeEndpoint.Comments> comments,
                  Provider<IntakeEndpoint.FormToken> formToken, Provider<IntakeEndpoint.Submissions> submissions,
                  Provider<CommentsEndpoint> itemComments) {
        this.moderation = moderation;
        this.intake = java.util.List.of(contributions, comments, formToken, submissions, itemComments);
        this.endpoint = endpoint;
        this.health = health;
        this.problemMapper = ProblemMapper.forWholeApplication(problems); // all of /.rest is the module's here
        this.cors = cors;
        this.accept = accept;
        this.errorServlet = errorServlet;
    }

    @Override
    public void start() throws Exception {
        ResteasyDeployment rd = new ResteasyDeploymentImpl();
        // no RateLimitFilter here: EdgeHandler charges every request once, whatever its path (the filter is for Magnolia)
        Set<Object> singletons = new java.util.LinkedHashSet<>(java.util.List.of(endpoint.get(), health.get(), problemMapper, cors, accept, moderation.get()));
        intake.forEach(p -> singletons.add(p.get())); // the public intake and comments (docs/contributions.md)
        rd.setApplication(new Application() {
            @Override
            public Set<Object> getSingletons() {
                return singletons;
            }
        });
        DeploymentInfo di = Servlets.deployment()
                .setClassLoader(ApiDeployment.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("exchange")
                .setDefaultEncoding("UTF-8")
                // never Undertow's HTML error pages (with stack traces for local clients): problem+json instead
                .setServletStackTraces(ServletStackTraces.NONE)
                .addErrorPage(new ErrorPage(ProblemErrorServlet.LOCATION))
                .addServlet(Servlets.servlet("problems", ProblemErrorServlet.class,
                        new ImmediateInstanceFactory<>(errorServlet)).addMapping(ProblemErrorServlet.LOCATION))
                .addServletContextAttribute(ResteasyDeployment.class.getName(), rd)
                .addServlet(Servlets.servlet("resteasy", HttpServletDispatcher.class)
                        .addMapping("/.rest/*")
                        .addInitParam("resteasy.servlet.mapping.prefix", "/.rest")
                        .setLoadOnStartup(1));
        manager = Servlets.defaultContainer().addDeployment(di);
        manager.deploy();
        handler = manager.start();
    }

    @Override
    public void stop() throws Exception {
        manager.stop();
    }

    /** The deployment's handler; only once started. */
    HttpHandler handler() {
        return handler;
    }
}
