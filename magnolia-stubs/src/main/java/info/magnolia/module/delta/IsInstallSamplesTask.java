package info.magnolia.module.delta;

import info.magnolia.module.InstallContext;

/**
 * Stand-in for {@code info.magnolia.module.delta.IsInstallSamplesTask}: delegates to {@code ifTrue} when Magnolia's
 * property {@code magnolia.bootstrap.samples} is true. Sources read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/delta/IsInstallSamplesTask.java (the
 * condition, both constructors) and module/delta/SamplesBootstrapTask.java (which extends it); in 6.x code it is
 * instantiated directly ({@code new IsInstallSamplesTask(name, description, task)} in
 * {@code org.packrunners.videos.setup.VideosModuleVersionHandler}, public Magnolia 6 course code), so it is concrete here.
 * The condition needs Magnolia's configuration: it throws.
 */
public class IsInstallSamplesTask extends ConditionalDelegateTask {

    public IsInstallSamplesTask(String taskName, String taskDescription, Task ifTrue, Task ifFalse) {
        super(taskName, taskDescription, ifTrue, ifFalse);
    }

    public IsInstallSamplesTask(String taskName, String taskDescription, Task ifTrue) {
        super(taskName, taskDescription, ifTrue);
    }

    @Override
    protected boolean condition(InstallContext installContext) throws TaskExecutionException {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }
}
