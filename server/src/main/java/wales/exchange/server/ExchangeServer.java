package wales.exchange.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import jakarta.ws.rs.core.Application;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Set;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.apache.jackrabbit.core.observation.SynchronousEventListener;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.content.ContentService;
import wales.exchange.content.DemoContent;
import wales.exchange.delivery.CalendarFeed;
import wales.exchange.delivery.Delivery;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.DeliveryEndpoint;
import wales.exchange.delivery.PreviewTokens;
import wales.exchange.delivery.Problems;
import wales.exchange.delivery.ReadModel;
import wales.exchange.delivery.Renderer;
import wales.exchange.i18n.Messages;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ModelLoader;

/**
 * The standalone ExChange server: embedded Jackrabbit 2, the module's classes wired by Guice, RESTEasy (the JAX-RS
 * implementation Magnolia runs) on Undertow, serving {@code /.rest/exchange/v1}.
 */
public final class ExchangeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeServer.class);
    private final Injector injector;
    private final Undertow undertow;
    private final DeploymentManager deployment;
    private final int port;
    private final int demoItems;

    private ExchangeServer(Injector injector, Undertow undertow, DeploymentManager deployment, int port, int demoItems) {
        this.injector = injector;
        this.undertow = undertow;
        this.deployment = deployment;
        this.port = port;
        this.demoItems = demoItems;
    }

    public static ExchangeServer start(Settings settings) throws Exception {
        return start(settings, Clock.systemUTC());
    }

    public static ExchangeServer start(Settings settings, Clock clock) throws Exception {
        EmbeddedRepository repo = settings.inMemory() ? EmbeddedRepository.inMemory() : EmbeddedRepository.onDisk(settings.data());
        try {
            Injector injector = Guice.createInjector(new ServerModule(settings, repo, clock));
            int demo = 0;
            if (settings.demo()) {
                Session s = repo.login();
                try {
                    demo = injector.getInstance(DemoContent.class).installIfEmpty(s);
                } finally {
                    s.logout();
                }
            }
            ReadModel readModel = injector.getInstance(ReadModel.class);
            readModel.start(l -> new SyncListener(l));

            ResteasyDeployment rd = new ResteasyDeploymentImpl();
            Problems problems = injector.getInstance(Problems.class);
            Set<Object> singletons = Set.of(injector.getInstance(DeliveryEndpoint.class), injector.getInstance(HealthEndpoint.class),
                    new ProblemMapper(problems), new CorsFilter(settings.corsOrigins()),
                    new org.jboss.resteasy.plugins.providers.jackson.ResteasyJackson2Provider());
            rd.setApplication(new Application() {
                @Override
                public Set<Object> getSingletons() {
                    return singletons;
                }
            });
            DeploymentInfo di = Servlets.deployment()
                    .setClassLoader(ExchangeServer.class.getClassLoader())
                    .setContextPath("/")
                    .setDeploymentName("exchange")
                    .setDefaultEncoding("UTF-8")
                    .addServletContextAttribute(ResteasyDeployment.class.getName(), rd)
                    .addServlet(Servlets.servlet("resteasy", HttpServlet30Dispatcher.class)
                            .addMapping("/.rest/*")
                            .addInitParam("resteasy.servlet.mapping.prefix", "/.rest")
                            .setLoadOnStartup(1)
                            .setAsyncSupported(true));
            DeploymentManager manager = Servlets.defaultContainer().addDeployment(di);
            manager.deploy();
            Undertow undertow = Undertow.builder()
                    .addHttpListener(settings.port(), "0.0.0.0")
                    .setHandler(manager.start())
                    .build();
            undertow.start();
            int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
            return new ExchangeServer(injector, undertow, manager, port, demo);
        } catch (Exception | Error e) {
            repo.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public int demoItemsInstalled() {
        return demoItems;
    }

    public Injector injector() {
        return injector;
    }

    @Override
    public void close() {
        undertow.stop();
        try {
            deployment.stop();
        } catch (Exception e) {
            LOG.warn("stopping the servlet deployment failed", e);
        }
        injector.getInstance(ReadModel.class).stop();
        injector.getInstance(Session.class).logout();
        injector.getInstance(EmbeddedRepository.class).close();
    }

    /** Jackrabbit delivers this listener's events in the saving thread, before save() returns. */
    private record SyncListener(javax.jcr.observation.EventListener delegate) implements SynchronousEventListener {
        @Override
        public void onEvent(javax.jcr.observation.EventIterator events) {
            delegate.onEvent(events);
        }
    }

    /** Guice wiring: the same classes Magnolia wires through the module descriptor. */
    static final class ServerModule extends AbstractModule {
        private final Settings settings;
        private final EmbeddedRepository repo;
        private final Clock clock;

        ServerModule(Settings settings, EmbeddedRepository repo, Clock clock) {
            this.settings = settings;
            this.repo = repo;
            this.clock = clock;
        }

        @Override
        protected void configure() {
            bind(EmbeddedRepository.class).toInstance(repo);
            bind(Clock.class).toInstance(clock);
        }

        @Provides @Singleton
        ContentModel model() {
            return ModelLoader.fromClasspath(ExchangeServer.class.getClassLoader());
        }

        @Provides @Singleton
        ContentService contentService(ContentModel model) {
            return new ContentService(model, clock);
        }

        @Provides @Singleton
        DemoContent demoContent(ContentService service) {
            return new DemoContent(service);
        }

        @Provides @Singleton
        Messages messages() {
            return new Messages();
        }

        @Provides @Singleton
        ObjectMapper mapper() {
            return new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        }

        /** The read model's own long-lived session. */
        @Provides @Singleton
        Session readModelSession() throws RepositoryException {
            return repo.login();
        }

        @Provides @Singleton
        DeliveryConfig deliveryConfig() {
            return DeliveryConfig.defaults().withCorsOrigins(settings.corsOrigins());
        }

        @Provides @Singleton
        ReadModel readModel(ContentService service, Session session, ContentModel model, DeliveryConfig config) {
            return new ReadModel(service, session, config.publicTypes().stream().map(model::get).toList());
        }

        @Provides @Singleton
        Delivery delivery(ReadModel readModel) {
            return new Delivery(readModel, clock);
        }

        @Provides @Singleton
        Renderer renderer(ObjectMapper mapper, Messages messages, DeliveryConfig config) {
            return new Renderer(mapper, messages, config);
        }

        @Provides @Singleton
        Problems problems(Messages messages, ObjectMapper mapper) {
            return new Problems(messages, mapper);
        }

        @Provides @Singleton
        CalendarFeed calendarFeed(Messages messages) {
            return new CalendarFeed(messages);
        }

        @Provides @Singleton
        PreviewTokens previewTokens() {
            byte[] secret;
            if (settings.previewSecret() != null) {
                secret = settings.previewSecret().getBytes(StandardCharsets.UTF_8);
            } else {
                secret = new byte[32];
                new SecureRandom().nextBytes(secret);
            }
            return new PreviewTokens(secret, clock);
        }
    }
}
