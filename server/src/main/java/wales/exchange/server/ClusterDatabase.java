package wales.exchange.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import wales.exchange.jcr.EmbeddedRepository;

/**
 * The checks of cluster mode before Jackrabbit opens the shared database (whose own errors are pages of stack trace):
 * the database answers, takes the user and password, and holds this version's layout (or none yet, then it is marked
 * with it); and the data directory was not made by a single-node server (whose workspaces are configured for H2). Each
 * failure is a {@link StartupException} with one line (exit code 2).
 */
final class ClusterDatabase {
    /**
     * The layout of the shared database this server writes: Jackrabbit 2.22's bundle, data store and journal tables
     * with ExChange's prefixes (repository-cluster-postgresql.xml). Raised when either changes incompatibly.
     */
    static final int SCHEMA_VERSION = 1;
    static final String MARKER_TABLE = "exchange_cluster";
    private static final int LOGIN_TIMEOUT_SECONDS = 5;

    private ClusterDatabase() {
    }

    static void check(EmbeddedRepository.Cluster cluster, Path dataDir) {
        Path workspace = dataDir.resolve("workspaces").resolve(EmbeddedRepository.WORKSPACE).resolve("workspace.xml");
        try {
            if (Files.isRegularFile(workspace) && !Files.readString(workspace).contains("PostgreSQLPersistenceManager")) {
                throw new StartupException("cluster mode: the data directory " + dataDir.toAbsolutePath()
                        + " belongs to a single-node server (its content is in files there): give each cluster node a new, empty data directory"
                        + " and move content with export/import (docs/operations.md, \"Cluster\")");
            }
        } catch (java.io.IOException e) {
            throw new StartupException("cluster mode: cannot read " + workspace + ": " + e.getMessage());
        }
        Properties p = new Properties();
        p.setProperty("user", cluster.user());
        p.setProperty("password", cluster.password());
        p.setProperty("connectTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
        p.setProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
        p.setProperty("ApplicationName", "exchange " + cluster.nodeId());
        try (Connection c = DriverManager.getConnection(cluster.url(), p)) {
            try (Statement s = c.createStatement()) {
                s.execute("create table if not exists " + MARKER_TABLE + " (name varchar(64) primary key, value varchar(255) not null)");
                s.execute("insert into " + MARKER_TABLE + " values ('schema', '" + SCHEMA_VERSION + "') on conflict (name) do nothing");
            }
            try (PreparedStatement s = c.prepareStatement("select value from " + MARKER_TABLE + " where name = 'schema'");
                 ResultSet rs = s.executeQuery()) {
                String found = rs.next() ? rs.getString(1) : null;
                if (!String.valueOf(SCHEMA_VERSION).equals(found)) {
                    throw new StartupException("cluster mode: the database at " + cluster.url() + " holds ExChange cluster schema version "
                            + found + "; this server uses version " + SCHEMA_VERSION + " (upgrade every node together, or use a new database)");
                }
            }
        } catch (SQLException e) {
            throw new StartupException("cluster mode: " + explain(e, cluster));
        }
    }

    /** One line for a failed connection, by its SQLState (PostgreSQL's codes) and the driver's own message. */
    static String explain(SQLException e, EmbeddedRepository.Cluster cluster) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return switch (state) {
            case "28P01" -> "the database at " + cluster.url() + " refused user '" + cluster.user()
                    + "': wrong password (" + Settings.CLUSTER_DB_PASSWORD + ")";
            case "28000" -> "the database at " + cluster.url() + " refused user '" + cluster.user() + "': " + message;
            case "3D000" -> "the database named in " + cluster.url() + " does not exist: " + message;
            default -> state.startsWith("08") || e.getCause() instanceof java.io.IOException
                    ? "cannot reach the database at " + cluster.url() + ": " + message
                    : "the database at " + cluster.url() + " failed: " + message + " (SQLState " + state + ")";
        };
    }
}
