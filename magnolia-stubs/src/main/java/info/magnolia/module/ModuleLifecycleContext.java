package info.magnolia.module;

/**
 * Stand-in for {@code info.magnolia.module.ModuleLifecycleContext}. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/ModuleLifecycleContext.java
 * (phase constants, {@code getPhase}); PHASE_MODULE_RESTART: "triggered through observation (change in the config
 * node)". Not mirrored: {@code getCurrentModuleDefinition}, {@code registerModuleObservingComponent}.
 */
public interface ModuleLifecycleContext {
    int PHASE_SYSTEM_STARTUP = 1;
    int PHASE_MODULE_RESTART = 2;
    int PHASE_SYSTEM_SHUTDOWN = 3;

    int getPhase();
}
