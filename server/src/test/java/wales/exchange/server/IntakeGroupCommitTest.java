package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.intake.IntakeWriter;

/**
 * The intake's group commit over HTTP, on a repository on disk: many submitters at once (so the writer saves several
 * submissions per save), identical submissions and one attachment racing each other inside those batches; every 202
 * must be there after a restart, exactly once, and each race has exactly one winner.
 */
class IntakeGroupCommitTest {
    static final int SUBMITTERS = 12;
    static final int EACH = 15;
    static final int RACES = 8;

    @TempDir
    Path data;

    ExchangeServer start() throws Exception {
        return ExchangeServer.start(Settings.parse(new String[] {"--port=0", "--data", data.toString(), "--no-demo",
                "--intake-secret", IntakeClient.SECRET, "--intake-min-fill-seconds", "0", "--rate-limit", "1000000",
                "--intake-address-limit", "100000", "--intake-email-limit", "100000"}, Map.of()), java.time.Clock.systemUTC());
    }

    static String token(HttpResponse<String> r) throws Exception {
        return IntakeClient.json(r).get("token").asText();
    }

    @Test
    void everyAcceptedSubmissionOfConcurrentSubmittersIsSavedOnceAndRacesHaveOneWinner() throws Exception {
        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        List<int[]> raceStatuses = new ArrayList<>();
        long savedByWriter;
        ExchangeServer server = start();
        try {
            IntakeClient c = new IntakeClient(server.port());
            ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS);
            ExecutorService racers = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < SUBMITTERS; t++) {
                    int thread = t;
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < EACH; i++) {
                            HttpResponse<String> r = c.post("/contributions", IntakeClient.contribution("", "t" + thread + "-" + i
                                    + "@example.org", "Concurrent " + thread + "/" + i, Map.of()));
                            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                            accepted.add(token(r));
                        }
                        return null;
                    }));
                }
                // meanwhile: pairs of identical submissions sent at the same moment, and one attachment claimed twice
                for (int k = 0; k < RACES; k++) {
                    String same = IntakeClient.contribution("", "race" + k + "@example.org", "Race " + k, Map.of());
                    raceStatuses.add(race(racers, c, same, same, accepted));
                }
                HttpResponse<String> up = c.postBytes("/contributions/attachments", "application/pdf",
                        "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".getBytes());
                assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
                Map<String, Object> file = Map.of("attachment", IntakeClient.json(up).get("attachment").asText());
                int[] attachmentRace = race(racers, c, IntakeClient.contribution("", "file1@example.org", "File one", file),
                        IntakeClient.contribution("", "file2@example.org", "File two", file), accepted);
                for (Future<?> f : work) {
                    f.get(120, TimeUnit.SECONDS);
                }
                for (int[] s : raceStatuses) {
                    assertThat(s).as("identical submissions at once: one saved, one duplicate").containsExactlyInAnyOrder(202, 409);
                }
                assertThat(attachmentRace).as("one attachment claimed twice at once").containsExactlyInAnyOrder(202, 400);
            } finally {
                pool.shutdownNow();
                racers.shutdownNow();
            }
            savedByWriter = server.injector().getInstance(IntakeWriter.class).saved();
        } finally {
            server.close();
        }
        int expected = SUBMITTERS * EACH + RACES + 1;
        assertThat(accepted).hasSize(expected);
        assertThat(savedByWriter).as("every accepted submission went through the writer").isEqualTo(expected);

        ExchangeServer again = start();
        try {
            IntakeClient c = new IntakeClient(again.port());
            for (String token : accepted) {
                HttpResponse<String> r = c.get("/submissions/" + token);
                assertThat(r.statusCode()).as("status of an accepted submission after the restart").isEqualTo(200);
            }
            int items = ExchangeServerExtension.withSession(again, (s, svc) -> {
                int n = 0;
                for (var it = s.getWorkspace().getQueryManager().createQuery("SELECT * FROM [exchange:contribution]",
                        javax.jcr.query.Query.JCR_SQL2).execute().getNodes(); it.hasNext(); it.nextNode()) {
                    n++;
                }
                return n;
            });
            assertThat(items).as("each accepted submission saved once, nothing else").isEqualTo(expected);
        } finally {
            again.close();
        }
    }

    /** Sends two bodies at the same moment; their statuses, the accepted one's token added to {@code accepted}. */
    static int[] race(ExecutorService pool, IntakeClient c, String a, String b, ConcurrentLinkedQueue<String> accepted) throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<Integer>> two = new ArrayList<>();
        for (String body : List.of(a, b)) {
            two.add(pool.submit(() -> {
                together.await(30, TimeUnit.SECONDS);
                HttpResponse<String> r = c.post("/contributions", body);
                if (r.statusCode() == 202) {
                    accepted.add(token(r));
                }
                return r.statusCode();
            }));
        }
        return new int[] {two.get(0).get(60, TimeUnit.SECONDS), two.get(1).get(60, TimeUnit.SECONDS)};
    }
}
