package wales.exchange.delivery.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Ranking} against the plain definition (score per match, best first, ties by position) on random sets. */
class RankingTest {
    /** The definition: a word in the title counts 3, elsewhere 1; best score first, then ascending position. */
    private static int[] reference(BitSet mask, BitSet[] inTitle, int count) {
        List<int[]> scored = new ArrayList<>();
        for (int i = mask.nextSetBit(0); i >= 0; i = mask.nextSetBit(i + 1)) {
            int score = 0;
            for (BitSet t : inTitle) {
                score += t.get(i) ? 3 : 1;
            }
            scored.add(new int[] {score, i});
        }
        scored.sort(Comparator.comparingInt((int[] a) -> -a[0]).thenComparingInt(a -> a[1]));
        return scored.stream().limit(count).mapToInt(a -> a[1]).toArray();
    }

    @Test
    void randomMasksAndTitlesRankAsTheDefinition() {
        Random r = new Random(42);
        for (int round = 0; round < 400; round++) {
            int n = 1 + r.nextInt(700);
            int words = r.nextInt(11); // ListQuery allows up to 10
            double density = r.nextDouble();
            BitSet mask = random(r, n, density);
            BitSet[] titles = new BitSet[words];
            long[][] titleWords = new long[words][];
            for (int w = 0; w < words; w++) {
                titles[w] = random(r, n, r.nextDouble());
                titleWords[w] = titles[w].toLongArray();
            }
            int count = r.nextInt(4) == 0 ? n + 5 : r.nextInt(60);
            assertArrayEquals(reference(mask, titles, count), Ranking.top(mask.toLongArray(), titleWords, count),
                    "round " + round + ": n=" + n + ", words=" + words + ", count=" + count);
        }
    }

    @Test
    void emptyMaskFullMaskAndNoWords() {
        assertArrayEquals(new int[0], Ranking.top(new long[0], new long[][] {{-1L}}, 10));
        BitSet all = new BitSet();
        all.set(0, 130);
        BitSet title = new BitSet();
        title.set(129);
        title.set(64);
        title.set(3);
        assertArrayEquals(new int[] {3, 64, 129, 0, 1}, Ranking.top(all.toLongArray(), new long[][] {title.toLongArray()}, 5));
        assertArrayEquals(new int[] {0, 1, 2}, Ranking.top(all.toLongArray(), new long[0][], 3));
        assertArrayEquals(new int[0], Ranking.top(all.toLongArray(), new long[][] {title.toLongArray()}, 0));
    }

    @Test
    void moreTitleMatchesRankHigherAcrossManyWords() {
        // 10 words: position p has p title matches (positions 0..10); the best has all ten
        int words = 10;
        long[][] titles = new long[words][1];
        BitSet mask = new BitSet();
        mask.set(0, 11);
        for (int p = 0; p <= words; p++) {
            for (int w = 0; w < p; w++) {
                titles[w][0] |= 1L << p;
            }
        }
        assertArrayEquals(new int[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, Ranking.top(mask.toLongArray(), titles, 20));
    }

    private static BitSet random(Random r, int n, double density) {
        BitSet b = new BitSet(n);
        for (int i = 0; i < n; i++) {
            if (r.nextDouble() < density) {
                b.set(i);
            }
        }
        return b;
    }
}
