package wales.exchange.magnolia;

import info.magnolia.module.DefaultModuleVersionHandler;
import info.magnolia.module.InstallContext;
import info.magnolia.module.delta.AbstractTask;
import info.magnolia.module.delta.IsInstallSamplesTask;
import info.magnolia.module.delta.Task;
import info.magnolia.module.delta.TaskExecutionException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import wales.exchange.content.ContentService;
import wales.exchange.content.DemoContent;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.model.ModelLoader;

/**
 * Install: Magnolia's basic install tasks ({@link DefaultModuleVersionHandler#getBasicInstallTasks}) register the
 * descriptor's workspace and node types; this adds the demo content only when Magnolia installs samples
 * ({@code magnolia.bootstrap.samples=true}, through {@link IsInstallSamplesTask}), through the content service
 * (validated, sanitised, stamped like any write) and only into an empty workspace. The demo files are not in
 * {@code mgnl-bootstrap-samples/exchange/}, which Magnolia's {@code SamplesBootstrapTask} (a basic install task) would
 * import raw.
 */
public class ExchangeVersionHandler extends DefaultModuleVersionHandler {

    @Override
    protected List<Task> getExtraInstallTasks(InstallContext installContext) {
        List<Task> tasks = new ArrayList<>(super.getExtraInstallTasks(installContext));
        tasks.add(new ExchangeRolesTask());
        tasks.add(demoContentTask());
        return tasks;
    }

    /** Every update also brings the roles up to date (the task adds only what is missing). */
    @Override
    protected List<Task> getDefaultUpdateTasks(info.magnolia.module.model.Version forVersion) {
        List<Task> tasks = new ArrayList<>(super.getDefaultUpdateTasks(forVersion));
        tasks.add(new ExchangeRolesTask());
        return tasks;
    }

    /** The demo content, installed only when samples are enabled (production instances run without samples). */
    static Task demoContentTask() {
        return new IsInstallSamplesTask("ExChange demo content",
                "Installs the ExChange demo content when Magnolia installs samples", new InstallDemoContentTask());
    }

    /** Installs the ExChange demo content through the content service. */
    public static class InstallDemoContentTask extends AbstractTask {
        public InstallDemoContentTask() {
            super("ExChange demo content", "Installs the ExChange welcome post, LACE materials and events (en + cy) into an empty workspace");
        }

        @Override
        public void execute(InstallContext ctx) throws TaskExecutionException {
            try {
                ContentService service = new ContentService(ModelLoader.fromClasspath(getClass().getClassLoader()), Clock.systemUTC());
                int n = new DemoContent(service).installIfEmpty(ctx.getJCRSession(EmbeddedRepository.WORKSPACE));
                ctx.info("ExChange: installed " + n + " demo items");
            } catch (Exception e) {
                throw new TaskExecutionException("cannot install the ExChange demo content: " + e.getMessage(), e);
            }
        }
    }
}
