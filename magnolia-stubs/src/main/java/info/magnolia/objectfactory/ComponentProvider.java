package info.magnolia.objectfactory;

/**
 * Stand-in for {@code info.magnolia.objectfactory.ComponentProvider}. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/objectfactory/ComponentProvider.java
 * (shared/reference/magnolia.md section 9 for 6.x use of {@code getComponent}). Only {@code getComponent} is mirrored (it
 * also declares the unchecked {@code NoSuchComponentException}).
 */
public interface ComponentProvider {
    <T> T getComponent(Class<T> type);
}
