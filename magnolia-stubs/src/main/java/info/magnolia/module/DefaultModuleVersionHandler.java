package info.magnolia.module;

import info.magnolia.module.delta.Task;
import java.util.List;

/**
 * Stand-in for {@code info.magnolia.module.DefaultModuleVersionHandler}. Its basic install tasks set up the descriptor's
 * repositories, workspaces and node types, bootstrap {@code mgnl-bootstrap/<module>/}, bootstrap
 * {@code mgnl-bootstrap-samples/<module>/} when samples are enabled ({@code SamplesBootstrapTask}), extract
 * {@code mgnl-files/} and register servlets. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/DefaultModuleVersionHandler.java and
 * module/delta/SamplesBootstrapTask.java; 6.x subclasses: IBM/magkit BootstrapModuleVersionHandler. Signature only: the
 * tasks need Magnolia.
 */
public class DefaultModuleVersionHandler extends AbstractModuleVersionHandler {

    @Override
    protected List<Task> getBasicInstallTasks(InstallContext installContext) {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }
}
