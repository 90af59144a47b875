package wales.exchange.jcr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.content.ContentService;
import wales.exchange.content.Item;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/** The start-up repository check on a real on-disk Jackrabbit. */
class RepositoryCheckTest {
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentService service = new ContentService(model, Clock.systemUTC());

    @TempDir
    Path data;

    private Item create(EmbeddedRepository repo, String title) throws Exception {
        Session s = repo.login();
        try {
            return service.create(s, "resource", Map.of("title", Map.of("en", title), "kind", "report",
                    "moderationState", "published"), "editor");
        } finally {
            s.logout();
        }
    }

    @Test
    void aQueryCheckCutShortByAStopIsNoDamage() throws Exception {
        RepositoryCheck.Report storage;
        RepositoryCheck check;
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            create(repo, "Item");
            check = new RepositoryCheck(repo);
            storage = check.checkStorage();
        }
        // the server's query check runs after the storage check, in its thread: a stop may close the repository first
        RepositoryCheck.Report report = check.withQueryCheck(storage, Map.of(model.get("resource"), 1));
        assertThat(report.damages()).as("a repository shut down by a stop is not an unreadable index").isEmpty();
        assertThat(report.millis()).doesNotContainKey("queries");
    }

    /**
     * The server's check gives way to requests: its pacer is asked before each batch of bundles, outside the persistence
     * manager's lock (a save waits for that lock), and only on the checking thread.
     */
    @Test
    void theBundleCheckAsksItsPacerBeforeEachBatchOutsideTheStoresLock() throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            create(repo, "Item");
            java.util.List<Boolean> locked = new java.util.ArrayList<>();
            Thread checking = Thread.currentThread();
            Object workspace = repo.workspacePersistenceManager();
            Object versions = repo.versionPersistenceManager();
            RepositoryCheck check = new RepositoryCheck(repo, () -> {
                assertThat(Thread.currentThread()).isSameAs(checking);
                locked.add(Thread.holdsLock(workspace) || Thread.holdsLock(versions));
            });
            RepositoryCheck.Report report = check.checkStorage();
            assertThat(report.damages()).isEmpty();
            assertThat(locked).as("one batch or more in the workspace and in the version store").hasSizeGreaterThanOrEqualTo(2)
                    .containsOnly(false);
            assertThat(System.getProperty(Pacing.CHECK_BATCH_PROPERTY)).isEqualTo(Integer.toString(Pacing.CHECK_BATCH));
            int before = locked.size();
            new RepositoryCheck(repo).checkStorage(); // no pacer: none asked, not even the last one
            assertThat(locked).hasSize(before);
        }
    }

    /**
     * (From the review of the pacing work.) An interrupt of the checking thread while its pacer waits: the check ends as
     * by a stop (nothing reported) instead of reading on with the interrupt set, where a store's file channel closed by
     * the interrupt would read as damage.
     */
    @Test
    void anInterruptWhileThePacerWaitsReportsNothing() throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            create(repo, "Item");
            java.util.List<Pacing.Pacer> pacers = java.util.List.of(() -> {
                throw new InterruptedException();
            }, () -> Thread.currentThread().interrupt()); // the second as ClientActivity.awaitQuiet: the flag left set
            for (Pacing.Pacer pacer : pacers) {
                try {
                    RepositoryCheck.Report report = new RepositoryCheck(repo, pacer).checkStorage();
                    assertThat(report.damages()).as("no damage").isEmpty();
                    assertThat(report.checked()).isFalse();
                    assertThat(Thread.currentThread().isInterrupted()).as("the interrupt kept").isTrue();
                } finally {
                    Thread.interrupted();
                }
            }
            assertThat(new RepositoryCheck(repo).checkStorage().damages()).as("the repository is still sound").isEmpty();
        }
    }

    /** A stop ends the check at its next batch: it did not check, and that is no damage. */
    @Test
    void aCheckEndedByItsPacerReportsNothing() throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            create(repo, "Item");
            RepositoryCheck.Report report = new RepositoryCheck(repo, () -> {
                throw new Pacing.Stopped();
            }).checkStorage();
            assertThat(report.checked()).isFalse();
            assertThat(report.damages()).isEmpty();
        }
    }

    @Test
    void aSoundRepositoryHasNoDamageAndItsQueriesFindEveryItem() throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            for (int i = 0; i < 3; i++) {
                create(repo, "Item " + i);
            }
            RepositoryCheck check = new RepositoryCheck(repo);
            RepositoryCheck.Report report = check.withQueryCheck(check.checkStorage(), Map.of(model.get("resource"), 3));
            assertThat(report.checked()).isTrue();
            assertThat(report.damages()).isEmpty();
            assertThat(report.repairs()).isEmpty();
            assertThat(report.nodes()).isGreaterThan(3);
            assertThat(report.millis()).containsOnlyKeys("bundles", "index", "queries");
        }
    }

    @Test
    void aQueryFindingFewerItemsThanTheRepositoryHoldsIsAnIndexMismatch() throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            create(repo, "Only one");
            RepositoryCheck check = new RepositoryCheck(repo);
            ContentType resource = model.get("resource");
            RepositoryCheck.Report report = check.withQueryCheck(check.checkStorage(), Map.of(resource, 2));
            assertThat(report.damages()).singleElement().satisfies(d -> {
                assertThat(d.code()).isEqualTo(RepositoryCheck.SEARCH_INDEX_MISMATCH);
                assertThat(d.path()).isEqualTo(resource.rootPath());
                assertThat(d.detail()).contains("finds 1 resource items", "holds 2");
            });
        }
    }

    @Test
    void aMissingBundleIsFoundByJackrabbitsCheckerAtItsParent() throws Exception {
        Item item;
        String parentPath;
        String parentId;
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            item = create(repo, "Lost");
            create(repo, "Kept");
            Session s = repo.login();
            try {
                parentPath = s.getNodeByIdentifier(item.id()).getParent().getPath();
                parentId = s.getNodeByIdentifier(item.id()).getParent().getIdentifier();
            } finally {
                s.logout();
            }
        }
        // the bundle's row gone from the workspace's H2 database (H2PersistenceManager: table B_BUNDLE, key the id's 16 bytes)
        UUID uuid = UUID.fromString(item.id());
        byte[] key = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("workspaces/exchange/db/itemState").toAbsolutePath(), "", "");
             PreparedStatement delete = c.prepareStatement("delete from B_BUNDLE where NODE_ID = ?")) {
            delete.setBytes(1, key);
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            RepositoryCheck.Report report = new RepositoryCheck(repo).checkStorage();
            assertThat(report.damages()).singleElement().satisfies(d -> {
                assertThat(d.code()).isEqualTo("bundle-missing");
                assertThat(d.id()).isEqualTo(parentId);
                assertThat(d.path()).isEqualTo(parentPath);
                assertThat(d.detail()).contains(item.id());
            });
        }
    }
}
