package wales.exchange.delivery.query;

import static org.assertj.core.api.Assertions.assertThat;

import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.render.Renderer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import wales.exchange.content.ContentService;
import wales.exchange.content.Item;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.delivery.index.Entry;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ModelLoader;

@ExtendWith(JcrExtension.class)
class DeliveryIndexJcrTest {
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
    private final ContentService service = new ContentService(model, Clock.systemUTC());

    @Test
    void anItemChangedAfterTheIndexIsNeverRenderedFromTheRepository(EmbeddedRepository repo, Session session) throws Exception {
        Item item = service.create(session, "resource", Map.of("title", Map.of("en", "Public title"), "kind", "report",
                "body", Map.of("en", "<p>Public body</p>"), "moderationState", "published"), "editor");
        // a read model whose observation events have not arrived yet (as with Magnolia's asynchronous delivery)
        DeliveryIndex readModel = new DeliveryIndex(service, repo.login(), repo::login, List.of(model.get("resource")), Clock.systemUTC());
        readModel.start(listener -> events -> { });
        Entry entry = readModel.entry(item.id()).orElseThrow();
        assertThat(readModel.full(entry).values().get("body")).isEqualTo(Map.of("en", "<p>Public body</p>"));

        service.update(session, "resource", item.id(), 1, Map.of("moderationState", "draft",
                "body", Map.of("en", "<p>Secret draft body</p>")), "editor");
        // the repository is newer than the index: the entry's full item is the one it was made from (its body record),
        // never the repository's draft, and no repository read was needed
        assertThat(readModel.full(entry).values().get("body")).isEqualTo(Map.of("en", "<p>Public body</p>"));
        assertThat(readModel.fullReads()).isZero();
        Renderer renderer = new Renderer(new ObjectMapper(), new Messages(), DeliveryConfig.defaults());
        Renderer.Rendered r = renderer.item(entry, Lang.EN, Renderer.Shape.FULL, false, readModel.generation(),
                id -> null, readModel::full);
        assertThat(new String(r.bytes(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("Secret draft")
                .contains("Public body");
        readModel.stop();
    }

    @Test
    void changesOutsideTheDeliveredTypesDoNotInvalidateCaches(EmbeddedRepository repo, Session session) throws Exception {
        DeliveryIndex readModel = new DeliveryIndex(service, repo.login(), repo::login, List.of(model.get("resource")), Clock.systemUTC());
        readModel.start();
        long before = readModel.generation();
        java.time.Instant lastChange = readModel.lastChange();
        service.create(session, "comment", Map.of("target", "welcome", "displayName", "Sam", "email", "sam@example.org",
                "body", "Diolch!"), "anonymous");
        // the listener is synchronous: the save has been reported (or ignored) before create() returns
        assertThat(readModel.requestedSequence()).as("a comment is not a delivered type").isZero();
        assertThat(readModel.generation()).isEqualTo(before);
        assertThat(readModel.lastChange()).isEqualTo(lastChange);
        service.create(session, "resource", Map.of("title", Map.of("en", "New"), "kind", "film", "moderationState", "published"), "editor");
        assertThat(readModel.size()).as("read-your-write").isEqualTo(1);
        assertThat(readModel.generation()).isGreaterThan(before);
        readModel.stop();
    }

    /**
     * Writers save through the content service and through a plain JCR session while readers query: every reader that
     * starts after a save returned sees it, and an existing item being updated is never missing.
     */
    @Test
    void everyReadThatStartsAfterASaveReturnedSeesIt(EmbeddedRepository repo, Session session) throws Exception {
        Item existing = service.create(session, "resource", Map.of("title", Map.of("en", "Existing"), "kind", "report",
                "moderationState", "published"), "editor");
        Item plain = service.create(session, "resource", Map.of("title", Map.of("en", "plain-0"), "kind", "report",
                "moderationState", "published"), "editor");
        Session writerSession = repo.login();
        DeliveryIndex index = new DeliveryIndex(service, writerSession, repo::login, List.of(model.get("resource")), Clock.systemUTC());
        index.start();
        Delivery delivery = new Delivery(index, Clock.systemUTC());
        int saves = 40;
        java.util.Set<String> created = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger plainSaved = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Integer>> writers = List.of(
                    pool.submit(() -> { // through the content service: creates, each checked by its own thread at once
                        Session s = repo.login();
                        try {
                            for (int i = 0; i < saves; i++) {
                                Item it = service.create(s, "resource", Map.of("title", Map.of("en", "Created " + i), "kind", "film",
                                        "moderationState", "published"), "editor");
                                created.add(it.id());
                                assertThat(index.entry(it.id())).as("read-your-write").isPresent();
                                ListQuery q = ListQuery.parse(model.get("resource"), new java.util.HashMap<>(Map.of("kind", List.of("film"),
                                        "limit", List.of("100"))), false);
                                assertThat(delivery.list("resource", q, Lang.EN, false).items()).extracting(Entry::id).contains(it.id());
                            }
                        } finally {
                            s.logout();
                        }
                        return saves;
                    }),
                    pool.submit(() -> { // through the content service: updates of an existing item
                        Session s = repo.login();
                        try {
                            long revision = existing.revision();
                            for (int i = 0; i < saves; i++) {
                                revision = service.update(s, "resource", existing.id(), revision,
                                        Map.of("summary", Map.of("en", "Update " + i)), "editor").revision();
                                assertThat(index.entry(existing.id()).orElseThrow().item.revision()).isEqualTo(revision);
                            }
                        } finally {
                            s.logout();
                        }
                        return saves;
                    }),
                    pool.submit(() -> { // through a plain JCR session, not the content service
                        Session s = repo.login();
                        try {
                            javax.jcr.Node n = s.getNodeByIdentifier(plain.id());
                            for (int i = 1; i <= saves; i++) {
                                n.setProperty("title", "plain-" + i);
                                s.save();
                                plainSaved.set(i);
                                assertThat(Entry.text(index.entry(plain.id()).orElseThrow().item, "title", Lang.EN)).isEqualTo("plain-" + i);
                            }
                        } finally {
                            s.logout();
                        }
                        return saves;
                    }));
            List<java.util.concurrent.Future<Integer>> readers = new java.util.ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    while (writing.get()) {
                        // what had been saved before this read started
                        java.util.Set<String> saved = java.util.Set.copyOf(created);
                        int plainBefore = plainSaved.get();
                        wales.exchange.delivery.index.Snapshot snap = index.current();
                        for (String id : saved) {
                            assertThat(snap.entry(id)).as("created before the read started").isPresent();
                        }
                        assertThat(snap.entry(existing.id())).as("an existing item is never missing during an update").isPresent();
                        String title = Entry.text(snap.entry(plain.id()).orElseThrow().item, "title", Lang.EN);
                        assertThat(Integer.parseInt(title.substring("plain-".length()))).isGreaterThanOrEqualTo(plainBefore);
                        assertThat(delivery.item("resource", existing.id(), false)).isPresent();
                        reads++;
                    }
                    return reads;
                }));
            }
            for (java.util.concurrent.Future<Integer> w : writers) {
                assertThat(w.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(saves);
            }
            writing.set(false);
            for (java.util.concurrent.Future<Integer> r : readers) {
                assertThat(r.get(60, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
            }
            assertThat(index.size()).isEqualTo(2 + saves);
            assertThat(index.appliedSequence()).isEqualTo(index.requestedSequence());
        } finally {
            writing.set(false);
            pool.shutdownNow();
            index.stop();
            writerSession.logout();
        }
    }

    /**
     * One node the content service cannot read (a Boolean property stored as a date): logged once with its path,
     * retried with back-off, its last good state kept; other items and lists keep answering, and a fix is seen at once.
     */
    @Test
    void anUnreadableNodeIsLoggedOnceRetriedAndFailsNothingElse(EmbeddedRepository repo, Session session) throws Exception {
        Item good = service.create(session, "resource", Map.of("title", Map.of("en", "Good"), "kind", "report",
                "moderationState", "published"), "editor");
        Item event = service.create(session, "event", Map.of("title", Map.of("en", "Talk"), "moderationState", "published"),
                "editor");
        Session writerSession = repo.login();
        DeliveryIndex index = new DeliveryIndex(service, writerSession, repo::login,
                List.of(model.get("resource"), model.get("event")), Clock.systemUTC());
        index.start();
        Delivery delivery = new Delivery(index, Clock.systemUTC());
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
            javax.jcr.Node n = session.getNodeByIdentifier(event.id());
            n.setProperty("allDay", java.util.Calendar.getInstance()); // DATE cannot be read as BOOLEAN
            session.save();
            assertThat(index.failing()).containsKey(event.path());
            // every other request answers; the event keeps its last good state
            assertThat(index.entry(good.id())).isPresent();
            assertThat(delivery.list("resource", ListQuery.parse(model.get("resource"), new java.util.HashMap<>(), false),
                    Lang.EN, false).total()).isEqualTo(1);
            assertThat(delivery.item("event", event.id(), false)).isPresent();
            Item other = service.create(session, "resource", Map.of("title", Map.of("en", "Other"), "kind", "film",
                    "moderationState", "published"), "editor");
            assertThat(index.entry(other.id())).as("changes to other items are still applied").isPresent();
            // retried with back-off (100, 200, 400 ms...): wait for the third attempt
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (index.failing().getOrDefault(event.path(), 0L) < 3 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertThat(index.failing().get(event.path())).isGreaterThanOrEqualTo(3);
            String logged = log.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(logged.lines().filter(l -> l.contains("cannot read " + event.path())).count()).as(logged).isEqualTo(1);
            assertThat(logged).contains("ValueFormatException");
            assertThat(index.failuresLogged()).isEqualTo(1);
            n.getProperty("allDay").remove();
            session.save();
            assertThat(index.failing()).isEmpty();
            assertThat(index.entry(event.id()).orElseThrow().item.values()).doesNotContainKey("allDay");
        } finally {
            System.setErr(err);
            index.stop();
            writerSession.logout();
        }
    }

    /**
     * A node that never could be read and is then removed: its retry resolves to the folder above, which settles it;
     * the writer does not loop (the failing set empties and the generation stays put). Review finding: it looped.
     */
    @Test
    void aRemovedUnreadableNodeIsSettledAndTheWriterGoesQuiet(EmbeddedRepository repo, Session session) throws Exception {
        service.create(session, "resource", Map.of("title", Map.of("en", "Good"), "kind", "report",
                "moderationState", "published"), "editor");
        Session writerSession = repo.login();
        DeliveryIndex index = new DeliveryIndex(service, writerSession, repo::login, List.of(model.get("resource")),
                Clock.systemUTC(), (type, node) -> {
                    if (node.getName().equals("broken")) {
                        throw new javax.jcr.ValueFormatException("unreadable on purpose");
                    }
                    return service.toItem(type, node);
                });
        index.start();
        try {
            Item broken = service.create(session, "resource", Map.of("title", Map.of("en", "Broken"), "kind", "report",
                    "moderationState", "published"), "editor", new wales.exchange.content.ContentService.CreateOptions(null, null, "broken"));
            assertThat(index.failing()).containsKey(broken.path());
            session.getNodeByIdentifier(broken.id()).remove();
            session.save();
            assertThat(index.failing()).as("settled through the folder it resolved to").isEmpty();
            long generation = index.generation();
            session.getRootNode().addNode("elsewhere", "nt:unstructured"); // a change outside the delivered types
            session.save();
            assertThat(index.generation()).as("no writer loop publishing snapshots").isEqualTo(generation);
            assertThat(index.failing()).isEmpty();
        } finally {
            index.stop();
            writerSession.logout();
        }
    }

    /**
     * While the writer catches up with a save, the non-blocking generation is -1 (a cache lookup on an I/O thread
     * misses instead of waiting), and the blocking one waits for the writer.
     */
    @Test
    void theNonBlockingGenerationSaysWhenTheWriterIsBehind(EmbeddedRepository repo, Session session) throws Exception {
        java.util.concurrent.CountDownLatch slow = new java.util.concurrent.CountDownLatch(1);
        Session writerSession = repo.login();
        DeliveryIndex index = new DeliveryIndex(service, writerSession, repo::login, List.of(model.get("resource")),
                Clock.systemUTC(), (type, node) -> {
                    if (node.getName().equals("slow")) {
                        try {
                            slow.await(30, java.util.concurrent.TimeUnit.SECONDS); // the writer is busy with this one
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return service.toItem(type, node);
                });
        index.start();
        try {
            long before = index.generationIfCurrent();
            assertThat(before).isEqualTo(index.generation()).isNotNegative();
            service.create(session, "resource", Map.of("title", Map.of("en", "Slow"), "kind", "report",
                    "moderationState", "published"), "editor", new wales.exchange.content.ContentService.CreateOptions(null, null, "slow"));
            assertThat(index.generationIfCurrent()).as("behind the save that returned").isEqualTo(-1);
            slow.countDown();
            long after = index.generation(); // waits for the writer
            assertThat(after).isGreaterThan(before);
            assertThat(index.generationIfCurrent()).isEqualTo(after);
        } finally {
            slow.countDown();
            index.stop();
            writerSession.logout();
        }
    }
}
