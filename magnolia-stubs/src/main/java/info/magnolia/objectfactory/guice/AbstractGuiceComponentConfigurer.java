package info.magnolia.objectfactory.guice;

import com.google.inject.AbstractModule;
import info.magnolia.objectfactory.ComponentProvider;
import info.magnolia.objectfactory.configuration.ComponentConfigurer;
import info.magnolia.objectfactory.configuration.ComponentProviderConfiguration;

/**
 * Stand-in for {@code info.magnolia.objectfactory.guice.AbstractGuiceComponentConfigurer}: a Guice module that is also a
 * {@link ComponentConfigurer}; Magnolia calls {@link #doWithConfiguration} and then installs it into the component
 * provider's injector. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/objectfactory/guice/AbstractGuiceComponentConfigurer.java; the same base class
 * in 6.4 code: merkle-open/magnolia-testing (TestingGuiceComponentConfigurer, {@code super.configure()}),
 * merkle-open/magnolia-headless README (HeadlessGuiceComponentConfigurer). Fields and the empty {@code configure()} are
 * as in the source; {@link #doWithConfiguration} only records its arguments, as Magnolia's does.
 */
public abstract class AbstractGuiceComponentConfigurer extends AbstractModule implements ComponentConfigurer {
    protected ComponentProvider parentComponentProvider;
    protected ComponentProviderConfiguration configuration;

    @Override
    public void doWithConfiguration(ComponentProvider parentComponentProvider, ComponentProviderConfiguration configuration) {
        this.parentComponentProvider = parentComponentProvider;
        this.configuration = configuration;
    }

    @Override
    protected void configure() {
    }
}
