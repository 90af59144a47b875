package wales.exchange.delivery;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import jakarta.inject.Qualifier;

/**
 * Qualifies the module's own instances of general types ({@link java.time.Clock}, Jackson's {@code ObjectMapper}).
 * Magnolia installs the module's configurer into its shared main injector: an unqualified binding of such a type there
 * would clash with, or silently serve, any other module asking for one (issue 13, defect 9).
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.METHOD, ElementType.FIELD})
public @interface Exchange {
}
