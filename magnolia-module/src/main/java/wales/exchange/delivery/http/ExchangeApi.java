package wales.exchange.delivery.http;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * JAX-RS name binding of the module's own endpoints (delivery, moderation, intake, comments, health): a filter carrying
 * it runs only for requests matched to one of them, never for another module's endpoint under Magnolia's shared
 * {@code /.rest/*} (JAX-RS 3.1, section 6.5.2). Name binding does not apply to pre-matching filters and exception
 * mappers: those check {@link ApiRoutes#isOurs} instead.
 */
@NameBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ExchangeApi {
}
