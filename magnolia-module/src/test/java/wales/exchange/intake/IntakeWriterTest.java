package wales.exchange.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import wales.exchange.content.ContentService;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ModelLoader;

/** The intake's writer on real Jackrabbit: a failed save leaves nothing behind that fails the submissions after it. */
@ExtendWith(JcrExtension.class)
class IntakeWriterTest {
    final ContentService service = new ContentService(ModelLoader.fromClasspath(getClass().getClassLoader()), Clock.systemUTC());
    final IntakeStore store = new IntakeStore(service, Clock.systemUTC(), new IntakeConfig(
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), Duration.ZERO, Duration.ofDays(30), 10, 10, 1024,
            Set.of()));

    /** A real session whose first save fails (a full disk, a lost database connection), as Jackrabbit leaves it: changes pending. */
    static Session failingOnce(Session real) {
        AtomicBoolean failed = new AtomicBoolean();
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class}, (proxy, m, args) -> {
            if (m.getName().equals("save") && failed.compareAndSet(false, true)) {
                throw new RepositoryException("disk full");
            }
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @Test
    void aFailedSaveOfNewFoldersDoesNotFailEverySubmissionAfterIt(EmbeddedRepository repository) throws Exception {
        // the writer opens its submissions' session, then its folders' session: the folders' first save fails
        Deque<Session> opened = new ArrayDeque<>();
        opened.add(repository.login());
        opened.add(failingOnce(repository.login()));
        IntakeWriter writer = new IntakeWriter(store, () -> opened.isEmpty() ? repository.login() : opened.poll());
        try {
            assertThatThrownBy(() -> writer.submit(new IntakeStore.Job(IntakeStoreTest.comment("First"), st -> null, (s, sub) -> { })))
                    .hasMessageContaining("disk full");
            // the disk has room again: the next submission is saved, in the folders the failed save was to make
            IntakeStore.Stored stored = writer.submit(new IntakeStore.Job(IntakeStoreTest.comment("Second"), st -> null, (s, sub) -> { }));
            Session check = repository.login();
            try {
                assertThat(check.getNodeByIdentifier(stored.id()).getPath()).isEqualTo(stored.path());
            } finally {
                check.logout();
            }
        } finally {
            writer.close();
        }
    }
}
