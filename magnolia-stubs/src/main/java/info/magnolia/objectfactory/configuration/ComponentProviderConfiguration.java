package info.magnolia.objectfactory.configuration;

/**
 * Stand-in for {@code info.magnolia.objectfactory.configuration.ComponentProviderConfiguration} (the components of a
 * provider, as read from module descriptors). Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/objectfactory/configuration/ComponentProviderConfiguration.java.
 * No member is mirrored: the module's glue uses none.
 */
public class ComponentProviderConfiguration {
}
