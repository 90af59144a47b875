package info.magnolia.module;

import info.magnolia.module.delta.Task;
import java.util.Collections;
import java.util.List;

/**
 * Stand-in for {@code info.magnolia.module.AbstractModuleVersionHandler}: the install delta is
 * {@code getBasicInstallTasks} then {@code getExtraInstallTasks} (then the version stamp); start-up runs
 * {@code getStartupTasks}. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/AbstractModuleVersionHandler.java; the same override points in 6.x
 * code: IBM/magkit magkit-setup/src/main/java/de/ibmix/magkit/setup/BootstrapModuleVersionHandler.java. Update deltas
 * ({@code register(Delta)}) are not mirrored; {@code getDefaultUpdateTasks(Version)} is (the tasks of every update: in
 * the source, the module files extraction and the version stamp, left out here). The other overridable defaults return
 * an empty list, as in the source.
 */
public abstract class AbstractModuleVersionHandler implements ModuleVersionHandler {

    public AbstractModuleVersionHandler() {
    }

    protected abstract List<Task> getBasicInstallTasks(InstallContext installContext);

    protected List<Task> getExtraInstallTasks(InstallContext installContext) {
        return Collections.emptyList();
    }

    protected List<Task> getDefaultUpdateTasks(info.magnolia.module.model.Version forVersion) {
        return new java.util.ArrayList<>();
    }

    protected List<Task> getStartupTasks(InstallContext installContext) {
        return Collections.emptyList();
    }
}
