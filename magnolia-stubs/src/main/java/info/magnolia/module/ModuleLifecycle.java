package info.magnolia.module;

/**
 * Stand-in for {@code info.magnolia.module.ModuleLifecycle} (Magnolia 6.4). Mirrors: Magnolia docs, "Module class"
 * (developing/module-structure) and shared/reference/magnolia.md §1.3. Signature only.
 */
public interface ModuleLifecycle {
    void start(ModuleLifecycleContext moduleLifecycleContext);

    void stop(ModuleLifecycleContext moduleLifecycleContext);
}
