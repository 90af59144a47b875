package wales.exchange.delivery.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import javax.jcr.Node;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import wales.exchange.content.ContentService;
import wales.exchange.delivery.index.SnapshotStore.Stamp;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/**
 * A restart's check of its snapshot asks for the repository's stamps with the snapshot's as a hint: whatever the hint
 * says, the stamps are the repository's, the same as without one (real Jackrabbit, dates a millisecond apart).
 */
@ExtendWith(JcrExtension.class)
class RepositoryStampsTest {
    private static final long T = 1_764_000_000_123L;
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentType resource = model.get("resource");
    private final ContentType event = model.get("event");
    private final List<ContentType> types = List.of(resource, event);

    private static void item(Session s, ContentType t, String name, long lastModified) throws Exception {
        Node n = s.getRootNode().addNode(name, t.nodeType());
        Calendar c = Calendar.getInstance(TimeZone.getTimeZone("Asia/Kolkata"));
        c.setTimeInMillis(lastModified);
        n.setProperty(ContentService.LAST_MODIFIED, c);
        s.save();
    }

    private Map<String, Stamp> hinted(Session s, long resourceNewest) throws Exception {
        Map<String, Stamp> hint = Map.of(resource.name(), new Stamp(3, resourceNewest), event.name(), new Stamp(0, 0));
        Map<String, Stamp> out = RepositoryStamps.of(s, types, hint);
        assertThat(out).as("hint %s", resourceNewest).isEqualTo(RepositoryStamps.of(s, types));
        return out;
    }

    @Test
    void theHintNeverChangesTheStamps(Session s) throws Exception {
        item(s, resource, "a", T - 60_000);
        item(s, resource, "b", T);
        item(s, resource, "c", T - 1);
        Map<String, Stamp> expected = Map.of(resource.name(), new Stamp(3, T), event.name(), new Stamp(0, 0));
        assertThat(RepositoryStamps.of(s, types)).isEqualTo(expected);

        var qm = s.getWorkspace().getQueryManager();
        String all = "//element(*, " + resource.nodeType() + ")";
        assertThat(RepositoryStamps.confirmed(qm, all, T)).as("the cheap path, to the millisecond").isTrue();
        assertThat(RepositoryStamps.confirmed(qm, all, T - 1)).isFalse();
        assertThat(RepositoryStamps.confirmed(qm, all, T + 1)).isFalse();
        assertThat(RepositoryStamps.confirmed(qm, all, T - 30_000)).isFalse();

        assertThat(hinted(s, T)).isEqualTo(expected); // the snapshot's stamps confirmed
        assertThat(hinted(s, T - 1)).isEqualTo(expected); // a newer item than the snapshot's newest: a millisecond
        assertThat(hinted(s, T + 1)).isEqualTo(expected); // the snapshot's newest item is gone
        assertThat(hinted(s, T - 30_000)).isEqualTo(expected); // a time no item has
        assertThat(hinted(s, 0)).isEqualTo(expected);

        // an item without lastModified counts, and adds no stamp
        Node bare = s.getRootNode().addNode("d", resource.nodeType());
        bare.setProperty(ContentService.CREATED, Calendar.getInstance());
        s.save();
        Map<String, Stamp> withBare = Map.of(resource.name(), new Stamp(4, T), event.name(), new Stamp(0, 0));
        assertThat(hinted(s, T)).isEqualTo(withBare);
        assertThat(hinted(s, T - 1)).isEqualTo(withBare);

        item(s, event, "e", T + 5);
        assertThat(RepositoryStamps.of(s, types, Map.of(event.name(), new Stamp(0, 0))).get(event.name()))
                .isEqualTo(new Stamp(1, T + 5));
        assertThat(RepositoryStamps.of(s, types, Map.of(event.name(), new Stamp(1, T + 5))).get(event.name()))
                .isEqualTo(new Stamp(1, T + 5));
    }

    @Test
    void aTypeWithoutItemsIsStampedNoneWhateverTheHint(Session s) throws Exception {
        assertThat(RepositoryStamps.of(s, types, Map.of(resource.name(), new Stamp(2, T))))
                .isEqualTo(Map.of(resource.name(), new Stamp(0, 0), event.name(), new Stamp(0, 0)));
    }
}
