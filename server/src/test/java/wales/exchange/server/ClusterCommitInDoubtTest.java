package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.jcr.ImportUUIDBehavior;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.RepositoryCheck;
import wales.exchange.jcr.StorageFaults;

/**
 * A commit in doubt (issue 15): PostgreSQL commits a save's transaction but the node never hears it (the connection is
 * cut after the COMMIT reached the database: {@link CommitCuttingProxy}). Jackrabbit took the I/O error for a failed
 * COMMIT, tried the save again (its new bundles' INSERTs then failed on the committed rows), cancelled it and rolled
 * back the journal record: the client was told the save failed (the server's 503), yet the database held it, and no
 * other node ever heard of it (no journal record), while the parent's cached copy on the other nodes lacked the new
 * child. Now the node asks the database whether the transaction committed ({@code txid_status}) and, when it did,
 * finishes the save as a success: the journal record is written and the other nodes see the item.
 */
class ClusterCommitInDoubtTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void aSaveTheDatabaseCommittedWhoseAnswerWasLostSucceedsAndReachesTheOtherNode() throws Exception {
        String parent = "commitInDoubt" + System.nanoTime();
        StringBuilder log = new StringBuilder();
        int port = Integer.parseInt(PG.url().replaceAll("^jdbc:postgresql://[^:/]+:(\\d+)/.*$", "$1"));
        try (CommitCuttingProxy proxy = new CommitCuttingProxy(port)) {
            String viaProxy = PG.url().replace(":" + port + "/", ":" + proxy.port() + "/");
            try (EmbeddedRepository a = EmbeddedRepository.cluster(Files.createTempDirectory("exchange-doubt-a-"), cluster(viaProxy, "doubt-a"));
                 EmbeddedRepository b = EmbeddedRepository.cluster(Files.createTempDirectory("exchange-doubt-b-"), cluster(PG.url(), "doubt-b"))) {
                Session s = a.login();
                try {
                    s.getRootNode().addNode(parent, "nt:unstructured").addNode("before", "nt:unstructured");
                    s.save();
                    Conditions.await("node b seeing the parent", Duration.ofSeconds(30), () -> children(b, parent).equals(List.of("before")));
                    proxy.arm();
                    s.getNode("/" + parent).addNode("doubt", "nt:unstructured");
                    logging(log, s::save);
                } finally {
                    s.logout();
                }
                assertThat(proxy.cuts()).as("commits whose answer the proxy cut").isEqualTo(1);
                assertThat(log.toString()).as("what the node logged while saving: the cut answer was the save's COMMIT")
                        .contains("WARN ClusterPostgreSQLPersistenceManager - a save's COMMIT was reported as failed but the database committed it");
                assertThat(children(a, parent)).as("the parent's children on the node that saved").containsExactly("before", "doubt");
                Conditions.await("node b seeing the new child through the journal", Duration.ofSeconds(30),
                        () -> children(b, parent).equals(List.of("before", "doubt")));
            }
        }
        try (EmbeddedRepository fresh = EmbeddedRepository.cluster(Files.createTempDirectory("exchange-doubt-c-"), cluster(PG.url(), "doubt-c"))) {
            assertThat(children(fresh, parent)).as("the parent's children on a new node").containsExactly("before", "doubt");
            assertThat(new RepositoryCheck(fresh).checkStorage().damages()).as("bundle damage").isEmpty();
        }
    }

    /**
     * A save that deletes a node and adds it again with the same id (an import replacing existing nodes: Magnolia's
     * bootstrap and activation) writes that id twice in one transaction; it was taken for Jackrabbit's retry of the
     * save, and the node asked the database for up to 5 s whether its own transaction, still in progress, had committed
     * (holding the cluster's journal lock meanwhile) and logged that a save's fate was unknown.
     */
    @Test
    void aSaveThatReplacesANodeWithTheSameIdIsNotTakenForARetry() throws Exception {
        String parent = "replaced" + System.nanoTime();
        StringBuilder log = new StringBuilder();
        try (EmbeddedRepository a = EmbeddedRepository.cluster(Files.createTempDirectory("exchange-doubt-r-"), cluster(PG.url(), "doubt-r"))) {
            Session s = a.login();
            try {
                Node replaced = s.getRootNode().addNode(parent, "nt:unstructured").addNode("replaced", "nt:unstructured");
                replaced.addMixin("mix:referenceable");
                replaced.setProperty("copy", "exported");
                s.save();
                ByteArrayOutputStream xml = new ByteArrayOutputStream();
                s.exportSystemView(replaced.getPath(), xml, false, false);
                replaced.setProperty("copy", "saved later");
                s.save();
                s.importXML("/" + parent, new ByteArrayInputStream(xml.toByteArray()), ImportUUIDBehavior.IMPORT_UUID_COLLISION_REPLACE_EXISTING);
                logging(log, s::save);
            } finally {
                s.logout();
            }
            Session check = a.login();
            try {
                assertThat(check.getNode("/" + parent + "/replaced").getProperty("copy").getString()).isEqualTo("exported");
            } finally {
                check.logout();
            }
        }
        assertThat(log.toString()).as("what the node logged while saving the import").doesNotContain("WARN ClusterPostgreSQLPersistenceManager");
    }

    /**
     * A save whose bundle write failed (its connection cut, the database out of reach from then on) never sent its
     * COMMIT: its transaction cannot have committed, and the save fails at once (503: storage unavailable). It was
     * settled as a commit in doubt all the same: 5 s asking the unreachable database, then a warning telling the
     * operator a save's fate was unknown.
     */
    @Test
    void aSaveWhoseWriteFailedIsNotInDoubt() throws Exception {
        String parent = "writeFailed" + System.nanoTime();
        StringBuilder log = new StringBuilder();
        int port = Integer.parseInt(PG.url().replaceAll("^jdbc:postgresql://[^:/]+:(\\d+)/.*$", "$1"));
        try (CommitCuttingProxy proxy = new CommitCuttingProxy(port)) {
            String viaProxy = PG.url().replace(":" + port + "/", ":" + proxy.port() + "/");
            try (EmbeddedRepository a = EmbeddedRepository.cluster(Files.createTempDirectory("exchange-doubt-w-"), cluster(viaProxy, "doubt-w"))) {
                Session s = a.login();
                try {
                    s.getRootNode().addNode(parent, "nt:unstructured").addNode("before", "nt:unstructured");
                    s.save();
                    proxy.arm("INSERT 0 1", true);   // the new child's bundle: the first INSERT of the save
                    s.getNode("/" + parent).addNode("lost", "nt:unstructured");
                    Throwable failed = catchThrowable(() -> logging(log, s::save));
                    assertThat(failed).isInstanceOf(RepositoryException.class);
                    assertThat(StorageFaults.unavailable(failed)).as("a storage fault (503)").isTrue();
                    assertThat(proxy.cuts()).as("answers the proxy cut").isEqualTo(1);
                } finally {
                    proxy.up();
                    s.logout();
                }
            }
        }
        assertThat(log.toString()).as("what the node logged while saving").doesNotContain("WARN ClusterPostgreSQLPersistenceManager");
    }

    /** Runs {@code save}, copying what is logged meanwhile (slf4j-simple writes to System.err) into {@code log}. */
    private static void logging(StringBuilder log, Saving save) throws Exception {
        PrintStream err = System.err;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(int b) {
                err.write(b);
                log.append((char) b);
            }
        }, true, StandardCharsets.UTF_8));
        try {
            save.run();
        } finally {
            System.setErr(err);
        }
    }

    private interface Saving {
        void run() throws Exception;
    }

    private static EmbeddedRepository.Cluster cluster(String url, String nodeId) {
        return new EmbeddedRepository.Cluster(url, "exchange", PostgresExtension.PASSWORD, nodeId, 200, 0);
    }

    private static List<String> children(EmbeddedRepository repository, String parent) throws RepositoryException {
        Session s = repository.login();
        try {
            List<String> names = new ArrayList<>();
            if (!s.nodeExists("/" + parent)) {
                return names;   // not there yet on this node
            }
            for (NodeIterator it = s.getNode("/" + parent).getNodes(); it.hasNext(); ) {
                names.add(it.nextNode().getName());
            }
            return names;
        } finally {
            s.logout();
        }
    }
}
