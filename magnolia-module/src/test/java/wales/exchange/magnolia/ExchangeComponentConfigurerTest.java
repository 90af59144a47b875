package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.name.Names;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import wales.exchange.delivery.query.Delivery;
import wales.exchange.delivery.DeliveryModule;
import wales.exchange.delivery.index.DeliveryIndex;

/**
 * Magnolia's main injector runs in {@link Stage#PRODUCTION}, which builds every singleton when it is created, before
 * modules are installed: nothing the configurer binds may open a session then (issue 13, defect 1). Here no workspace
 * exists at all: the stand-in {@code MgnlContext} throws on any session request.
 */
class ExchangeComponentConfigurerTest {

    @Test
    void theInjectorIsCreatedInProductionStageWithoutTheWorkspace() {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new ExchangeComponentConfigurer());
        assertThat(injector.getInstance(DeliveryIndex.class)).isNotNull();
        assertThat(injector.getInstance(Delivery.class)).isNotNull();
        assertThat(injector.getInstance(ExchangeModule.class)).isNotNull();
    }

    @Test
    void theSessionIsOpenedWhenTheIndexStartsThatIsWhenTheModuleStarts() {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new ExchangeComponentConfigurer());
        Session session = injector.getInstance(Key.get(Session.class, Names.named(DeliveryModule.READ_MODEL_SESSION)));
        session.logout(); // never opened: nothing to close, nothing asked of Magnolia
        assertThatThrownBy(() -> injector.getInstance(DeliveryIndex.class).start())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("Magnolia stand-in");
    }
}
