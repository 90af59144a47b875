package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import wales.exchange.jcr.NodeTypeRegistrar;

/**
 * What the module jar ships is target/classes (the jar plugin packs exactly that folder): Magnolia's descriptor and the
 * module's own node types, never a stand-in of Magnolia's (issue 13, defect 9).
 */
class ModuleJarContentsTest {
    private static final Path CLASSES = Path.of("target", "classes");

    @Test
    void theJarCarriesTheDescriptorAndTheModulesNodeTypes() {
        assertThat(CLASSES.resolve("META-INF/magnolia/exchange.xml")).exists();
        assertThat(CLASSES.resolve(NodeTypeRegistrar.EXCHANGE_CND)).exists();
    }

    /** Magnolia's SamplesBootstrapTask imports that folder raw, past the content service (defect 2). */
    @Test
    void theJarHasNoSamplesMagnoliaWouldImportRaw() {
        assertThat(CLASSES.resolve("mgnl-bootstrap-samples")).doesNotExist();
        assertThat(CLASSES.resolve(wales.exchange.content.DemoContent.DIR)).isDirectory();
    }

    @Test
    void theJarCarriesNoStandInOfMagnolia() throws IOException {
        assertThat(CLASSES.resolve(NodeTypeRegistrar.MAGNOLIA_STANDIN_CND)).doesNotExist();
        assertThat(CLASSES.resolve("info")).doesNotExist();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            assertThat(files.filter(p -> p.toString().endsWith(".cnd")).map(p -> CLASSES.relativize(p).toString()))
                    .containsExactly(NodeTypeRegistrar.EXCHANGE_CND);
        }
    }
}
