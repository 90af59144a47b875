package wales.exchange.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.jcr.Node;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ModelLoader;

@ExtendWith(JcrExtension.class)
class ContentServiceTest {
    private final ContentService service = new ContentService(ModelLoader.fromClasspath(getClass().getClassLoader()),
            Clock.fixed(Instant.parse("2025-07-01T09:00:00Z"), ZoneOffset.UTC));
    private final Messages messages = new Messages();

    private static Map<String, Object> event() {
        Map<String, Object> e = new HashMap<>();
        e.put("title", Map.of("en", "Young carers webinar", "cy", "Gweminar gofalwyr ifanc"));
        e.put("startDate", "2025-03-12T10:00");
        e.put("speakers", List.of(Map.of("name", "Jen Lyttleton-Smith", "affiliation", Map.of("en", "Cardiff University", "cy", "Prifysgol Caerdydd"))));
        e.put("languages", List.of("en", "cy"));
        return e;
    }

    @Test
    void createsAndReadsABilingualItemMagnoliasWay(Session session) throws Exception {
        Item created = service.create(session, "event", event(), "editor");
        assertThat(created.revision()).isEqualTo(1);
        assertThat(created.path()).isEqualTo("/events/2025/07/young-carers-webinar");
        Node node = session.getNodeByIdentifier(created.id());
        assertThat(node.getPrimaryNodeType().getName()).isEqualTo("exchange:event");
        assertThat(node.getProperty("title").getString()).isEqualTo("Young carers webinar");
        assertThat(node.getProperty("title_cy").getString()).isEqualTo("Gweminar gofalwyr ifanc");
        assertThat(node.getProperty("mgnl:createdBy").getString()).isEqualTo("editor");
        assertThat(node.getProperty("mgnl:lastModified").getDate().toInstant()).isEqualTo(Instant.parse("2025-07-01T09:00:00Z"));
        assertThat(node.getNode("speakers/0").getPrimaryNodeType().getName()).isEqualTo("exchange:speaker");
        assertThat(node.getNode("speakers/0").getProperty("affiliation_cy").getString()).isEqualTo("Prifysgol Caerdydd");

        Item read = service.read(session, "event", created.id());
        assertThat(read.values().get("title")).isEqualTo(Map.of("en", "Young carers webinar", "cy", "Gweminar gofalwyr ifanc"));
        // local time read as Europe/London: 10:00 GMT in March
        assertThat(read.values().get("startDate")).isEqualTo(OffsetDateTime.parse("2025-03-12T10:00Z"));
        assertThat(read.values().get("status")).isEqualTo("scheduled");
        assertThat(read.values().get("moderationState")).isEqualTo("draft");
        assertThat(read.values().get("free")).isEqualTo(true);
        assertThat(read.values().get("speakers")).isEqualTo(List.of(Map.of("name", "Jen Lyttleton-Smith", "role", "presenter",
                "affiliation", Map.of("en", "Cardiff University", "cy", "Prifysgol Caerdydd"), "kind", "person")));
        assertThat(read.values().get("languages")).isEqualTo(List.of("en", "cy"));
    }

    @Test
    void summerDatesKeepTheirLondonOffset(Session session) {
        Map<String, Object> e = event();
        e.put("startDate", "2020-09-09T11:30:00+01:00");
        Item item = service.create(session, "event", e, "editor");
        assertThat(item.values().get("startDate").toString()).isEqualTo("2020-09-09T11:30+01:00");
    }

