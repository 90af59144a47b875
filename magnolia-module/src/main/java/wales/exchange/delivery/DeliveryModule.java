package wales.exchange.delivery;

import wales.exchange.delivery.http.DeliveryEndpoint;
import wales.exchange.delivery.http.PreviewTokens;
import wales.exchange.delivery.http.Problems;
import wales.exchange.delivery.http.ResponseCache;
import wales.exchange.delivery.query.Delivery;
import wales.exchange.delivery.render.CalendarFeed;
import wales.exchange.delivery.render.Renderer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import java.time.Clock;
import javax.jcr.Session;
import wales.exchange.content.ContentService;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.index.Sessions;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ModelLoader;

/**
 * Guice wiring of the module's behaviour, shared by Magnolia (installed by the module's component configurer) and the
 * standalone server. Classes Guice can build itself have an {@code @Inject} constructor ({@link DeliveryEndpoint}; as
 * {@code @Singleton}: {@link wales.exchange.content.ContentService}, {@link wales.exchange.content.DemoContent},
 * {@link wales.exchange.i18n.Messages}, {@link Delivery}, {@link Renderer}, {@link Problems}, {@link CalendarFeed});
 * what is provided here is configuration or needs a factory: the model read from the
 * classpath, the JSON mapper, the index over the configured public types, the response cache's budget. The host binds:
 * {@link Clock} qualified {@link Exchange} (never unqualified: Magnolia's main injector is shared), {@link DeliveryConfig}, {@link PreviewTokens}, the index writer's own {@link Session} named
 * {@value #READ_MODEL_SESSION}, {@link Sessions} (new sessions for reading full items) and
 * {@link wales.exchange.model.DefinitionFiles}, where the model and the message bundles are read (the server: the class
 * path; Magnolia: its resource origin, so a light-module override is the module's too).
 */
public final class DeliveryModule extends AbstractModule {
    public static final String READ_MODEL_SESSION = "exchange.readModelSession";

    @Provides @Singleton
    ContentModel model(wales.exchange.model.DefinitionFiles files) {
        return ModelLoader.from(files);
    }

    @Provides @Singleton @Exchange
    ObjectMapper mapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    @Provides @Singleton
    DeliveryIndex index(ContentService service, @Named(READ_MODEL_SESSION) Session session, Sessions sessions,
                        ContentModel model, DeliveryConfig config, @Exchange Clock clock) {
        return new DeliveryIndex(service, session, sessions, deliveredTypes(model, config), clock);
    }

    /** The content types the delivery index holds, in the order of the configuration's public types. */
    public static java.util.List<wales.exchange.model.ContentType> deliveredTypes(ContentModel model, DeliveryConfig config) {
        return config.publicTypes().stream().map(model::get).toList();
    }

    @Provides @Singleton
    ResponseCache responseCache(DeliveryIndex index, @Exchange Clock clock, DeliveryConfig config) {
        return new ResponseCache(index::generationIfCurrent, clock, ResponseCache.DEFAULT_MAX_BYTES, config.maxAgeSeconds() * 1000L);
    }
}
