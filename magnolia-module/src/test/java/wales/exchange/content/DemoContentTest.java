package wales.exchange.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ModelLoader;

@ExtendWith(JcrExtension.class)
class DemoContentTest {
    private final ContentService service = new ContentService(ModelLoader.fromClasspath(getClass().getClassLoader()), Clock.systemUTC());
    private final DemoContent demo = new DemoContent(service);

    @Test
    void installsTheSeedsBilinguallyAndIsIdempotent(Session session) throws Exception {
        int first = demo.installIfEmpty(session);
        assertThat(first).isEqualTo(15);
        assertThat(demo.installIfEmpty(session)).isZero();
        assertThat(demo.install(session)).isZero();
        assertThat(service.list(session, "event", 0, 100)).hasSize(6);

        Item secure = service.read(session, "event", "901f7a1b-20f9-458c-9172-3f92ad923f8f");
        assertThat(((Map<?, ?>) secure.values().get("title")).get("cy")).isEqualTo("Gweminar: Defnyddio llety diogel at ddibenion lles yng Nghymru");
        assertThat(secure.values().get("startDate")).isEqualTo(OffsetDateTime.parse("2020-09-09T11:30+01:00"));
        assertThat(secure.values().get("recordingLink")).isNotNull();

        Item carers = service.read(session, "event", "53e99420-3156-43ef-835f-3948f567cabd");
        assertThat(carers.values().get("status")).isEqualTo("postponed");
        assertThat((List<?>) carers.values().get("speakers")).hasSize(3);

        List<Item> events = service.list(session, "event", 0, 100);
        assertThat(events).allSatisfy(e -> {
            assertThat(new java.util.TreeSet<Object>(((Map<?, ?>) e.values().get("title")).keySet())).containsExactly("cy", "en");
            assertThat(new java.util.TreeSet<Object>(((Map<?, ?>) e.values().get("summary")).keySet())).containsExactly("cy", "en");
            assertThat(e.values().get("moderationState")).isEqualTo("published");
        });
        assertThat(events).extracting(e -> ((Map<?, ?>) e.values().get("title")).get("en").toString())
                .anySatisfy(t -> assertThat(t).contains("educational careers"))
                .anySatisfy(t -> assertThat(t).containsIgnoringCase("hospitals"))
                .anySatisfy(t -> assertThat(t).contains("intersectional"))
                .anySatisfy(t -> assertThat(t).contains("DEEP"));
        assertThat(service.list(session, "resource", 0, 100)).extracting(r -> r.values().get("kind"))
                .contains("report", "artwork", "film", "music", "policy-report");
        // case studies come after the resources they reference; one is a draft, to show previews
        List<Item> studies = service.list(session, "caseStudy", 0, 100);
        assertThat(studies).extracting(c -> c.values().get("moderationState")).containsExactlyInAnyOrder("published", "published", "draft");
        Item lace = service.read(session, "caseStudy", "45e7c0fb-eeb8-48d6-acc8-0dfe8fa0f439");
        assertThat(lace.values().get("relatedResources").toString()).contains("af2ce5a9-14a9-424f-88d8-cd70f13f12e0");
        assertThat(((Map<?, ?>) ((List<?>) secure.values().get("speakers")).get(0)).get("kind")).isEqualTo("organisation");
    }

    @Test
    void everyDemoItemHasItsOwnLastModifiedSoTheDefaultOrderIsTheSameAtEveryInstall(Session session) throws Exception {
        demo.installIfEmpty(session);
        List<Long> stamps = new java.util.ArrayList<>();
        for (String type : List.of("event", "resource", "caseStudy")) {
            service.list(session, type, 0, 100).forEach(i -> stamps.add(i.lastModified().toInstant().toEpochMilli()));
        }
        assertThat(stamps).hasSize(15).doesNotHaveDuplicates();
    }

    @Test
    void doesNothingWhenContentExists(Session session) throws Exception {
        service.create(session, "resource", Map.of("title", Map.of("en", "Mine"), "kind", "other"), "editor");
        assertThat(demo.installIfEmpty(session)).isZero();
        assertThat(service.list(session, "resource", 0, 100)).hasSize(1);
    }
}
