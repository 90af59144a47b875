package wales.exchange.magnolia;

import com.google.inject.Provides;
import jakarta.inject.Provider;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import info.magnolia.objectfactory.guice.AbstractGuiceComponentConfigurer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import javax.jcr.Session;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.DeliveryModule;
import wales.exchange.delivery.Exchange;
import wales.exchange.delivery.http.PreviewTokens;
import wales.exchange.jcr.EmbeddedRepository;

/**
 * Magnolia component configurer ({@code <configurer>} in META-INF/magnolia/exchange.xml): installs the same
 * {@link DeliveryModule} the standalone server uses, with Magnolia's system session and settings from system
 * properties or environment ({@code exchange.previewSecret} / {@code EXCHANGE_PREVIEW_SECRET},
 * {@code exchange.corsOrigins} / {@code EXCHANGE_CORS_ORIGINS}, {@code exchange.pageUrl} / {@code EXCHANGE_PAGE_URL},
 * {@code exchange.publicUrl} / {@code EXCHANGE_PUBLIC_URL}, {@code exchange.allowedHosts} / {@code EXCHANGE_ALLOWED_HOSTS}).
 */
public class ExchangeComponentConfigurer extends AbstractGuiceComponentConfigurer {

    @Override
    protected void configure() {
        install(new DeliveryModule());
        install(new wales.exchange.moderation.WorkflowModule());
        install(new wales.exchange.notify.NotifyModule());
        bind(SessionSource.class).to(MagnoliaSessionSource.class);
        bind(Clock.class).annotatedWith(Exchange.class).toInstance(Clock.systemUTC());
    }

    /**
     * The index writer's system session, opened when the index starts (in {@link ExchangeModule#start}), not when
     * Magnolia's production-stage injector builds its singletons, before the workspace exists.
     */
    @Provides @Singleton @Named(DeliveryModule.READ_MODEL_SESSION)
    Session readModelSession(Provider<SessionSource> sessions) {
        return LazySession.of(() -> sessions.get().systemSession(EmbeddedRepository.WORKSPACE));
    }

    /**
     * New sessions for the index's reads of full items: impersonated from a system session (a Jackrabbit system session
     * may impersonate any user), so that each is owned and logged out by the index, never Magnolia's thread-bound one.
     */
    @Provides @Singleton
    wales.exchange.delivery.index.Sessions sessions(@Named(DeliveryModule.READ_MODEL_SESSION) Session system) {
        return () -> system.impersonate(new javax.jcr.SimpleCredentials(system.getUserID(), new char[0]));
    }

    @Provides @Singleton
    DeliveryConfig deliveryConfig() {
        String origins = setting("exchange.corsOrigins", "EXCHANGE_CORS_ORIGINS", "");
        String hosts = setting("exchange.allowedHosts", "EXCHANGE_ALLOWED_HOSTS", String.join(",", DeliveryConfig.LOCAL_HOSTS));
        return DeliveryConfig.defaults().withPageUrlPattern(setting("exchange.pageUrl", "EXCHANGE_PAGE_URL", null))
                .withPublicUrl(setting("exchange.publicUrl", "EXCHANGE_PUBLIC_URL", null))
                .withAllowedHosts(list(hosts))
                .withCorsOrigins(list(origins));
    }

    private static java.util.Set<String> list(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(java.util.stream.Collectors.toSet());
    }

    @Provides @Singleton
    PreviewTokens previewTokens(@Exchange Clock clock) {
        String secret = setting("exchange.previewSecret", "EXCHANGE_PREVIEW_SECRET", null);
        byte[] key;
        if (secret != null) {
            key = secret.getBytes(StandardCharsets.UTF_8);
        } else {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
        }
        return new PreviewTokens(key, clock);
    }

    /** The public intake: {@code exchange.intakeSecret} / {@code EXCHANGE_INTAKE_SECRET} (else random per start), defaults otherwise. */
    @Provides @Singleton
    wales.exchange.intake.IntakeConfig intakeConfig() {
        wales.exchange.intake.IntakeConfig d = wales.exchange.intake.IntakeConfig.defaults();
        String secret = setting("exchange.intakeSecret", "EXCHANGE_INTAKE_SECRET", null);
        return new wales.exchange.intake.IntakeConfig(secret == null ? d.secret() : secret.getBytes(StandardCharsets.UTF_8),
                d.minFillTime(), d.retention(), d.perAddressPerHour(), d.perEmailPerDay(), d.maxAttachmentBytes(),
                list(setting("exchange.postModeratedBoards", "EXCHANGE_POST_MODERATED_BOARDS", "")));
    }

    private static String setting(String property, String env, String dflt) {
        String v = System.getProperty(property);
        if (v == null) {
            v = System.getenv(env);
        }
        return v == null ? dflt : v;
    }
}
