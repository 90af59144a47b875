package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;
import static wales.exchange.server.DataDirectoryServer.index;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.jcr.Node;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.jcr.EmbeddedRepository;

/**
 * (From the review of the pacing work.) docs/operations.md: "A stop ends a bundle check still running at its next
 * batch". The check deferred after a clean stop (a trusted snapshot) is followed by its query check, which the
 * "repository status" step waits for when it stops; that step stops before the "repository check" step, which alone
 * told the check to end: the stop waited for the whole check (paced while clients were still asking), and it ran to
 * its end instead of being cut short.
 */
class CheckStopTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final DataDirectoryServer dir;

    CheckStopTest(@TempDir Path data) {
        dir = new DataDirectoryServer(data);
    }

    @Test
    void aStopEndsTheDeferredCheckAtItsNextBatch() throws Exception {
        try (ExchangeServer server = dir.start()) { // bundles for a few batches of the check; a clean stop after
            Session s = server.injector().getInstance(EmbeddedRepository.class).login();
            try {
                Node bulk = s.getRootNode().addNode("bulk", "nt:unstructured");
                for (int i = 0; i < 3_000; i++) {
                    bulk.addNode("n" + i, "nt:unstructured");
                }
                s.save();
            } finally {
                s.logout();
            }
        }
        String log = TransportHardeningTest.logOf(() -> {
            ExchangeServer server = dir.start();
            AtomicBoolean closed = new AtomicBoolean();
            Thread client = new Thread(() -> { // a client asking one request after another until the server refuses
                try {
                    for (int status = 200; status != 503 && !closed.get(); ) {
                        HttpResponse<String> r = DataDirectoryServer.get(server, "/events");
                        status = r.statusCode();
                    }
                } catch (Exception e) {
                    // the server went away
                }
            }, "check-stop-client");
            try {
                assertThat(index(server).loadedFrom()).as("the check was deferred").isEqualTo("the snapshot file");
                client.start();
                Conditions.await("the check waits for the client between its batches", WAIT, () -> Thread.getAllStackTraces()
                        .entrySet().stream().anyMatch(e -> e.getKey().getName().equals("repository-check") && Arrays
                                .stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("awaitQuiet"))));
            } finally {
                server.close();
                closed.set(true);
                client.join();
            }
        });
        assertThat(log).contains("repository check: still running")
                .contains("repository check: cut short by the stop; the next start checks again")
                .doesNotContain("no damage (bundles");
    }
}
