package wales.exchange.jcr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.sql.DataSource;
import org.apache.jackrabbit.core.util.db.ConnectionHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save whose COMMIT fails on the single-node store (H2: a full or failing disk) leaves the repository as it was
 * before the save: no parent naming a child that was never committed, not even after the next save under the same
 * parent ({@link FileH2PersistenceManager}; the cluster's PostgreSQL store has its own test, ClusterCommitFailureTest).
 * The failing COMMIT: the workspace opens with {@link RefusingCommits} (the shipped manager, its JDBC connections
 * rolling back and failing every COMMIT while armed, so Jackrabbit's retry of the save fails as well).
 */
class FailedCommitTest {
    @TempDir
    Path data;

    @Test
    void aSaveWhoseCommitFailsLeavesNoChildEntryEvenAfterTheNextSaveUnderTheSameParent() throws Exception {
        EmbeddedRepository.onDisk(data).close();
        Path workspace = data.resolve("workspaces").resolve(EmbeddedRepository.WORKSPACE).resolve("workspace.xml");
        String shipped = Files.readString(workspace);
        assertThat(shipped).contains(FileH2PersistenceManager.class.getName());
        Files.writeString(workspace, shipped.replace(FileH2PersistenceManager.class.getName(), RefusingCommits.class.getName()));
        try (EmbeddedRepository repo = EmbeddedRepository.openAsIs(data)) {
            Session s = repo.login();
            try {
                s.getRootNode().addNode("parent", "nt:unstructured").addNode("before", "nt:unstructured");
                s.save();
                RefusingCommits.armed = true;
                s.getNode("/parent").addNode("lost", "nt:unstructured");
                assertThatThrownBy(s::save).isInstanceOf(RepositoryException.class);
                s.refresh(false);
            } finally {
                RefusingCommits.armed = false;
                s.logout();
            }
            assertThat(RefusingCommits.refused).as("commits refused").isPositive();
            Session next = repo.login();
            try {
                next.getNode("/parent").addNode("after", "nt:unstructured");
                next.save();
            } finally {
                next.logout();
            }
            assertThat(children(repo)).as("the parent's children before a restart").containsExactly("before", "after");
        }
        try (EmbeddedRepository reopened = EmbeddedRepository.onDisk(data)) {
            assertThat(Files.readString(workspace)).contains(FileH2PersistenceManager.class.getName());
            assertThat(children(reopened)).as("the parent's children after a restart").containsExactly("before", "after");
            assertThat(new RepositoryCheck(reopened).checkStorage().damages()).as("bundle damage").isEmpty();
        }
    }

    private static List<String> children(EmbeddedRepository repository) throws RepositoryException {
        Session s = repository.login();
        try {
            List<String> names = new ArrayList<>();
            for (NodeIterator it = s.getNode("/parent").getNodes(); it.hasNext(); ) {
                names.add(it.nextNode().getName());
            }
            return names;
        } finally {
            s.logout();
        }
    }

    /** The shipped persistence manager, whose connections roll back and fail every COMMIT while {@link #armed}. */
    public static class RefusingCommits extends FileH2PersistenceManager {
        static volatile boolean armed;
        static volatile int refused;

        @Override
        protected ConnectionHelper createConnectionHelper(DataSource dataSource) throws Exception {
            return super.createConnectionHelper((DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                        Object result = invoke(dataSource, method, args);
                        return result instanceof Connection c ? refusing(c) : result;
                    }));
        }

        private static Connection refusing(Connection connection) {
            return (Connection) Proxy.newProxyInstance(RefusingCommits.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (armed && method.getName().equals("commit")) {
                            connection.rollback();
                            refused++;
                            throw new SQLException("commit refused (test)");
                        }
                        return invoke(connection, method, args);
                    });
        }

        private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
