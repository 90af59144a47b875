package wales.exchange.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a reader typed, kept for the form's return (docs/pages.md): single-use keys, at most 15 minutes, bounded. */
class FormDraftsTest {
    /** A clock the test moves. */
    static final class Moving extends Clock {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static FormDrafts.Draft draft(String title) {
        return new FormDrafts.Draft(Map.of("title", List.of(title), "links", List.of("https://a.example", "https://b.example")),
                Map.of("contributorEmail", "format.email"));
    }

    @Test
    void aKeyIsRandomAndTakesItsDraftOnce() {
        FormDrafts drafts = new FormDrafts(new Moving());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String k = drafts.keep(draft("t" + i));
            assertThat(k).matches(FormDrafts.KEY.pattern());
            keys.add(k);
        }
        assertThat(keys).hasSize(100);
        String key = drafts.keep(draft("Mine"));
        FormDrafts.Draft d = drafts.take(key).orElseThrow();
        assertThat(d.first("title")).isEqualTo("Mine");
        assertThat(d.values().get("links")).containsExactly("https://a.example", "https://b.example");
        assertThat(d.errors()).containsEntry("contributorEmail", "format.email");
        assertThat(drafts.take(key)).isEmpty();
        assertThat(drafts.take("not a key")).isEmpty();
        assertThat(drafts.take(null)).isEmpty();
    }

    @Test
    void aDraftExpiresAfterFifteenMinutes() {
        Moving clock = new Moving();
        FormDrafts drafts = new FormDrafts(clock);
        String early = drafts.keep(draft("early"));
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        String late = drafts.keep(draft("late"));
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertThat(drafts.take(early)).isEmpty();
        assertThat(drafts.take(late)).isPresent();
        assertThat(drafts.size()).isZero();
    }

    @Test
    void theOldestGoFirstBeyondTheBounds() {
        FormDrafts drafts = new FormDrafts(new Moving());
        String first = drafts.keep(draft("first"));
        String second = drafts.keep(draft("second"));
        for (int i = 0; i < FormDrafts.MAX_ENTRIES - 1; i++) {
            drafts.keep(draft("x" + i));
        }
        assertThat(drafts.size()).isEqualTo(FormDrafts.MAX_ENTRIES);
        assertThat(drafts.take(first)).isEmpty();
        assertThat(drafts.take(second)).isPresent();
        // by size: a few large forms push out the older ones, whatever their number
        FormDrafts big = new FormDrafts(new Moving());
        String kept = big.keep(draft("y".repeat(64 * 1024)));
        int fit = (int) (FormDrafts.MAX_CHARS / (64 * 1024 + 5 + 2 * 22 + 10));
        for (int i = 0; i < fit; i++) {
            big.keep(draft("z".repeat(64 * 1024)));
        }
        assertThat(big.take(kept)).isEmpty();
        assertThat(big.size()).isLessThanOrEqualTo(fit);
    }

    /**
     * Review 5, D5: on a quiet server (nothing kept or taken) expired forms are swept out by the sweeper, not kept
     * until the next post: a sweep drops what is past {@link FormDrafts#TTL} and keeps the rest.
     */
    @Test
    void aSweepDropsExpiredFormsWithoutAnyoneKeepingOrTaking() {
        Moving clock = new Moving();
        FormDrafts drafts = new FormDrafts(clock);
        drafts.keep(draft("early"));
        drafts.keep(draft("early too"));
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        String late = drafts.keep(draft("late"));
        assertThat(drafts.sweep()).isZero();
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        assertThat(drafts.held()).as("nothing goes by itself").isEqualTo(3);
        assertThat(drafts.sweep()).isEqualTo(2);
        assertThat(drafts.held()).isEqualTo(1);
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertThat(drafts.sweep()).isEqualTo(1);
        assertThat(drafts.held()).isZero();
        assertThat(drafts.take(late)).isEmpty();
    }

    /** The started sweeper runs the sweep on its own thread: an expired form goes with no call at all. */
    @Test
    void theStartedSweeperDropsExpiredFormsByItself() throws Exception {
        Moving clock = new Moving();
        FormDrafts drafts = new FormDrafts(clock);
        drafts.keep(draft("gone"));
        clock.now = clock.now.plus(FormDrafts.TTL);
        drafts.start(Duration.ofMillis(5));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (drafts.held() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(drafts.held()).isZero();
        } finally {
            drafts.stop();
        }
        drafts.stop(); // twice is harmless
    }
}
