package wales.exchange.settings;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.Exchange;
import wales.exchange.delivery.http.PreviewTokens;
import wales.exchange.delivery.http.RateLimiter;
import wales.exchange.intake.IntakeConfig;

/**
 * What both hosts derive from the {@link ExchangeSettings} they bind (the server from flags and environment, Magnolia
 * from its module configuration and environment), written once: the delivery configuration, the preview tokens, the
 * intake's configuration and the per-client rate limiter.
 */
public final class SettingsModule extends AbstractModule {

    @Provides @Singleton
    DeliveryConfig deliveryConfig(ExchangeSettings settings) {
        return settings.deliveryConfig();
    }

    /** Preview tokens with the configured secret, or a random one per start. */
    @Provides @Singleton
    PreviewTokens previewTokens(ExchangeSettings settings, @Exchange Clock clock) {
        return new PreviewTokens(settings.previewKey(), clock);
    }

    @Provides @Singleton
    IntakeConfig intakeConfig(ExchangeSettings settings) {
        return settings.intake().config();
    }

    /** Per client address, bursts of twice the rate. */
    @Provides @Singleton
    RateLimiter rateLimiter(ExchangeSettings settings) {
        return new RateLimiter(settings.rateLimit(), 2L * settings.rateLimit());
    }
}
