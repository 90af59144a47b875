package wales.exchange.delivery;

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
import wales.exchange.content.DemoContent;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.index.Sessions;
import wales.exchange.i18n.Messages;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ModelLoader;

/**
 * Guice wiring of the module's behaviour, shared by Magnolia (installed by the module's component configurer) and the
 * standalone server. The host binds: {@link Clock}, {@link DeliveryConfig}, {@link PreviewTokens}, the index writer's
 * own {@link Session} named {@value #READ_MODEL_SESSION} and {@link Sessions} (new sessions for reading full items).
 */
public final class DeliveryModule extends AbstractModule {
    public static final String READ_MODEL_SESSION = "exchange.readModelSession";

    @Provides @Singleton
    ContentModel model() {
        return ModelLoader.fromClasspath(DeliveryModule.class.getClassLoader());
    }

    @Provides @Singleton
    ContentService contentService(ContentModel model, Clock clock) {
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

    @Provides @Singleton
    DeliveryIndex index(ContentService service, @Named(READ_MODEL_SESSION) Session session, Sessions sessions,
                        ContentModel model, DeliveryConfig config, Clock clock) {
        return new DeliveryIndex(service, session, sessions, config.publicTypes().stream().map(model::get).toList(), clock);
    }

    @Provides @Singleton
    Delivery delivery(DeliveryIndex index, Clock clock) {
        return new Delivery(index, clock);
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
    ResponseCache responseCache(DeliveryIndex index, Clock clock, DeliveryConfig config) {
        return new ResponseCache(index::generationIfCurrent, clock, ResponseCache.DEFAULT_MAX_BYTES, config.maxAgeSeconds() * 1000L);
    }

    @Provides @Singleton
    CalendarFeed calendarFeed(Messages messages) {
        return new CalendarFeed(messages);
    }
}
