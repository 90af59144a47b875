package wales.exchange.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.jcr.Node;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import wales.exchange.content.ContentService;
import wales.exchange.i18n.Lang;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ModelLoader;

/**
 * The intake store on real Jackrabbit: what a {@link SubmissionListener} writes is saved with the submission or not at
 * all, personal data is apart, and concurrent identical submissions are stored once.
 */
@ExtendWith(JcrExtension.class)
class IntakeStoreTest {
    final ContentService service = new ContentService(ModelLoader.fromClasspath(getClass().getClassLoader()), Clock.systemUTC());
    final IntakeStore store = new IntakeStore(service, Clock.systemUTC(), new IntakeConfig(
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), Duration.ZERO, Duration.ofDays(30), 10, 10, 1024,
            Set.of()));

    static IntakeStore.NewSubmission comment(String text) {
        Map<String, Object> content = new LinkedHashMap<>(Map.of("target", "home", "displayName", "Sam", "body", text));
        return new IntakeStore.NewSubmission(IntakeTypes.COMMENT, content, Map.of("email", "sam@example.org"), "192.0.2.7", Lang.CY,
                IntakeService.digest(IntakeTypes.COMMENT, "sam@example.org", "home", text), null, null);
    }

    @Test
    void whatTheListenerWritesIsSavedWithTheSubmissionOrNotAtAll(Session session) throws Exception {
        IntakeStore.Stored stored = store.submit(session, comment("One"), st -> new Submission("comment", st.id(), st.reference(),
                Lang.CY, "sam@example.org", "Sam", "/submissions/x"), (s, sub) -> {
                    Node outbox = s.getRootNode().hasNode("outbox") ? s.getRootNode().getNode("outbox") : s.getRootNode().addNode("outbox");
                    outbox.addNode("n" + sub.reference().substring(3)).setProperty("to", sub.email());
                });
        assertThat(session.hasPendingChanges()).isFalse();
        assertThat(session.getNode("/outbox/n" + stored.reference().substring(3)).getProperty("to").getString()).isEqualTo("sam@example.org");
        Node item = session.getNodeByIdentifier(stored.id());
        assertThat(item.hasProperty("email")).isFalse();
        assertThat(store.personal(session, item).orElseThrow().getProperty("email").getString()).isEqualTo("sam@example.org");
        assertThat(store.personal(session, item).orElseThrow().getPrimaryNodeType().getName()).isEqualTo(IntakeStore.PERSONAL_TYPE);

        // a listener that fails: nothing of the submission is saved
        int before = store.personalRecords(session).size();
        assertThatThrownBy(() -> store.submit(session, comment("Two"), st -> null, (s, sub) -> {
            throw new javax.jcr.RepositoryException("outbox full");
        })).hasMessageContaining("outbox full");
        assertThat(session.hasPendingChanges()).isFalse();
        assertThat(store.personalRecords(session)).hasSize(before);
    }

    @Test
    void concurrentIdenticalSubmissionsAreStoredOnce(wales.exchange.jcr.EmbeddedRepository repository) throws Exception {
        int threads = 6;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    Session s = repository.login();
                    try {
                        start.await();
                        store.submit(s, comment("Same words"), st -> null, (x, sub) -> { });
                        return "stored";
                    } catch (IntakeStore.DuplicateException e) {
                        return "duplicate";
                    } finally {
                        s.logout();
                    }
                }));
            }
            start.countDown();
            List<String> outcomes = new java.util.ArrayList<>();
            for (var f : results) {
                outcomes.add(f.get());
            }
            assertThat(outcomes).containsOnlyOnce("stored").filteredOn("duplicate"::equals).hasSize(threads - 1);
        } finally {
            pool.shutdownNow();
        }
    }
}
