package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.jackrabbit.core.journal.DatabaseJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.content.Item;

/**
 * Trimming the cluster journal on a real PostgreSQL (docs/operations.md, "Cluster"): {@code --cluster-janitor-hours}
 * sets Jackrabbit's janitor on every node (on by default, daily; 0: off); the janitor deletes only the journal records
 * below the lowest revision in {@code journal_local_revisions}, so a stopped node keeps what it still needs and catches
 * up when it comes back; a node removed for good holds the journal back until its row is deleted; and a new node
 * joins after trimming from an empty data directory. The janitor's thread wakes first at 03:00: the test runs the
 * clean-up its thread runs at each wake-up ({@link DatabaseJournal.RevisionTableJanitor}) directly.
 */
class ClusterJournalTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static DatabaseJournal journal(ExchangeServerExtension node) {
        DatabaseJournal j = node.injector().getInstance(ServerRepository.class).get().clusterJournal();
        assertThat(j).as("the node's cluster journal").isNotNull();
        return j;
    }

    /** One pass of the janitor: what its thread does at each wake-up. */
    static void janitorPass(DatabaseJournal journal) {
        new OnePass(journal).once();
    }

    static final class OnePass extends DatabaseJournal.RevisionTableJanitor {
        OnePass(DatabaseJournal journal) {
            journal.super();
        }

        void once() {
            cleanUpOldRevisions();
        }
    }

    static long query(String sql, Object... args) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG.url(), "exchange", PostgresExtension.PASSWORD);
             PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            if (!s.execute()) {
                return s.getUpdateCount();
            }
            try (ResultSet r = s.getResultSet()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    static long local(String node) throws SQLException {
        return query("select revision_id from journal_local_revisions where journal_id = ?", node);
    }

    static long head() throws SQLException {
        return query("select revision_id from journal_global_revision");
    }

    static long recordsBelow(long revision) throws SQLException {
        return query("select count(*) from journal_journal where revision_id < ?", revision);
    }

    static long recordsFrom(long revision) throws SQLException {
        return query("select count(*) from journal_journal where revision_id >= ?", revision);
    }

    static void awaitAtHead(String... nodes) throws Exception {
        Conditions.await(String.join(", ", nodes) + " at the journal's head", ClusterTest.TARGET, () -> {
            for (String n : nodes) {
                if (local(n) != head()) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void theJanitorDeletesWhatEveryNodeHasReadKeepsWhatAStoppedNodeNeedsAndANewNodeStillJoins() throws Exception {
        java.nio.file.Path dataB = Files.createTempDirectory("exchange-trim-b-");
        try (ExchangeServerExtension a = ClusterTest.node(PG, "trim-a", Files.createTempDirectory("exchange-trim-a-"),
                "--cluster-janitor-hours", "6")) {
            DatabaseJournal journalA = journal(a);
            assertThat(journalA.getJanitorEnabled()).isTrue();
            assertThat(journalA.getJanitorSleep()).as("seconds between runs").isEqualTo(6 * 3600);
            assertThat(journalA.getJanitorFirstRunHourOfDay()).isEqualTo(3);

            // a node that will be removed for good; its janitor is off
            try (ExchangeServerExtension gone = ClusterTest.node(PG, "trim-gone", Files.createTempDirectory("exchange-trim-gone-"),
                    "--cluster-janitor-hours", "0")) {
                assertThat(journal(gone).getJanitorEnabled()).as("0 hours: no janitor").isFalse();
            }
            String firstWord = "beforetrim" + System.nanoTime();
            Item first = ClusterTest.publish(a, firstWord);
            Item second;
            try (ExchangeServerExtension b = ClusterTest.node(PG, "trim-b", dataB)) {
                assertThat(journal(b).getJanitorEnabled()).as("on by default").isTrue();
                assertThat(journal(b).getJanitorSleep()).as("daily by default").isEqualTo(24 * 3600);
                second = ClusterTest.publish(b, "secondtrim" + System.nanoTime());
                Conditions.await("the first item on b", ClusterTest.TARGET, () -> b.get("/resources/" + first.id()).statusCode() == 200);
                awaitAtHead("trim-a", "trim-b");
            }
            long gone = local("trim-gone");
            long readByB = local("trim-b");
            // b is stopped: a saves records b has not read
            String laterWord = "whilebstopped" + System.nanoTime();
            Item third = ClusterTest.publish(a, "thirdtrim" + System.nanoTime());
            Item fourth = ClusterTest.publish(a, laterWord);
            awaitAtHead("trim-a");
            long neededByB = query("select count(*) from journal_journal where revision_id > ?", readByB);
            assertThat(neededByB).as("records b has not read").isGreaterThanOrEqualTo(2);
            assertThat(gone).isLessThan(readByB);
            long fromGone = recordsFrom(gone);
            assertThat(recordsBelow(readByB)).as("records every running or stopped node has read, before trimming").isPositive();

            // the node removed for good still has its row: nothing it has not read is deleted
            janitorPass(journalA);
            assertThat(recordsBelow(gone)).isZero();
            assertThat(recordsFrom(gone)).as("a removed node's row holds the journal back").isEqualTo(fromGone);

            // its row deleted (docs/operations.md, "Removing one"), the janitor trims up to the stopped b's revision
            assertThat(query("delete from journal_local_revisions where journal_id = ?", "trim-gone")).isEqualTo(1);
            janitorPass(journalA);
            assertThat(recordsBelow(readByB)).as("records below every node's revision, after trimming").isZero();
            assertThat(query("select count(*) from journal_journal where revision_id > ?", readByB))
                    .as("records the stopped b still needs are kept").isEqualTo(neededByB);

            try (ExchangeServerExtension b = ClusterTest.node(PG, "trim-b", dataB)) {
                assertThat(b.get("/resources/" + third.id()).statusCode()).as("b caught up before it answered").isEqualTo(200);
                assertThat(b.get("/resources/" + fourth.id()).statusCode()).isEqualTo(200);
                assertThat(b.get("/resources?q=" + laterWord).body()).contains(fourth.id());
                awaitAtHead("trim-a", "trim-b");
            }
            long caughtUp = local("trim-b");
            janitorPass(journalA);
            assertThat(query("select min(revision_id) from journal_local_revisions")).isEqualTo(caughtUp);
            assertThat(recordsBelow(caughtUp)).as("every node has read up to b's revision: the records before it are gone").isZero();

            // a new node after trimming: an empty data directory, its search index built from the database's bundles
            try (ExchangeServerExtension c = ClusterTest.node(PG, "trim-c", Files.createTempDirectory("exchange-trim-c-"))) {
                for (Item i : java.util.List.of(first, second, third, fourth)) {
                    assertThat(c.get("/resources/" + i.id()).statusCode()).as(i.id()).isEqualTo(200);
                }
                assertThat(c.get("/resources?q=" + firstWord).body()).as("search on the new node").contains(first.id());
                assertThat(c.json(c.get("/health")).path("status").asText()).isEqualTo("up");
                Item fifth = ClusterTest.publish(c, "fifthtrim" + System.nanoTime());
                Conditions.await("the new node's write on a", ClusterTest.TARGET, () -> a.get("/resources/" + fifth.id()).statusCode() == 200);
            }
        }
    }

    /**
     * A node stopped while another writes: at its restart the journal brings its repository up to date and its
     * delivery index catches its saved snapshot up (the items saved since, the removed ones) instead of reading every
     * item (docs/operations.md, "Cluster"); it then answers as the node that saw every write.
     */
    @Test
    void aNodeThatMissedWritesCatchesUpItsIndexSnapshotWithoutReadingEveryItem() throws Exception {
        java.nio.file.Path dataB = Files.createTempDirectory("exchange-catchup-b-");
        try (ExchangeServerExtension a = ClusterTest.node(PG, "catchup-a", Files.createTempDirectory("exchange-catchup-a-"))) {
            java.util.List<Item> before = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                before.add(ClusterTest.publish(a, "catchupbefore" + i + "n" + System.nanoTime()));
            }
            try (ExchangeServerExtension b = ClusterTest.node(PG, "catchup-b", dataB)) {
                Item last = before.get(before.size() - 1);
                Conditions.await("a's items on b", ClusterTest.TARGET, () -> b.get("/resources/" + last.id()).statusCode() == 200);
            } // a clean stop: b's index snapshot is saved
            java.util.List<Item> written = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                written.add(ClusterTest.publish(a, "whilebaway" + i + "n" + System.nanoTime()));
            }
            for (Item gone : before.subList(0, 5)) {
                a.withSession((s, svc) -> {
                    svc.delete(s, "resource", gone.id(), gone.revision());
                    return null;
                });
            }
            awaitAtHead("catchup-a");
            try (ExchangeServerExtension b = ClusterTest.node(PG, "catchup-b", dataB)) {
                wales.exchange.delivery.index.DeliveryIndex index = b.injector().getInstance(wales.exchange.delivery.index.DeliveryIndex.class);
                assertThat(index.snapshotRejection()).as("the snapshot is used").isNull();
                wales.exchange.delivery.index.DeliveryIndex.CatchUp c = index.caughtUp();
                assertThat(c).as("caught up, not read in full").isNotNull();
                assertThat(c.removed()).isEqualTo(5);
                assertThat(c.listed()).as("removed items found in one listing of the store's node identifiers, not looked up one by one")
                        .isPositive();
                // the 50 written, and whatever was saved in the hour before the snapshot's newest (the margin for
                // clocks behind: here every item, written minutes ago); still no full read
                assertThat(c.read()).isGreaterThanOrEqualTo(50L);
                assertThat(index.itemsRead()).isEqualTo(c.read());
                assertThat(index.size()).as("as many items as on a, which saw every write")
                        .isEqualTo(a.injector().getInstance(wales.exchange.delivery.index.DeliveryIndex.class).size());
                for (String p : java.util.List.of("/resources?limit=100", "/resources?kind=report&limit=100&sort=-publicationDate",
                        "/resources?q=cluster&limit=100", "/resources?q=clwstwr&lang=cy&limit=100")) {
                    assertThat(b.get(p).body()).as(p).isEqualTo(a.get(p).body());
                }
                for (Item i : written) {
                    assertThat(b.get("/resources/" + i.id()).statusCode()).isEqualTo(200);
                }
                for (Item i : before.subList(0, 5)) {
                    assertThat(b.get("/resources/" + i.id()).statusCode()).isEqualTo(404);
                }
                assertThat(b.json(b.get("/health")).path("status").asText()).isEqualTo("up");
                // and it follows the other node's writes after the catch-up
                Item after = ClusterTest.publish(a, "afterthecatchup" + System.nanoTime());
                Conditions.await("a's next write on b", ClusterTest.TARGET, () -> b.get("/resources/" + after.id()).statusCode() == 200);
            }
        }
    }
}
