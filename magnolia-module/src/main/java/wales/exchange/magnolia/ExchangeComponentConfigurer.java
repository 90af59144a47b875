package wales.exchange.magnolia;

import com.google.inject.Provides;
import jakarta.inject.Provider;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import info.magnolia.objectfactory.guice.AbstractGuiceComponentConfigurer;
import java.time.Clock;
import javax.jcr.Session;
import wales.exchange.delivery.DeliveryModule;
import wales.exchange.delivery.Exchange;
import wales.exchange.settings.ExchangeSettings;
import wales.exchange.settings.SettingsLookup;
import wales.exchange.settings.SettingsModule;
import wales.exchange.jcr.EmbeddedRepository;

/**
 * Magnolia component configurer ({@code <configurer>} in META-INF/magnolia/exchange.xml): installs the same
 * {@link DeliveryModule} and {@link SettingsModule} the standalone server uses, with Magnolia's system session and the
 * module's settings from {@code /modules/exchange/config} and environment ({@link #settings}).
 */
public class ExchangeComponentConfigurer extends AbstractGuiceComponentConfigurer {

    @Override
    protected void configure() {
        install(new DeliveryModule());
        install(new wales.exchange.moderation.WorkflowModule());
        install(new wales.exchange.notify.NotifyModule());
        install(new SettingsModule());
        bind(SessionSource.class).to(MagnoliaSessionSource.class);
        bind(ModuleConfig.class).to(ModuleConfig.Jcr.class);
        bind(CurrentAccount.class).to(CurrentAccount.Magnolia.class);
        // the moderation API checks Magnolia's users and roles, not the module's own user store
        bind(wales.exchange.moderation.Authenticator.class).to(MagnoliaAuthenticator.class);
        bind(wales.exchange.moderation.Contacts.class).to(MagnoliaContacts.class);
        // the model and message bundles as Magnolia reads them (a file-system light module overrides the jar's)
        bind(wales.exchange.model.DefinitionFiles.class).to(ResourceOriginFiles.class);
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

    /**
     * Notification mail inside Magnolia: the SMTP settings of {@code /modules/exchange/config} ({@code smtpHost},
     * {@code smtpPort}, {@code smtpFrom}, {@code smtpUser}, {@code smtpPassword}, {@code smtpStarttls}) or
     * {@code EXCHANGE_SMTP_*}, the same as the server's, sent by the server's sender and mailer; its session is one
     * of the index's impersonated sessions, its own and logged out when it stops. Started by {@link ExchangeModule}.
     */
    @Provides
    wales.exchange.notify.MailDelivery mailDelivery(ExchangeSettings settings, wales.exchange.delivery.index.Sessions sessions,
                                                    wales.exchange.notify.Templates templates, @Exchange Clock clock) {
        return new wales.exchange.notify.MailDelivery(settings.smtp(), sessions::open, templates, clock);
    }

    /** Health inside Magnolia: the index's system session answers; Magnolia's repository has no start-up check of ours. */
    @Provides
    wales.exchange.delivery.http.HealthEndpoint.Probe healthProbe(@Named(DeliveryModule.READ_MODEL_SESSION) Session system) {
        return new wales.exchange.delivery.http.HealthEndpoint.Probe() {
            @Override
            public void ping() throws Exception {
                system.getRootNode();
            }

            @Override
            public java.util.List<wales.exchange.jcr.RepositoryCheck.Damage> damages() {
                return java.util.List.of();
            }
        };
    }

    /**
     * The module's settings: {@code /modules/exchange/config} (one property per setting, e.g. {@code corsOrigins},
     * {@code previewSecret}), then environment variables ({@code EXCHANGE_CORS_ORIGINS}, ...), checked by the same
     * {@link ExchangeSettings#read} as the standalone server's flags. Read when Magnolia builds its main injector:
     * a change of the configuration takes effect at Magnolia's next start.
     */
    @Provides @Singleton
    ExchangeSettings settings(ModuleConfig config) {
        java.util.Map<String, String> properties;
        try {
            properties = config.properties();
        } catch (javax.jcr.RepositoryException e) {
            throw new IllegalStateException("ExChange: cannot read " + ModuleConfig.PATH + ": " + e.getMessage(), e);
        }
        return ExchangeSettings.read(SettingsLookup.moduleConfigAndEnvironment(ModuleConfig.PATH, properties, System.getenv()));
    }
}
