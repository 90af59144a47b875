package info.magnolia.objectfactory;

/**
 * Stand-in for {@code info.magnolia.objectfactory.Components} (a subset, exact signature). Source read:
 * ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/objectfactory/Components.java
 * ({@code public static <T> T getComponent(Class<T> type)}); the same call in a Magnolia 6.4 (jakarta) REST provider:
 * IBM/magkit (commit cfd23fc) magkit-notfound/src/main/java/de/ibmix/magkit/notfound/PageRenderingErrorMapping.java,
 * whose no-argument constructor takes its collaborator from {@code Components.getComponent}. Signature only: throws.
 */
public final class Components {
    private Components() {
    }

    public static <T> T getComponent(Class<T> type) {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }
}
