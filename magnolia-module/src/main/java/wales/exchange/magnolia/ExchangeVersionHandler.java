package wales.exchange.magnolia;

import info.magnolia.module.DefaultModuleVersionHandler;
import info.magnolia.module.InstallContext;
import info.magnolia.module.delta.AbstractTask;
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
 * Install: Magnolia creates the workspace and registers the node types from the descriptor; this adds the demo content
 * (only into an empty workspace, validated like any other write).
 */
public class ExchangeVersionHandler extends DefaultModuleVersionHandler {

    @Override
    protected List<Task> getExtraInstallTasks(InstallContext installContext) {
        List<Task> tasks = new ArrayList<>(super.getExtraInstallTasks(installContext));
        tasks.add(new InstallDemoContentTask());
        return tasks;
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
