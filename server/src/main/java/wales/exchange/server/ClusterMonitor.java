package wales.exchange.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.lifecycle.Managed;

/**
 * A cluster node's view of the shared database: checked every second on a connection of its own, and its outage
 * logged in one line when it begins and one when it ends (Jackrabbit's own logging of every failed statement and
 * journal read is turned off in simplelogger.properties). While it is down the node serves reads from its index and
 * answers writes 503 with Retry-After; Jackrabbit reconnects by itself when it is back.
 */
final class ClusterMonitor implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMonitor.class);
    private final EmbeddedRepository.Cluster cluster;
    private ScheduledExecutorService timer;
    private Connection connection;
    private long downSince;

    ClusterMonitor(EmbeddedRepository.Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "exchange-cluster-monitor");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    /** Whether the database answered the last check. */
    synchronized boolean up() {
        return downSince == 0;
    }

    private synchronized void check() {
        String failure = null;
        try {
            if (connection == null) {
                Properties p = new Properties();
                p.setProperty("user", cluster.user());
                p.setProperty("password", cluster.password());
                p.setProperty("connectTimeout", "2");
                p.setProperty("socketTimeout", "5");
                p.setProperty("ApplicationName", "exchange monitor " + cluster.nodeId());
                connection = DriverManager.getConnection(cluster.url(), p);
            }
            if (!connection.isValid(2)) {
                failure = "no answer within 2 s";
            }
        } catch (SQLException | RuntimeException e) {
            failure = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        }
        if (failure != null) {
            close();
            if (downSince == 0) {
                downSince = System.nanoTime();
                LOG.warn("cluster database unreachable ({}): {}; reads are served from this node's index, writes answer 503 until it is back",
                        cluster.url(), failure);
            }
        } else if (downSince != 0) {
            LOG.info("cluster database reachable again after {} s; writes resume", (System.nanoTime() - downSince) / 1_000_000_000L);
            downSince = 0;
        }
    }

    private void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // gone already
            }
            connection = null;
        }
    }

    @Override
    public void stop() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        synchronized (this) {
            close();
        }
    }
}
