package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;
import static wales.exchange.server.DataDirectoryServer.index;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * (From the review of the restart work.) docs/operations.md says "any start without a trusted snapshot runs the check at once, beside the full
 * read of the index". After a clean stop whose snapshot is then refused (an edit while stopped, a cluster peer's saves,
 * a new format version or content model), ExchangeServer decided at the "repository check" step from the clean-stop
 * marker alone and deferred the check; the "repository status" step only starts it after the full read has finished,
 * then waits for it: the check and the full read run one after the other instead of side by side.
 *
 * <p>Probe: when the index logs that it is not using the snapshot (just before it reads every item), has the
 * repository check started (its thread alive, or Jackrabbit's bundle checker already through)? With the check started
 * at once, as before this branch, it has (checked by hand: passes with the cleanStop() condition removed).
 */
class RefusedSnapshotCheckTest {
    private final DataDirectoryServer dir;

    RefusedSnapshotCheckTest(@TempDir Path data) {
        dir = new DataDirectoryServer(data);
    }

    @Test
    void aRefusedSnapshotAfterACleanStopHasTheCheckRunningBesideTheFullRead() throws Exception {
        // Jackrabbit's bundle checker says "...: checked N bundles." when it is through (before its logger is made)
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.jackrabbit.core.persistence.bundle.ConsistencyCheckerImpl", "info");
        try (ExchangeServer server = dir.start()) {
            assertThat(index(server).loadedFrom()).isEqualTo("the repository");
        }
        // an item added without a newer lastModified: the snapshot cannot be caught up (IndexCatchUpTest), it is refused
        dir.offline(IndexCatchUpTest::unprovableCopy);
        AtomicReference<Boolean> checkRunningAtFullRead = new AtomicReference<>();
        boolean[] bundlesChecked = {false};
        PrintStream old = System.err;
        StringBuilder line = new StringBuilder();
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(int b) {
                old.write(b);
                if (b == '\n') {
                    if (line.indexOf("bundles.") >= 0 && line.indexOf("checked") >= 0) {
                        bundlesChecked[0] = true;
                    }
                    if (line.indexOf("not using the snapshot") >= 0 && checkRunningAtFullRead.get() == null) {
                        checkRunningAtFullRead.set(bundlesChecked[0] || Thread.getAllStackTraces().keySet().stream()
                                .anyMatch(t -> t.getName().equals("repository-check")));
                    }
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        }, true, StandardCharsets.UTF_8));
        try (ExchangeServer server = dir.start()) {
            assertThat(index(server).snapshotRejection()).contains("the repository changed");
        } finally {
            System.setErr(old);
            System.clearProperty("org.slf4j.simpleLogger.log.org.apache.jackrabbit.core.persistence.bundle.ConsistencyCheckerImpl");
        }
        assertThat(checkRunningAtFullRead.get()).as("the repository check started before the full read of the index")
                .isTrue();
    }
}
