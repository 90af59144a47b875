package info.magnolia.module;

/**
 * Stand-in for {@code info.magnolia.module.ModuleVersionHandler}, the type of a descriptor's {@code <versionHandler>}.
 * Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/ModuleVersionHandler.java. Its members (getCurrentlyInstalled, getDeltas, getStartupDelta)
 * are implemented by {@link AbstractModuleVersionHandler} in Magnolia and not called by the module: none is mirrored.
 */
public interface ModuleVersionHandler {
}
