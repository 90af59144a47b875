package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's kill -9 test on the whole server: a burst of contributions from several clients, the server process killed
 * with SIGKILL while they are in flight, a restart on the same data, and every submission the server answered 202 must
 * be there (its status link answers). Two rounds on the same data. The server runs as a child process
 * ({@link Main}, the production entry point) so that the kill is a real one.
 */
class IntakeKillNineTest {
    static final String SECRET = IntakeClient.SECRET;
    static final int CLIENTS = 4;
    static final int KILL_AFTER = Integer.getInteger("intakekill.acks", 120);

    @TempDir
    Path data;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Process start(int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--data", data.toString(), "--no-demo",
                "--rate-limit", "1000000", "--intake-secret", SECRET, "--intake-min-fill-seconds", "0",
                "--intake-address-limit", "100000000", "--intake-email-limit", "100000000")
                .redirectErrorStream(true).start();
        // ready when it says so on its log (read on a thread of its own, so the pipe never fills)
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.contains("ExChange ready at")) {
                        ready.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                // the process is gone
            }
        }, "server-log");
        reader.setDaemon(true);
        reader.start();
        assertThat(ready.await(120, TimeUnit.SECONDS)).as("server ready").isTrue();
        return p;
    }

    static void kill9(Process p) throws Exception {
        assertThat(new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor()).isZero();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void everyAcknowledgedContributionIsThereAfterSigkillMidBurst() throws Exception {
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicInteger seq = new AtomicInteger();
        for (int round = 0; round < 2; round++) {
            int port = freePort();
            Process server = start(port);
            IntakeClient c = new IntakeClient(port);
            AtomicBoolean go = new AtomicBoolean(true);
            CountDownLatch enough = new CountDownLatch(1);
            int before = acknowledged.size();
            List<Thread> clients = new java.util.ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                Thread th = new Thread(() -> {
                    while (go.get()) {
                        int n = seq.incrementAndGet();
                        try {
                            HttpResponse<String> r = c.post("/contributions", IntakeClient.contribution("", "kill" + n + "@example.org",
                                    "Burst item " + n, Map.of("description", "Submission number " + n + " of the kill -9 burst.")));
                            if (r.statusCode() == 202) {
                                acknowledged.add(IntakeClient.json(r).get("token").asText());
                                if (acknowledged.size() - before >= KILL_AFTER) {
                                    enough.countDown();
                                }
                            }
                        } catch (Exception e) {
                            return; // the server is gone: what was in flight was never acknowledged
                        }
                    }
                }, "client-" + t);
                th.start();
                clients.add(th);
            }
            assertThat(enough.await(180, TimeUnit.SECONDS)).as("round %d: %d acknowledged", round, KILL_AFTER).isTrue();
            kill9(server); // mid-burst: the clients are still sending
            go.set(false);
            for (Thread th : clients) {
                th.join(30_000);
            }

            Process again = start(port);
            try {
                IntakeClient check = new IntakeClient(port);
                int missing = 0;
                for (String token : acknowledged) {
                    if (check.get("/submissions/" + token).statusCode() != 200) {
                        missing++;
                    }
                }
                assertThat(missing).as("round %d: acknowledged contributions missing after kill -9, of %d", round, acknowledged.size())
                        .isZero();
            } finally {
                kill9(again);
            }
        }
        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(2 * KILL_AFTER);
    }
}
