package info.magnolia.objectfactory.guice;

import com.google.inject.AbstractModule;

/**
 * Stand-in for {@code info.magnolia.objectfactory.guice.AbstractGuiceComponentConfigurer}: a Guice module named as
 * {@code <configurer>} in a module descriptor's {@code <components>} (shared/reference/magnolia.md §1.2, "optional
 * Guice module-style configurer"; used by merkle-open and IBM magkit modules). Signature only.
 */
public abstract class AbstractGuiceComponentConfigurer extends AbstractModule {
}
