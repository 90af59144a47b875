package info.magnolia.module.delta;

import info.magnolia.module.InstallContext;

/**
 * Stand-in for {@code info.magnolia.module.delta.Task}. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/delta/Task.java. Signature only.
 */
public interface Task {
    String getName();

    String getDescription();

    void execute(InstallContext installContext) throws TaskExecutionException;
}
