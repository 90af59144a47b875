package info.magnolia.module.delta;

import info.magnolia.module.InstallContext;

/**
 * Stand-in for {@code info.magnolia.module.delta.Task}. Mirrors: shared/reference/magnolia.md §1.4 (Task interface:
 * getName, getDescription, execute). Signature only.
 */
public interface Task {
    String getName();

    String getDescription();

    void execute(InstallContext installContext) throws TaskExecutionException;
}
