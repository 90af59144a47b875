package info.magnolia.module;

import info.magnolia.module.delta.Task;
import java.util.List;

/**
 * Stand-in for {@code info.magnolia.module.DefaultModuleVersionHandler}. Mirrors: shared/reference/magnolia.md §1.3
 * (override points verified on 6.3 code: getExtraInstallTasks, getStartupTasks). Signature only.
 */
public class DefaultModuleVersionHandler {
    public DefaultModuleVersionHandler() {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    protected List<Task> getExtraInstallTasks(InstallContext installContext) {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    protected List<Task> getStartupTasks(InstallContext installContext) {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }
}
