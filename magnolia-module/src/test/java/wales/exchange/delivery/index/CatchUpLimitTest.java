package wales.exchange.delivery.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.jcr.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.content.ContentService;
import wales.exchange.content.Item;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/**
 * Issue 15: a start's catch-up of its snapshot stays bounded. One that would read again more than
 * {@link DeliveryIndex#catchUpLimit} items is refused before it reads any (the start reads every item, the reason in
 * the one "not using the snapshot" line); one below it reads with sessions of its own, {@link DeliveryIndex#LOAD_BATCH}
 * items each, every one closed (a cluster node that missed 10,000 writes at 100k items ran out of heap re-reading all
 * 111,000 through the writer's one session). Real Jackrabbit, a snapshot file on disk; every item here is recent, so
 * the catch-up's hour of margin reads every item again, as on the measured cluster.
 */
@ExtendWith(JcrExtension.class)
class CatchUpLimitTest {
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentService service = new ContentService(model, Clock.systemUTC());
    private final List<ContentType> types = List.of(model.get("resource"));
    /** Every session the indexes opened through their session factory. */
    private final List<Session> opened = new CopyOnWriteArrayList<>();
    private final List<Session> writers = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void logOut() {
        writers.forEach(Session::logout);
    }

    private DeliveryIndex started(EmbeddedRepository repo) throws Exception {
        Session writer = repo.login();
        writers.add(writer);
        DeliveryIndex index = new DeliveryIndex(service, writer, () -> {
            Session s = repo.login();
            opened.add(s);
            return s;
        }, types, Clock.systemUTC());
        index.persistTo(new FileSnapshotStore(dir));
        index.start();
        return index;
    }

    private Item create(Session s, String title) {
        return service.create(s, "resource", Map.of("title", Map.of("en", title, "cy", title + " cy"), "kind", "report",
                "moderationState", "published"), "editor");
    }

    /** {@code n} items, read in full by a first start whose clean stop saves the snapshot. */
    private void savedSnapshotOf(EmbeddedRepository repo, Session s, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            create(s, "Resource " + i);
        }
        DeliveryIndex first = started(repo);
        assertThat(first.loadedFrom()).isEqualTo("the repository");
        assertThat(first.size()).isEqualTo(n);
        first.stop();
    }

    @Test
    void aCatchUpThatWouldReadMoreThanTheLimitIsRefusedBeforeReadingAndTheStartReadsEveryItem(EmbeddedRepository repo,
                                                                                              Session s) throws Exception {
        int n = (int) DeliveryIndex.CATCH_UP_MIN_LIMIT;
        savedSnapshotOf(repo, s, n);
        // missed while stopped: one item added, one edited; with the hour's margin every item would be read again
        Item added = create(s, "Added while stopped");
        Item old = service.list(s, "resource", 0, 2).stream().filter(i -> !i.id().equals(added.id())).findFirst().orElseThrow();
        Item edited = service.update(s, "resource", old.id(), old.revision(), Map.of("title", Map.of("en", "Edited while stopped")), "editor");

        DeliveryIndex index = started(repo);
        assertThat(index.caughtUp()).as("not caught up").isNull();
        assertThat(index.loadedFrom()).isEqualTo("the repository");
        assertThat(index.snapshotRejection()).contains("cannot catch up")
                .contains((n + 1) + " items saved since an hour before the snapshot's newest would be read again")
                .contains("limit of " + DeliveryIndex.CATCH_UP_MIN_LIMIT);
        assertThat(index.itemsRead()).as("every item read once, by the full read only: none before the refusal")
                .isEqualTo(n + 1);
        assertThat(index.size()).isEqualTo(n + 1);
        assertThat(index.entry(added.id())).isPresent();
        assertThat(index.entry(edited.id()).orElseThrow().item.revision()).isEqualTo(edited.revision());
        assertThat(index.entry(edited.id()).orElseThrow().item.revision()).isGreaterThan(old.revision());
        index.stop();
    }

    @Test
    void aCatchUpBelowTheLimitReadsInBatchesWithSessionsThatAreClosed(EmbeddedRepository repo, Session s) throws Exception {
        int n = DeliveryIndex.LOAD_BATCH + 100;
        savedSnapshotOf(repo, s, n);
        Item added = create(s, "Added while stopped");
        opened.clear();

        DeliveryIndex index = started(repo);
        assertThat(index.snapshotRejection()).isNull();
        assertThat(index.loadedFrom()).isEqualTo("the snapshot file");
        DeliveryIndex.CatchUp c = index.caughtUp();
        assertThat(c).as("caught up").isNotNull();
        assertThat(c.read()).as("every item is within the hour's margin").isEqualTo(n + 1);
        assertThat(index.itemsRead()).isEqualTo(n + 1);
        assertThat(opened).as("one session of its own a batch of %d", DeliveryIndex.LOAD_BATCH)
                .hasSize((n + 1 + DeliveryIndex.LOAD_BATCH - 1) / DeliveryIndex.LOAD_BATCH);
        assertThat(opened).as("each closed after its batch").noneMatch(Session::isLive);
        assertThat(index.size()).isEqualTo(n + 1);
        assertThat(index.entry(added.id())).isPresent();
        index.stop();
    }

    @Test
    void theLimitIsAQuarterOfTheItemsWithAFloor() {
        assertThat(DeliveryIndex.catchUpLimit(100_000)).isEqualTo(25_000);
        assertThat(DeliveryIndex.catchUpLimit(40)).isEqualTo(DeliveryIndex.CATCH_UP_MIN_LIMIT);
    }
}
