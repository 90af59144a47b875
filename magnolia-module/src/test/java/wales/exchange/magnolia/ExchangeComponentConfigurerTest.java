package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.name.Names;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.util.Modules;
import com.fasterxml.jackson.databind.ObjectMapper;
import info.magnolia.objectfactory.configuration.ComponentConfigurer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.jcr.NoSuchWorkspaceException;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import wales.exchange.delivery.DeliveryModule;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.query.Delivery;
import wales.exchange.jcr.EmbeddedRepository;

/**
 * Magnolia's main injector runs in {@link Stage#PRODUCTION}, which builds every singleton when it is created, before
 * modules are installed: nothing the configurer binds may open a session then (issue 13, defect 1). Here the
 * {@code exchange} workspace does not exist: every session request fails as Magnolia's would, and is recorded.
 */
class ExchangeComponentConfigurerTest {
    private final List<String> asked = new ArrayList<>();

    private Injector injector() {
        SessionSource noWorkspace = workspace -> {
            asked.add(workspace);
            throw new NoSuchWorkspaceException(workspace);
        };
        return injector(java.util.Map.of(), noWorkspace);
    }

    private static Injector injector(java.util.Map<String, String> moduleConfig, SessionSource sessions) {
        return Guice.createInjector(Stage.PRODUCTION, Modules.override(new ExchangeComponentConfigurer())
                .with(binder -> {
                    binder.bind(SessionSource.class).toInstance(sessions);
                    binder.bind(ModuleConfig.class).toInstance(() -> moduleConfig);
                    binder.bind(info.magnolia.resourceloader.ResourceOrigin.class).toInstance(Origins.of(java.nio.file.Path.of("../light-modules")).origin);
                }));
    }

    @Test
    void theInjectorIsCreatedInProductionStageWithoutTheWorkspace() {
        Injector injector = injector();
        assertThat(injector.getInstance(DeliveryIndex.class)).isNotNull();
        assertThat(injector.getInstance(Delivery.class)).isNotNull();
        assertThat(injector.getInstance(ExchangeModule.class)).isNotNull();
        assertThat(injector.getInstance(wales.exchange.moderation.Authenticator.class))
                .as("the moderation API checks Magnolia's users, not the module's store").isInstanceOf(MagnoliaAuthenticator.class);
        assertThat(injector.getInstance(wales.exchange.moderation.Contacts.class))
                .as("assignment mail goes to Magnolia users' addresses").isInstanceOf(MagnoliaContacts.class);
        assertThat(asked).as("sessions asked for while the injector was built").isEmpty();
    }

    @Test
    void theSessionIsAskedForWhenTheModuleStarts() {
        Injector injector = injector();
        Session session = injector.getInstance(Key.get(Session.class, Names.named(DeliveryModule.READ_MODEL_SESSION)));
        session.logout(); // never opened: nothing to close, nothing asked of Magnolia
        assertThat(asked).isEmpty();
        assertThatThrownBy(() -> injector.getInstance(ExchangeModule.class).start(null))
                .hasRootCauseInstanceOf(NoSuchWorkspaceException.class);
        assertThat(asked).containsOnly(EmbeddedRepository.WORKSPACE);
    }

    /**
     * Magnolia's main injector is shared by every module: the configurer binds no unqualified general type another
     * module could ask for (defect 9). Its own are qualified {@link wales.exchange.delivery.Exchange}.
     */
    @Test
    void noUnqualifiedObjectMapperOrClockGoesIntoMagnoliasSharedInjector() {
        List<Key<?>> keys = new ArrayList<>();
        for (Element e : Elements.getElements(new ExchangeComponentConfigurer())) {
            if (e instanceof com.google.inject.Binding<?> b) {
                keys.add(b.getKey());
            }
        }
        assertThat(keys).isNotEmpty().noneMatch(k -> k.getAnnotationType() == null
                && (k.getTypeLiteral().getRawType() == ObjectMapper.class || k.getTypeLiteral().getRawType() == Clock.class));
        assertThat(keys).contains(Key.get(ObjectMapper.class, wales.exchange.delivery.Exchange.class),
                Key.get(Clock.class, wales.exchange.delivery.Exchange.class));
    }

    @Test
    void theConfigurerIsAMagnoliaComponentConfigurer() {
        assertThat(new ExchangeComponentConfigurer()).isInstanceOf(ComponentConfigurer.class);
    }

    /**
     * Defect 8: inside Magnolia every module setting comes from {@code /modules/exchange/config} (then environment),
     * through the same checks and derived objects as the server's: CORS origins, page URL, preview secret, intake.
     */
    @Test
    void theModuleConfigurationSetsTheModuleInMagnolia() {
        String secret = "a-preview-secret-of-at-least-32-characters";
        Injector injector = injector(java.util.Map.of("corsOrigins", "https://www.example.org", "pageUrl",
                "https://www.example.org/{segment}/{name}", "previewSecret", secret, "postModeratedBoards", "events"), w -> {
            throw new NoSuchWorkspaceException(w);
        });
        var delivery = injector.getInstance(wales.exchange.delivery.DeliveryConfig.class);
        assertThat(delivery.corsOrigins()).containsExactly("https://www.example.org");
        assertThat(delivery.pageUrlPattern()).isEqualTo("https://www.example.org/{segment}/{name}");
        assertThat(injector.getInstance(wales.exchange.intake.IntakeConfig.class).postModerated()).containsExactly("events");
        String token = new wales.exchange.delivery.http.PreviewTokens(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Clock.systemUTC()).issue(java.time.Duration.ofMinutes(5));
        assertThat(injector.getInstance(wales.exchange.delivery.http.PreviewTokens.class).valid(token)).isTrue();
        assertThatThrownBy(() -> injector(java.util.Map.of("pageUrl", "javascript:x"), w -> null))
                .hasMessageContaining("/modules/exchange/config/pageUrl must be an http(s) URL pattern");
    }
}
