package info.magnolia.objectfactory.configuration;

import info.magnolia.objectfactory.ComponentProvider;

/**
 * Stand-in for {@code info.magnolia.objectfactory.configuration.ComponentConfigurer}, the type of a module descriptor's
 * {@code <configurer>}. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/objectfactory/configuration/ComponentConfigurer.java. Signature only.
 */
public interface ComponentConfigurer {
    void doWithConfiguration(ComponentProvider parentComponentProvider, ComponentProviderConfiguration configuration);
}
