package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;
import static wales.exchange.server.StartupTest.assertOneLineError;
import static wales.exchange.server.StartupTest.run;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode's settings: checked before anything starts, and the shared database checked before Jackrabbit opens it,
 * each failure one line and exit code 2 (database unreachable, wrong password, a schema of another version, a
 * single-node data directory), against a real PostgreSQL.
 */
class ClusterSettingsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    @TempDir
    Path data;

    @Test
    void clusterFlagsGoTogetherAndThePasswordComesFromTheEnvironmentOnly() {
        String url = "jdbc:postgresql://127.0.0.1:5432/exchange";
        assertOneLineError(run(Map.of(), "--cluster-db-url", "postgres://x/y"),
                "--cluster-db-url must be a PostgreSQL JDBC URL such as jdbc:postgresql://db.internal:5432/exchange, got 'postgres://x/y'");
        assertOneLineError(run(PG.env(), "--cluster-db-url", url),
                "--cluster-db-url needs --cluster-node-id (EXCHANGE_CLUSTER_NODE_ID), unique in the cluster");
        assertOneLineError(run(Map.of(), "--cluster-db-url", url, "--cluster-node-id", "a"),
                "--cluster-db-url needs the database password in EXCHANGE_CLUSTER_DB_PASSWORD (never a flag: flags show in the process list)");
        assertOneLineError(run(PG.env(), "--cluster-db-url", url, "--cluster-node-id", "a", "--in-memory"),
                "--cluster-db-url and --in-memory exclude each other (a cluster node keeps its index on disk)");
        assertOneLineError(run(PG.env(), "--cluster-node-id", "a"), "--cluster-node-id needs --cluster-db-url (EXCHANGE_CLUSTER_DB_URL)");
        assertOneLineError(run(PG.env(), "--cluster-db-url", url, "--cluster-node-id", "a b"),
                "--cluster-node-id must be 1 to 64 letters, digits, . _ - (unique in the cluster), got 'a b'");
        assertOneLineError(run(Map.of("EXCHANGE_CLUSTER_SYNC_DELAY", "5"), "--in-memory"),
                "EXCHANGE_CLUSTER_SYNC_DELAY must be a whole number from 50 to 60000, got '5'");
        assertOneLineError(run(Map.of("EXCHANGE_CLUSTER_JANITOR_HOURS", "daily"), "--in-memory"),
                "EXCHANGE_CLUSTER_JANITOR_HOURS must be a whole number from 0 to 8760, got 'daily'");
        assertOneLineError(run(PG.env(), "--cluster-db-url", url, "--cluster-node-id", "a", "--cluster-db-password", "x"),
                "unknown option '--cluster-db-password' (see --help)");
    }

    String[] node(String url) {
        return new String[] {"--port", "0", "--no-demo", "--data", data.toString(), "--cluster-db-url", url, "--cluster-node-id", "n1"};
    }

    @Test
    void anUnreachableDatabaseIsOneLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/exchange";
        StartupTest.Run r = run(PG.env(), node(url));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).doesNotContain("\n").startsWith("cluster mode: cannot reach the database at " + url + ": ");
    }

    @Test
    void aWrongPasswordIsOneLine() {
        assertOneLineError(run(Map.of(Settings.CLUSTER_DB_PASSWORD, "not-the-password"), node(PG.url())),
                "cluster mode: the database at " + PG.url() + " refused user 'exchange': wrong password (EXCHANGE_CLUSTER_DB_PASSWORD)");
    }

    @Test
    void aSchemaOfAnotherVersionIsOneLine() throws Exception {
        try (Connection c = DriverManager.getConnection(PG.url(), "exchange", PostgresExtension.PASSWORD); Statement s = c.createStatement()) {
            s.execute("create table if not exists exchange_cluster (name varchar(64) primary key, value varchar(255) not null)");
            s.execute("insert into exchange_cluster values ('schema', '99') on conflict (name) do update set value = '99'");
            try {
                assertOneLineError(run(PG.env(), node(PG.url())), "cluster mode: the database at " + PG.url()
                        + " holds ExChange cluster schema version 99; this server uses version 1 (upgrade every node together, or use a new database)");
            } finally {
                s.execute("update exchange_cluster set value = '" + ClusterDatabase.SCHEMA_VERSION + "' where name = 'schema'");
            }
        }
    }

    @Test
    void aSingleNodeDataDirectoryIsRefused() throws Exception {
        Path ws = Files.createDirectories(data.resolve("workspaces/exchange"));
        Files.writeString(ws.resolve("workspace.xml"), "<Workspace><PersistenceManager class=\"org.apache.jackrabbit.core.persistence.pool.H2PersistenceManager\"/></Workspace>");
        assertOneLineError(run(PG.env(), node(PG.url())), "cluster mode: the data directory " + data.toAbsolutePath()
                + " belongs to a single-node server (its content is in files there): give each cluster node a new, empty data directory"
                + " and move content with export/import (docs/operations.md, \"Cluster\")");
    }
}
