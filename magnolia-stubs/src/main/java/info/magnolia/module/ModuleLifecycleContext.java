package info.magnolia.module;

/**
 * Stand-in for {@code info.magnolia.module.ModuleLifecycleContext} (Magnolia 6.4). Mirrors: Magnolia docs, "Module
 * class" and shared/reference/magnolia.md §1.3 (phase constants). Signature only.
 */
public interface ModuleLifecycleContext {
    int PHASE_SYSTEM_STARTUP = 1;
    int PHASE_MODULE_RESTART = 2;
    int PHASE_SYSTEM_SHUTDOWN = 3;

    int getPhase();
}
