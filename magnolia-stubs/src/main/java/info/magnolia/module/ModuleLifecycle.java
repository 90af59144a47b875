package info.magnolia.module;

/**
 * Stand-in for {@code info.magnolia.module.ModuleLifecycle}, the interface of a descriptor's {@code <class>}. Source
 * read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/ModuleLifecycle.java. Signature only.
 */
public interface ModuleLifecycle {
    void start(ModuleLifecycleContext moduleLifecycleContext);

    void stop(ModuleLifecycleContext moduleLifecycleContext);
}
