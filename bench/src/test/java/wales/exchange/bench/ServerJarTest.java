package wales.exchange.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The production jar ({@code server/target/exchange-server.jar}, packaged before this module in the reactor) carries no
 * benchmark class: none of this module's classes, and nothing named like a benchmark or generator.
 */
class ServerJarTest {
    private static Path property(String name) {
        String v = System.getProperty(name);
        assertThat(v).as("system property %s (set by the bench module's surefire configuration)", name).isNotNull();
        return Path.of(v);
    }

    @Test
    void productionJarHasNoBenchmarkClass() throws IOException {
        Path jar = property("exchange.serverJar");
        assertThat(jar).as("the server jar: build with mvn verify from the root, so the server is packaged first").isRegularFile();
        Path benchClasses = property("exchange.benchClasses");
        List<String> benchSimpleNames;
        try (Stream<Path> files = Files.walk(benchClasses)) {
            benchSimpleNames = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> p.getFileName().toString()).toList();
        }
        assertThat(benchSimpleNames).contains("DataGenerator.class", "QueryStrategyBench.class", "ImportLinesGenerator.class");
        try (JarFile jf = new JarFile(jar.toFile())) {
            List<String> classes = jf.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).toList();
            assertThat(classes).as("server jar classes").isNotEmpty().contains("wales/exchange/server/Main.class");
            for (String c : classes) {
                String simple = c.substring(c.lastIndexOf('/') + 1);
                String outer = simple.contains("$") ? simple.substring(0, simple.indexOf('$')) + ".class" : simple;
                assertThat(benchSimpleNames).as("%s is a bench class in the production jar", c).doesNotContain(outer);
                assertThat(c.toLowerCase(Locale.ROOT)).as("benchmark-like class %s in the production jar", c)
                        .doesNotContain("bench").doesNotContain("generator");
            }
        }
    }
}
