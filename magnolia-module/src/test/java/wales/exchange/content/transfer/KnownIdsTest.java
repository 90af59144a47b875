package wales.exchange.content.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KnownIdsTest {
    private static List<String> ids(long seed, int n) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new UUID(r.nextLong() & ~0xF000L | 0x4000L, r.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString());
        }
        return out;
    }

    @Test
    void everyAddedIdMayBeThereAndFewOthersSeemSo() {
        KnownIds known = new KnownIds(200_000);
        long bytes = known.bytes();
        List<String> in = ids(1, 200_000);
        in.forEach(known::add);
        assertThat(in).allMatch(known::mayContain);   // never a false "no": an existing item is always looked up
        long seeming = ids(2, 100_000).stream().filter(known::mayContain).count();
        assertThat(seeming).as("false positives of 100,000").isLessThan(200);   // about 50 expected (0.05%)
        assertThat(known.bytes()).isEqualTo(bytes).isLessThanOrEqualTo(1 << 20);
    }

    @Test
    void sizeIsBoundedWhateverIsExpected() {
        assertThat(new KnownIds(0).bytes()).isEqualTo(128 * 1024);
        assertThat(new KnownIds(Long.MAX_VALUE / 32).bytes()).isEqualTo(16L << 20);
        KnownIds small = new KnownIds(10);
        List<String> many = ids(3, 300_000);   // far more than it was sized for: more "maybe", never a wrong "no"
        many.forEach(small::add);
        assertThat(many).allMatch(small::mayContain);
    }
}
