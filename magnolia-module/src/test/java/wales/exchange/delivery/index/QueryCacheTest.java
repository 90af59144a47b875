package wales.exchange.delivery.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bound of the cache of counts, and that what it holds is what was put. */
class QueryCacheTest {
    private static QueryCache.Counted counted(int total) {
        return new QueryCache.Counted(total, Map.of("kind", Map.of("report", total)));
    }

    @Test
    void itKeepsWhatWasPutByEqualKeysAndNeverHoldsMoreThanItsCapacity() {
        QueryCache<QueryCache.Counted> cache = new QueryCache<>(8);
        for (int i = 0; i < 1000; i++) {
            cache.put(List.of("kind", "eq", "k" + i), counted(i));
            assertThat(cache.size()).as("after %d puts", i + 1).isLessThanOrEqualTo(8);
            // an equal key, not the same object: the last one put is always there, with its own counts
            assertThat(cache.get(List.of("kind", "eq", "k" + i))).isEqualTo(counted(i));
        }
        assertThat(cache.size()).as("full again after a quarter was dropped").isGreaterThanOrEqualTo(6);
        int held = 0;
        for (int i = 0; i < 1000; i++) {
            QueryCache.Counted c = cache.get(List.of("kind", "eq", "k" + i));
            if (c != null) {
                held++;
                assertThat(c.total()).isEqualTo(i);
            }
        }
        assertThat(held).isEqualTo(cache.size());
    }

    @Test
    void replacingAKeyDropsNothing() {
        QueryCache<QueryCache.Counted> cache = new QueryCache<>(2);
        cache.put("a", counted(1));
        cache.put("b", counted(2));
        cache.put("b", counted(3));
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("a")).isEqualTo(counted(1));
        assertThat(cache.get("b")).isEqualTo(counted(3));
    }

    @Test
    void aCacheHoldsAtLeastOneEntry() {
        assertThatThrownBy(() -> new QueryCache<>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
