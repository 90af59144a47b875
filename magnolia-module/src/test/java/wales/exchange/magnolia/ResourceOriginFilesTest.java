package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ModelLoader;

/**
 * Issue 13, defect 5: inside Magnolia the module reads its model and message bundles through Magnolia's resource
 * origin (mocked here at that edge), so the light module Magnolia reads (a file-system copy overriding the jar's) is the
 * one the module reads too.
 */
class ResourceOriginFilesTest {

    @Test
    void theModelAndBundlesReadThroughTheOriginAreTheLightModules() throws Exception {
        Origins origins = Origins.of(Path.of("../light-modules"));
        ResourceOriginFiles files = new ResourceOriginFiles(origins.origin);
        ContentModel viaOrigin = ModelLoader.from(files);
        ContentModel fromJar = ModelLoader.fromClasspath(getClass().getClassLoader());
        assertThat(viaOrigin.types()).hasSameSizeAs(fromJar.types());
        for (var t : fromJar.types()) {
            assertThat(viaOrigin.get(t.name()).properties().equals(t.properties())).as(t.name()).isTrue();
            assertThat(viaOrigin.get(t.name()).rootPath()).isEqualTo(t.rootPath());
        }
        assertThat(new Messages(files).keys()).isEqualTo(new Messages().keys());
        assertThat(origins.descended).as("only the module's own folders are walked")
                .allMatch(d -> d.equals("/") || d.equals("/exchange") || d.startsWith("/exchange/contentTypes")
                        || d.startsWith("/exchange/exchange-model") || d.startsWith("/exchange/i18n"));
    }

    @Test
    void anEditOfTheLightModuleChangesTheModelAndTheMessagesTheModuleUses(@TempDir Path resources) throws Exception {
        Path module = resources.resolve("exchange");
        copy(Path.of("../light-modules/exchange"), module);
        Path meta = module.resolve("exchange-model/event.yaml");
        Files.writeString(meta, Files.readString(meta).replace("title: {searchable: true, maxLength: 300}", "title: {searchable: true, maxLength: 123}"));
        Path cy = module.resolve("i18n/exchange-messages_cy.properties");
        Files.writeString(cy, Files.readString(cy).replaceFirst("(?m)^exchange\\.event\\.label=.*$", "exchange.event.label=Digwyddiad (golygwyd)"));

        ResourceOriginFiles files = new ResourceOriginFiles(Origins.of(resources).origin);
        assertThat(ModelLoader.from(files).get("event").property("title").maxLength()).isEqualTo(123);
        assertThat(ModelLoader.fromClasspath(getClass().getClassLoader()).get("event").property("title").maxLength()).isEqualTo(300);
        assertThat(new Messages(files).get(Lang.CY, "exchange.event.label")).isEqualTo("Digwyddiad (golygwyd)");
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
