package wales.exchange.delivery.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import wales.exchange.content.Item;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/** Snapshot building without a repository: what a refresh does to entries, indexes, generation and validators. */
class SnapshotTest {
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentType resource = model.get("resource");
    private final ContentType event = model.get("event");
    private final List<ContentType> types = List.of(resource, event);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Entry entry(ContentType type, String id, String path, long revision, Instant modified, boolean published) {
        Item item = new Item(type.name(), id, path, path.substring(path.lastIndexOf('/') + 1), revision,
                OffsetDateTime.ofInstant(T0, ZoneOffset.UTC), "editor", OffsetDateTime.ofInstant(modified, ZoneOffset.UTC), "editor",
                Map.of("title", Map.of("en", "Item " + id), "moderationState", published ? "published" : "draft"));
        return new Entry(item, type);
    }

    private static String id(int n) {
        return String.format("00000000-0000-0000-0000-%012d", n);
    }

    @Test
    void aSnapshotIndexesEveryEntryAndItsValidators() {
        Entry a = entry(resource, id(1), "/resources/a", 1, T0.plusSeconds(10), true);
        Entry b = entry(resource, id(2), "/resources/b", 1, T0.plusSeconds(20), false);
        Entry c = entry(event, id(3), "/events/c", 1, T0.plusSeconds(5), true);
        Snapshot s = Snapshot.of(types, List.of(a, b, c), 1, 7);
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.entry(id(2))).containsSame(b);
        assertThat(s.idAt("/events/c")).isEqualTo(id(3));
        assertThat(s.index("resource").entries).containsExactly(b, a); // newest first
        assertThat(s.index("event").entries).containsExactly(c);
        assertThat(s.lastChange()).isEqualTo(T0.plusSeconds(20));
        assertThat(s.lastPublicChange(List.of("resource"))).as("a draft never moves it").isEqualTo(T0.plusSeconds(10));
        assertThat(s.lastPublicChange(List.of("resource", "event"))).isEqualTo(T0.plusSeconds(10));
        assertThat(s.generation()).isEqualTo(1);
        assertThat(s.sequence()).isEqualTo(7);
    }

    @Test
    void aRefreshMakesANewSnapshotAndLeavesTheOldOneAsItWas() {
        Entry a = entry(resource, id(1), "/resources/a", 1, T0.plusSeconds(10), true);
        Entry c = entry(event, id(3), "/events/c", 1, T0.plusSeconds(5), true);
        Snapshot s = Snapshot.of(types, List.of(a, c), 1, 1);
        Entry a2 = entry(resource, id(1), "/resources/a", 2, T0.plusSeconds(100), true);
        Entry d = entry(resource, id(4), "/resources/d", 1, T0.plusSeconds(50), false);
        Instant now = T0.plusSeconds(200);
        Snapshot next = s.apply(List.of(new Snapshot.Refresh("/resources/a", List.of(a2)),
                new Snapshot.Refresh("/resources/d", List.of(d))), now, 2);
        assertThat(next.entry(id(1))).containsSame(a2);
        assertThat(next.size()).isEqualTo(3);
        assertThat(next.generation()).isEqualTo(2);
        assertThat(next.sequence()).isEqualTo(2);
        assertThat(next.lastChange()).isEqualTo(now);
        assertThat(next.lastPublicChange(List.of("resource"))).as("a published item saved: its lastModified")
                .isEqualTo(T0.plusSeconds(100));
        assertThat(next.index("event")).as("an untouched type keeps its index (and its search cache)").isSameAs(s.index("event"));
        assertThat(next.index("resource")).isNotSameAs(s.index("resource"));
        // the old snapshot is unchanged: a reader holding it sees one consistent state
        assertThat(s.entry(id(1))).containsSame(a);
        assertThat(s.entry(id(4))).isEmpty();
        assertThat(s.index("resource").entries).containsExactly(a);
        assertThat(s.generation()).isEqualTo(1);
    }

    @Test
    void unpublishingRemovingAndMovingMoveTheLastPublicChangeToNow() {
        Entry a = entry(resource, id(1), "/resources/a", 1, T0.plusSeconds(10), true);
        Entry b = entry(resource, id(2), "/resources/b", 1, T0.plusSeconds(10), true);
        Entry c = entry(resource, id(3), "/resources/c", 1, T0.plusSeconds(10), true);
        Snapshot s = Snapshot.of(types, List.of(a, b, c), 1, 1);
        Instant now = T0.plusSeconds(1000);
        Snapshot unpublished = s.apply(List.of(new Snapshot.Refresh("/resources/a",
                List.of(entry(resource, id(1), "/resources/a", 2, T0.plusSeconds(20), false)))), now, 2);
        assertThat(unpublished.lastPublicChange(List.of("resource"))).isEqualTo(now);
        Snapshot removed = s.apply(List.of(new Snapshot.Refresh("/resources/b", List.of())), now, 2);
        assertThat(removed.entry(id(2))).isEmpty();
        assertThat(removed.idAt("/resources/b")).isNull();
        assertThat(removed.lastPublicChange(List.of("resource"))).isEqualTo(now);
        Snapshot moved = s.apply(List.of(new Snapshot.Refresh("/resources/c", List.of()),
                new Snapshot.Refresh("/resources/x/c", List.of(entry(resource, id(3), "/resources/x/c", 1, T0.plusSeconds(10), true)))),
                now, 2);
        assertThat(moved.idAt("/resources/x/c")).isEqualTo(id(3));
        assertThat(moved.idAt("/resources/c")).isNull();
        assertThat(moved.lastPublicChange(List.of("resource"))).isEqualTo(now);
        Snapshot draftSaved = unpublished.apply(List.of(new Snapshot.Refresh("/resources/a",
                List.of(entry(resource, id(1), "/resources/a", 3, T0.plusSeconds(30), false)))), now.plusSeconds(5), 3);
        assertThat(draftSaved.lastPublicChange(List.of("resource"))).as("a draft's save never moves it").isEqualTo(now);
        assertThat(draftSaved.lastChange()).isEqualTo(now.plusSeconds(5));
    }

    @Test
    void aFolderRefreshForgetsEverythingBelowItAndNothingElse() {
        Entry a = entry(resource, id(1), "/resources/2026/a", 1, T0, true);
        Entry b = entry(resource, id(2), "/resources/2026/b", 1, T0, true);
        Entry c = entry(resource, id(3), "/resources/2026b", 1, T0, true);
        Snapshot s = Snapshot.of(types, List.of(a, b, c), 1, 1);
        Snapshot next = s.apply(List.of(new Snapshot.Refresh("/resources/2026", List.of(b))), T0.plusSeconds(1), 2);
        assertThat(next.entry(id(1))).isEmpty();
        assertThat(next.entry(id(2))).containsSame(b);
        assertThat(next.entry(id(3))).as("a sibling sharing the prefix is not below the folder").containsSame(c);
    }

    @Test
    void nothingDeliveredChangedKeepsTheGenerationSoCachesStayValid() {
        Snapshot s = Snapshot.of(types, List.of(entry(resource, id(1), "/resources/a", 1, T0, true)), 4, 1);
        Snapshot next = s.apply(List.of(), T0.plusSeconds(9), 5);
        assertThat(next.generation()).isEqualTo(4);
        assertThat(next.sequence()).isEqualTo(5);
        assertThat(next.lastChange()).isEqualTo(s.lastChange());
        assertThat(next.index("resource")).isSameAs(s.index("resource"));
    }
}
