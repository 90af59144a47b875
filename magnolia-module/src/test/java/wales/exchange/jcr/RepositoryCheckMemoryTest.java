package wales.exchange.jcr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.jcr.Node;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle check reads the bundles one at a time: its memory does not grow with the bundles it reads. Jackrabbit's
 * checker asks the persistence manager for all bundles in batches of 8192; H2 held each batch's whole result in
 * memory (at 100k items about 60 MB a batch, the +130 MB of byte[] of the check, docs/benchmarks.md), so here a
 * repository of about 90 MB of bundles is checked in a 64 MB heap ({@link SmallHeapCheck}, a process of its own).
 */
class RepositoryCheckMemoryTest {
    static final int NODES = 1000;
    static final int TEXT = 90 * 1024;

    @TempDir
    Path data;

    @Test
    void bundlesLargerThanTheHeapAreCheckedInIt() throws Exception {
        String text = "bundle ".repeat(TEXT / 7);
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            Session s = repo.login();
            try {
                Node root = s.getRootNode().addNode("big", "nt:unstructured");
                for (int i = 0; i < NODES; i++) {
                    Node folder = i % 100 == 0 ? root.addNode("f" + i / 100, "nt:unstructured") : root.getNode("f" + i / 100);
                    folder.addNode("n" + i, "nt:unstructured").setProperty("text", text);
                    if (i % 50 == 49) {
                        s.save();
                    }
                }
                s.save();
            } finally {
                s.logout();
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                SmallHeapCheck.class.getName(), data.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("nodes \\d{4,} damages 0");
    }

    @Test
    void aWorkspaceDescriptorOfAnOlderVersionGetsStreamedResultsAtOpen() throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            repo.login().logout();
        }
        Path xml = data.resolve("workspaces").resolve(EmbeddedRepository.WORKSPACE).resolve("workspace.xml");
        // as a data directory made before the setting: Jackrabbit reads this copy, not the repository's configuration
        Files.writeString(xml, Files.readString(xml).replace(";" + EmbeddedRepository.H2_LAZY, ""));
        assertThat(Files.readString(xml)).contains("jdbc:h2:").doesNotContain(EmbeddedRepository.H2_LAZY);
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            assertThat(new RepositoryCheck(repo).checkStorage().damages()).isEmpty();
        }
        assertThat(Files.readString(xml)).containsOnlyOnce(EmbeddedRepository.H2_LAZY);
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            repo.login().logout();
        }
        assertThat(Files.readString(xml)).containsOnlyOnce(EmbeddedRepository.H2_LAZY);
    }
}
