package wales.exchange.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throw-away PostgreSQL for a test class, started and stopped by the same script as {@code scripts/cluster.sh}
 * ({@code scripts/pg.sh}: initdb and pg_ctl as the unprivileged user exchangepg when the tests run as root, on a free
 * loopback port, in a folder of its own under /tmp, deleted after). {@link #stop()} and {@link #start()} take it down
 * and up again on the same port (the database-outage test).
 */
final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    static final String PASSWORD = "exchange-cluster-test-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    private static final Path SCRIPT = Path.of("..", "scripts", "pg.sh").toAbsolutePath().normalize();
    private Path dir;
    private String url;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("exchange-pg-");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dir != null) {
            run("destroy");
        }
    }

    /** Starts (again) and waits until it takes connections. */
    void start() throws Exception {
        for (String line : run("start")) {
            if (line.startsWith("PGURL=")) {
                url = line.substring("PGURL=".length());
            }
        }
        if (url == null) {
            throw new IllegalStateException("scripts/pg.sh start printed no PGURL");
        }
    }

    /** Fast shutdown (connections are cut); {@link #start()} brings it back on the same port with the same data. */
    void stop() throws Exception {
        run("stop");
    }

    String url() {
        return url;
    }

    /** The environment of a cluster node: the password, from the environment only. */
    Map<String, String> env() {
        return Map.of(Settings.CLUSTER_DB_PASSWORD, PASSWORD);
    }

    private List<String> run(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), command, dir.toString()).redirectErrorStream(true);
        pb.environment().put(Settings.CLUSTER_DB_PASSWORD, PASSWORD);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("scripts/pg.sh " + command + " took over 120 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("scripts/pg.sh " + command + " failed (" + p.exitValue() + "): " + out);
        }
        return out.lines().toList();
    }
}
