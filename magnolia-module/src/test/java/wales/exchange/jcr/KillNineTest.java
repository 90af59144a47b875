package wales.exchange.jcr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.jcr.Node;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged write survives kill -9: a writer process ({@link KillNineWriter}) saves nodes as fast as it can
 * and is killed with SIGKILL at a random point after a random number of acknowledgements, several times over the same
 * data directory; after each kill the repository must open, pass {@link RepositoryCheck} without damage, and hold
 * every node whose save was acknowledged. This is the test that chose the persistence manager (docs/operations.md,
 * "Durability").
 */
class KillNineTest {
    static final int ROUNDS = Integer.getInteger("killnine.rounds", 3);

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedSaveSurvivesSigkillMidBurst() throws Exception {
        Random random = new Random(20261130L);
        List<String> acknowledged = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 20 + random.nextInt(300);
            acknowledged.addAll(runAndKill(killAfter));
            try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
                RepositoryCheck.Report report = new RepositoryCheck(repo).checkStorage();
                assertThat(report.damages()).as("round %d: damage after kill -9", round).isEmpty();
                Session s = repo.login();
                try {
                    Node parent = s.getNode("/probe");
                    int missing = 0;
                    for (String id : acknowledged) {
                        if (!parent.hasNode(id) || parent.getNode(id).getProperty("text").getString().length() != 4096) {
                            missing++;
                        }
                    }
                    assertThat(missing).as("round %d: acknowledged saves missing of %d", round, acknowledged.size()).isZero();
                } finally {
                    s.logout();
                }
            }
        }
        assertThat(acknowledged.size()).isGreaterThan(ROUNDS * 20);
    }

    /** Starts the writer, reads acknowledgements until {@code killAfter} of them, kills it with SIGKILL. */
    private List<String> runAndKill(int killAfter) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                KillNineWriter.class.getName(), data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> acks = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("ack ")) {
                    acks.add(line.substring(4));
                    if (acks.size() >= killAfter) {
                        break;
                    }
                }
            }
            // SIGKILL: no shutdown hook, no close. (Process.destroyForcibly would also close our end of its stdout,
            // losing the acknowledgements already in the pipe.)
            assertThat(new ProcessBuilder("kill", "-9", String.valueOf(p.pid())).start().waitFor()).isZero();
            // acknowledgements printed before the kill landed count too
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("ack ")) {
                    acks.add(line.substring(4));
                }
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acks).as("the writer acknowledged nothing (see its stderr)").isNotEmpty();
        return acks;
    }
}
