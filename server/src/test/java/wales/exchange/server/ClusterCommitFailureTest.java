package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.RepositoryCheck;

/**
 * A save whose COMMIT fails (issue 15: PostgreSQL stopped while a node saved; the connection was cut at the commit)
 * leaves the shared database as it was before the save: no parent naming a child whose bundle was never committed,
 * not even after the node's next save under the same parent. The failing commit is the database's own: a deferred
 * constraint trigger that refuses, at COMMIT, every transaction writing a workspace bundle while it is armed (so
 * Jackrabbit's retry of the save fails as well). The check is what a new cluster node does: start with an empty data
 * directory on the database (Jackrabbit builds its search index by walking every child entry) and read the parent.
 */
class ClusterCommitFailureTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void aSaveWhoseCommitFailsLeavesNoChildEntryInTheDatabaseEvenAfterTheNextSaveUnderTheSameParent() throws Exception {
        String parent = "commitFailure" + System.nanoTime();
        try (EmbeddedRepository a = EmbeddedRepository.cluster(Files.createTempDirectory("exchange-commit-a-"), cluster("commit-a"))) {
            Session s = a.login();
            try {
                s.getRootNode().addNode(parent, "nt:unstructured").addNode("before", "nt:unstructured");
                s.save();
                sql("create table exchange_test_refuse_commit (armed int)",
                        "create function exchange_test_refuse_commit() returns trigger language plpgsql as $$ begin"
                                + " if exists (select 1 from exchange_test_refuse_commit) then"
                                + " raise exception 'commit refused (test)'; end if; return null; end $$",
                        "create constraint trigger exchange_test_refuse_commit after insert or update on ws_exchange_bundle"
                                + " deferrable initially deferred for each row execute function exchange_test_refuse_commit()",
                        "insert into exchange_test_refuse_commit values (1)");
                s.getNode("/" + parent).addNode("lost", "nt:unstructured");
                assertThatThrownBy(s::save).isInstanceOf(RepositoryException.class);
                s.refresh(false);
            } finally {
                s.logout();
            }
            sql("delete from exchange_test_refuse_commit");
            Session next = a.login();
            try {
                next.getNode("/" + parent).addNode("after", "nt:unstructured");
                next.save();
            } finally {
                next.logout();
            }
            assertThat(children(a, parent)).as("the parent's children on the node that saved").containsExactly("before", "after");
        }
        try (EmbeddedRepository fresh = EmbeddedRepository.cluster(Files.createTempDirectory("exchange-commit-b-"), cluster("commit-b"))) {
            assertThat(children(fresh, parent)).as("the parent's children on a new node").containsExactly("before", "after");
            RepositoryCheck.Report report = new RepositoryCheck(fresh).checkStorage();
            assertThat(report.damages()).as("bundle damage").isEmpty();
        }
    }

    private static EmbeddedRepository.Cluster cluster(String nodeId) {
        return new EmbeddedRepository.Cluster(PG.url(), "exchange", PostgresExtension.PASSWORD, nodeId, 200, 0);
    }

    private static List<String> children(EmbeddedRepository repository, String parent) throws RepositoryException {
        Session s = repository.login();
        try {
            List<String> names = new ArrayList<>();
            for (NodeIterator it = s.getNode("/" + parent).getNodes(); it.hasNext(); ) {
                Node child = it.nextNode();
                names.add(child.getName());
            }
            return names;
        } finally {
            s.logout();
        }
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG.url(), "exchange", PostgresExtension.PASSWORD);
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }
}
