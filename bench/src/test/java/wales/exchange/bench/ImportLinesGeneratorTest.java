package wales.exchange.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import wales.exchange.content.ContentService;
import wales.exchange.content.FieldError;
import wales.exchange.content.transfer.JsonLinesImporter;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.model.ModelLoader;

/** Generated lines are valid import lines, and the same for the same seed. */
class ImportLinesGeneratorTest {
    @Test
    void generatedEventsAndResourcesImportWithoutARejectedLine() throws Exception {
        ObjectMapper json = new ObjectMapper();
        StringBuilder sb = new StringBuilder();
        for (String type : List.of("resource", "event")) {
            for (int i = 0; i < 30; i++) {
                sb.append(json.writeValueAsString(ImportLinesGenerator.line(type, i, 7, i % 2 == 0, i % 3 == 0))).append('\n');
            }
        }
        assertThat(json.writeValueAsString(ImportLinesGenerator.line("event", 3, 7, true, true)))
                .isEqualTo(json.writeValueAsString(ImportLinesGenerator.line("event", 3, 7, true, true)));
        ContentService service = new ContentService(ModelLoader.fromClasspath(getClass().getClassLoader()), Clock.systemUTC());
        List<String> rejected = new ArrayList<>();
        try (EmbeddedRepository repo = EmbeddedRepository.inMemory()) {
            Session s = repo.login();
            JsonLinesImporter.Report r = new JsonLinesImporter(service, 25, "bench").run(s, new StringReader(sb.toString()),
                    new JsonLinesImporter.Listener() {
                        @Override
                        public void rejected(long number, List<FieldError> errors) {
                            rejected.add(number + ": " + errors);
                        }
                    });
            assertThat(rejected).isEmpty();
            assertThat(r.created()).isEqualTo(60);
            s.logout();
        }
    }
}
