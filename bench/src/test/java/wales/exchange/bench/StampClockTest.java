package wales.exchange.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The generator's spread of lastModified stamps: item i of N at start - (N - i) * spread / N, per thread. */
class StampClockTest {
    private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void itemsAreSpreadEvenlyBeforeTheStartAndEachThreadHasItsOwn() throws Exception {
        DataGenerator.StampClock clock = new DataGenerator.StampClock(START, Duration.ofDays(10), 1000);
        clock.item(0);
        assertThat(clock.instant()).isEqualTo(START.minus(Duration.ofDays(10)));
        clock.item(999);
        assertThat(clock.instant()).isEqualTo(START.minus(Duration.ofDays(10).dividedBy(1000)));
        clock.item(500);
        assertThat(clock.instant()).isEqualTo(START.minus(Duration.ofDays(5)));
        Instant other = CompletableFuture.supplyAsync(() -> {
            clock.item(100);
            return clock.instant();
        }).get();
        assertThat(other).isEqualTo(START.minus(Duration.ofDays(9)));
        assertThat(clock.instant()).as("this thread's item is still 500").isEqualTo(START.minus(Duration.ofDays(5)));
    }

    @Test
    void withoutASpreadItIsTheWallClock() {
        DataGenerator.StampClock clock = new DataGenerator.StampClock(START, Duration.ZERO, 1000);
        clock.item(0);
        Instant before = Instant.now();
        assertThat(clock.instant()).isBetween(before, Instant.now());
    }
}
