package info.magnolia.module.delta;

import info.magnolia.module.InstallContext;

/**
 * Stand-in for {@code info.magnolia.module.delta.ConditionalDelegateTask}: runs {@code ifTrue} when
 * {@link #condition} holds, else {@code ifFalse} (if any). Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/delta/ConditionalDelegateTask.java.
 * {@link #execute} behaves as the source's.
 */
public abstract class ConditionalDelegateTask extends AbstractTask {
    private final Task ifTrue;
    private final Task ifFalse;

    protected ConditionalDelegateTask(String taskName, String taskDescription, Task ifTrue) {
        this(taskName, taskDescription, ifTrue, null);
    }

    public ConditionalDelegateTask(String taskName, String taskDescription, Task ifTrue, Task ifFalse) {
        super(taskName, taskDescription);
        this.ifTrue = ifTrue;
        this.ifFalse = ifFalse;
    }

    @Override
    public void execute(InstallContext ctx) throws TaskExecutionException {
        Task task = condition(ctx) ? ifTrue : ifFalse;
        if (task != null) {
            task.execute(ctx);
        }
    }

    protected abstract boolean condition(InstallContext installContext) throws TaskExecutionException;
}
