package wales.exchange.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import wales.exchange.content.ContentService;
import wales.exchange.content.Item;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ModelLoader;

@ExtendWith(JcrExtension.class)
class ReadModelTest {
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentService service = new ContentService(model, Clock.systemUTC());

    @Test
    void anItemChangedAfterTheIndexIsNeverRenderedFromTheRepository(EmbeddedRepository repo, Session session) throws Exception {
        Item item = service.create(session, "resource", Map.of("title", Map.of("en", "Public title"), "kind", "report",
                "body", Map.of("en", "<p>Public body</p>"), "moderationState", "published"), "editor");
        // a read model whose observation events have not arrived yet (as with Magnolia's asynchronous delivery)
        ReadModel readModel = new ReadModel(service, repo.login(), List.of(model.get("resource")));
        readModel.start(listener -> events -> { });
        Entry entry = readModel.entry(item.id()).orElseThrow();
        assertThat(readModel.full(entry).values().get("body")).isEqualTo(Map.of("en", "<p>Public body</p>"));

        service.update(session, "resource", item.id(), 1, Map.of("moderationState", "draft",
                "body", Map.of("en", "<p>Secret draft body</p>")), "editor");
        assertThat(readModel.full(entry)).as("the repository is newer than the index").isNull();
        Renderer renderer = new Renderer(new ObjectMapper(), new Messages(), DeliveryConfig.defaults());
        Renderer.Rendered r = renderer.item(entry, Lang.EN, Renderer.Shape.FULL, false, readModel.generation(),
                id -> null, readModel::full);
        assertThat(new String(r.bytes(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("Secret draft");
        assertThat(r.generation()).as("not cached").isEqualTo(-1);
        readModel.stop();
    }

    @Test
    void changesOutsideTheDeliveredTypesDoNotInvalidateCaches(EmbeddedRepository repo, Session session) throws Exception {
        ReadModel readModel = new ReadModel(service, repo.login(), List.of(model.get("resource")));
        readModel.start(listener -> listener);
        long before = readModel.generation();
        java.time.Instant lastChange = readModel.lastChange();
        service.create(session, "comment", Map.of("target", "welcome", "displayName", "Sam", "email", "sam@example.org",
                "body", "Diolch!"), "anonymous");
        Thread.sleep(300); // observation is asynchronous here
        assertThat(readModel.generation()).isEqualTo(before);
        assertThat(readModel.lastChange()).isEqualTo(lastChange);
        service.create(session, "resource", Map.of("title", Map.of("en", "New"), "kind", "film", "moderationState", "published"), "editor");
        long deadline = System.currentTimeMillis() + 5000;
        while (readModel.size() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(readModel.size()).isEqualTo(1);
        assertThat(readModel.generation()).isGreaterThan(before);
        readModel.stop();
    }
}