    @Test
    void validationReportsEveryFieldInBothLanguagesAndWritesNothing(Session session) throws Exception {
        Map<String, Object> bad = new HashMap<>();
        bad.put("title", Map.of("fr", "Bonjour"));
        bad.put("status", "maybe");
        bad.put("startDate", "next tuesday");
        bad.put("registrationLink", "javascript:alert(1)");
        bad.put("speakers", List.of(Map.of("affiliation", Map.of("en", "x"))));
        bad.put("summary", Map.of("en", "x".repeat(2001)));
        bad.put("nonsense", 1);
        assertThatThrownBy(() -> service.create(session, "event", bad, "editor"))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder(
                            "title.fr", "status", "startDate", "registrationLink", "speakers[0].name", "summary.en", "nonsense");
                    FieldError status = e.errors().stream().filter(f -> f.field().equals("status")).findFirst().orElseThrow();
                    assertThat(messages.get(Lang.EN, "exchange.error." + status.code(), status.args().toArray()))
                            .isEqualTo("Choose one of: scheduled, postponed, rescheduled, cancelled, moved-online.");
                    assertThat(messages.get(Lang.CY, "exchange.error." + status.code(), status.args().toArray()))
                            .startsWith("Dewiswch un o’r rhain:");
                    for (FieldError f : e.errors()) {
                        assertThat(messages.has("exchange.error." + f.code())).as(f.code()).isTrue();
                    }
                });
        assertThat(session.getRootNode().hasNode("events")).isFalse();
        assertThat(session.hasPendingChanges()).isFalse();
    }

    @Test
    void updateMergesLanguagesAndBumpsTheRevision(Session session) {
        Item item = service.create(session, "event", event(), "editor");
        Item updated = service.update(session, "event", item.id(), 1, Map.of("title", Map.of("cy", "Gweminar newydd"), "status", "postponed"), "moderator");
        assertThat(updated.revision()).isEqualTo(2);
        assertThat(updated.values().get("title")).isEqualTo(Map.of("en", "Young carers webinar", "cy", "Gweminar newydd"));
        assertThat(updated.lastModifiedBy()).isEqualTo("moderator");
        Map<String, Object> removeWelsh = new HashMap<>();
        removeWelsh.put("title", new HashMap<>(Map.of()));
        ((Map<String, Object>) removeWelsh.get("title")).put("cy", null);
        Item english = service.update(session, "event", item.id(), 2, removeWelsh, "moderator");
        assertThat(english.values().get("title")).isEqualTo(Map.of("en", "Young carers webinar"));
    }

    @Test
    void staleRevisionIsRefusedAndNothingIsOverwritten(Session session) {
        Item item = service.create(session, "event", event(), "editor");
        service.update(session, "event", item.id(), 1, Map.of("series", "DEEP"), "a");
        assertThatThrownBy(() -> service.update(session, "event", item.id(), 1, Map.of("series", "Other"), "b"))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.currentRevision()).isEqualTo(2));
        assertThat(service.read(session, "event", item.id()).values().get("series")).isEqualTo("DEEP");
        assertThatThrownBy(() -> service.delete(session, "event", item.id(), 1)).isInstanceOf(ConflictException.class);
    }

    @Test
    void concurrentWritersFromTwoSessionsOneWins(EmbeddedRepository repo, Session session) throws Exception {
        Item item = service.create(session, "event", event(), "editor");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                Session s = repo.login();
                try {
                    start.await();
                    service.update(s, "event", item.id(), 1, Map.of("series", "writer-" + n), "w" + n);
                    return "ok";
                } catch (ConflictException e) {
                    return "conflict";
                } finally {
                    s.logout();
                }
            }));
        }
        start.countDown();
        List<String> outcomes = new java.util.ArrayList<>();
        for (Future<String> f : results) {
            outcomes.add(f.get());
        }
        pool.shutdown();
        assertThat(outcomes).containsOnlyOnce("ok");
        session.refresh(false);
        assertThat(service.read(session, "event", item.id()).revision()).isEqualTo(2);
    }

    @Test
    void hostileNamesAndIdsNeverReachTheRepository(Session session) throws Exception {
        Map<String, Object> e = event();
        e.put("title", Map.of("en", "../../jcr:system [x] | * '\" /etc/passwd"));
        Item item = service.create(session, "event", e, "editor");
        assertThat(item.name()).matches("[a-z0-9-]+");
        assertThat(item.path()).startsWith("/events/2025/07/");

        Map<String, Object> hostileKey = event();
        hostileKey.put("jcr:primaryType", "nt:unstructured");
        hostileKey.put("../../x", "y");
        assertThatThrownBy(() -> service.create(session, "event", hostileKey, "editor"))
                .isInstanceOfSatisfying(ValidationException.class, v -> assertThat(v.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("jcr?primaryType", "..?..?x"));

        assertThatThrownBy(() -> service.create(session, "event", event(), "editor",
                new ContentService.CreateOptions(null, "../../jcr:system", null))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> service.create(session, "event", event(), "editor",
                new ContentService.CreateOptions("' or 1=1 --", null, null))).isInstanceOf(ValidationException.class);
        assertThat(service.find(session, "event", "../../jcr:system")).isEmpty();
        assertThat(service.find(session, "event", "00000000-0000-0000-0000-000000000000")).isEmpty();
        // an id of another type is not found through this type
        assertThat(service.find(session, "resource", item.id())).isEmpty();
        assertThat(session.getRootNode().hasNode("etc")).isFalse();
    }

    @Test
    void referencesMustPointAtItemsOfTheTargetType(Session session) {
        Item resource = service.create(session, "resource", Map.of("title", Map.of("en", "LACE report"), "kind", "report"), "editor");
        Item event = service.create(session, "event", event(), "editor");
        Map<String, Object> cs = new HashMap<>(Map.of("title", Map.of("en", "A case"), "consentToPublish", true));
        cs.put("relatedResources", List.of(resource.id(), event.id()));
        assertThatThrownBy(() -> service.create(session, "caseStudy", cs, "editor"))
                .isInstanceOfSatisfying(ValidationException.class, v -> assertThat(v.errors())
                        .containsExactly(new FieldError("relatedResources[1]", "reference", List.of("resource"))));
        cs.put("relatedResources", List.of(resource.id()));
        assertThat(service.create(session, "caseStudy", cs, "editor").values().get("relatedResources")).isEqualTo(List.of(resource.id()));
    }

    @Test
    void fixedIdsAndNamesAndPathScopedLimitedListing(Session session) {
        String id = "5d1f0c3a-7e2b-4c1d-9a6e-2f3b4c5d6e01";
        Item item = service.create(session, "event", event(), "importer", new ContentService.CreateOptions(id, "2020", "secure-accommodation"));
        assertThat(item.id()).isEqualTo(id);
        assertThat(item.path()).isEqualTo("/events/2020/secure-accommodation");
        assertThatThrownBy(() -> service.create(session, "event", event(), "importer", new ContentService.CreateOptions(id, "2020", "again")))
                .isInstanceOf(ValidationException.class);
        for (int i = 0; i < 5; i++) {
            service.create(session, "event", event(), "editor");
        }
        assertThat(service.list(session, "event", 0, 3)).hasSize(3);
        assertThat(service.list(session, "event", 0, 100)).hasSize(6).allMatch(i -> i.type().equals("event"));
        assertThat(service.list(session, "resource", 0, 100)).isEmpty();
        assertThatThrownBy(() -> service.list(session, "event", 0, 101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void richTextIsSanitisedOnWrite(Session session) {
        Map<String, Object> e = event();
        e.put("description", Map.of("en", "<p onclick=\"x()\">Hello <b>world</b><script>alert(1)</script>"
                + "<a href=\"javascript:alert(1)\">bad</a> <a href=\"https://exchangewales.org\">good</a></p><iframe src=\"https://evil\"></iframe>",
                "cy", "<h2>Croeso</h2><ul><li>un</li></ul>"));
        Item item = service.create(session, "event", e, "editor");
        Map<?, ?> d = (Map<?, ?>) item.values().get("description");
        assertThat((String) d.get("en")).doesNotContain("script", "onclick", "javascript", "iframe")
                .contains("<b>world</b>").contains("href=\"https://exchangewales.org\"");
        assertThat(d.get("cy")).isEqualTo("<h2>Croeso</h2><ul><li>un</li></ul>");
    }
}
