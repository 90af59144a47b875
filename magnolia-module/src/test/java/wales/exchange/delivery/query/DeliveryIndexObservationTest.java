package wales.exchange.delivery.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.jcr.Node;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.observation.EventIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.apache.jackrabbit.core.observation.SynchronousEventListener;
import wales.exchange.content.ContentService;
import wales.exchange.content.Item;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ModelLoader;

/** Issue 13, defect 7: the index observes only its content roots, and a restart (Magnolia's) starts clean. */
@ExtendWith(JcrExtension.class)
class DeliveryIndexObservationTest {
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentService service = new ContentService(model, Clock.systemUTC());

    @Test
    void onlyEventsUnderTheContentRootsReachTheListener(EmbeddedRepository repo, Session session) throws Exception {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        DeliveryIndex index = new DeliveryIndex(service, repo.login(), repo::login, List.of(model.get("resource")), Clock.systemUTC());
        index.start(listener -> (SynchronousEventListener) events -> {
            EventIterator[] copy = {events};
            List<String> paths = new java.util.ArrayList<>();
            while (copy[0].hasNext()) {
                try {
                    paths.add(copy[0].nextEvent().getPath());
                } catch (RepositoryException e) {
                    throw new IllegalStateException(e);
                }
            }
            seen.addAll(paths);
        });
        try {
            // unrelated content, and a version (jcr:system/jcr:versionStorage): none of it is the index's business
            Node other = session.getRootNode().addNode("elsewhere", "nt:unstructured").addNode("deep", "nt:unstructured");
            other.addMixin("mix:versionable");
            other.setProperty("x", "1");
            session.save();
            session.getWorkspace().getVersionManager().checkpoint(other.getPath());
            assertThat(seen).noneMatch(p -> p.startsWith("/jcr:system") || p.startsWith("/elsewhere/"));

            service.create(session, "resource", Map.of("title", Map.of("en", "Seen"), "kind", "report",
                    "moderationState", "published"), "editor");
            String root = model.get("resource").rootPath();
            assertThat(seen).anyMatch(p -> p.startsWith(root + "/"));
        } finally {
            index.stop();
        }
    }

    @Test
    void theRootItselfRemovedIsSeen(EmbeddedRepository repo, Session session) throws Exception {
        service.create(session, "resource", Map.of("title", Map.of("en", "Gone soon"), "kind", "report",
                "moderationState", "published"), "editor");
        DeliveryIndex index = new DeliveryIndex(service, repo.login(), repo::login, List.of(model.get("resource")), Clock.systemUTC());
        index.start();
        try {
            assertThat(index.size()).isEqualTo(1);
            session.getNode(model.get("resource").rootPath()).remove();
            session.save();
            assertThat(index.size()).isZero();
        } finally {
            index.stop();
        }
    }

    /**
     * Magnolia stops and starts a module when its configuration changes: the restarted index has what the repository has
     * now, and a generation it never had before, so no rendering cached before the stop is taken as current.
     */
    @Test
    void aStartAfterAStopKeepsNothingOld(EmbeddedRepository repo, Session session) throws Exception {
        Item kept = service.create(session, "resource", Map.of("title", Map.of("en", "Kept"), "kind", "report",
                "moderationState", "published"), "editor");
        Item removed = service.create(session, "resource", Map.of("title", Map.of("en", "Removed while stopped"),
                "kind", "report", "moderationState", "published"), "editor");
        DeliveryIndex index = new DeliveryIndex(service, repo.login(), repo::login, List.of(model.get("resource")), Clock.systemUTC());
        index.start();
        long before = index.generation();
        assertThat(index.entry(removed.id())).isPresent();
        index.stop();

        session.getNodeByIdentifier(removed.id()).remove();
        session.save();

        index.start();
        try {
            assertThat(index.entry(removed.id())).isEmpty();
            assertThat(index.entry(kept.id())).isPresent();
            assertThat(index.size()).isEqualTo(1);
            assertThat(index.generation()).as("renderings cached before the stop are stale").isGreaterThan(before);
        } finally {
            index.stop();
        }
    }
}
