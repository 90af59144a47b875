package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import info.magnolia.module.InstallContext;
import info.magnolia.module.delta.IsInstallSamplesTask;
import info.magnolia.module.delta.Task;
import java.util.List;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.JcrExtension;

/** Issue 13, defect 2: demo content only with samples, and only through the module's own content service. */
@ExtendWith(JcrExtension.class)
class ExchangeVersionHandlerTest {

    @Test
    void theDemoContentIsAnInstallTaskOnlyWhenSamplesAreInstalled() {
        List<Task> tasks = new ExchangeVersionHandler().getExtraInstallTasks(mock(InstallContext.class));
        assertThat(tasks).noneMatch(t -> t instanceof ExchangeVersionHandler.InstallDemoContentTask);
        assertThat(tasks).filteredOn(t -> t instanceof IsInstallSamplesTask).singleElement()
                .extracting(Task::getName).isEqualTo("ExChange demo content");
    }

    @Test
    void theDemoTaskInstallsThroughTheContentServiceIntoAnEmptyWorkspaceOnce(Session session) throws Exception {
        InstallContext ctx = mock(InstallContext.class);
        when(ctx.getJCRSession(EmbeddedRepository.WORKSPACE)).thenReturn(session);
        new ExchangeVersionHandler.InstallDemoContentTask().execute(ctx);
        verify(ctx).info("ExChange: installed 15 demo items");
        new ExchangeVersionHandler.InstallDemoContentTask().execute(ctx);
        verify(ctx).info("ExChange: installed 0 demo items");
    }
}
