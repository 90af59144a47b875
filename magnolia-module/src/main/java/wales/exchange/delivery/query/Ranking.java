package wales.exchange.delivery.query;

import java.util.Arrays;

/**
 * The order of a search without a sort: every word of the query is in each match; a word found in the title counts 3,
 * elsewhere 1, so an item's score is {@code words + 2 × (words in its title)} and ranking by score is ranking by the
 * number of words in the title, most first, ties in default order (ascending position).
 *
 * <p>Only the positions a page needs are ranked, a 64-position word at a time: per word of the mask, the number of
 * title matches of each position is added up in bit planes (a binary counter over bit-parallel lanes), so a level (an
 * exact count) is a few word operations, and a level whose matches lie wholly before the page is skipped by its pop
 * count. A query matching nearly every item so costs {@code (levels + 1) × words × n / 64} word operations, with no
 * per-item work and no array of scores.
 */
final class Ranking {
    private Ranking() {
    }

    /**
     * The first {@code count} positions of {@code mask} in rank order.
     *
     * @param mask    the matches (bitset words)
     * @param inTitle per query word, the positions having it in their title (bitset words)
     * @return up to {@code count} positions, best first
     */
    static int[] top(long[] mask, long[][] inTitle, int count) {
        int words = inTitle.length;
        int[] out = new int[Math.max(0, count)];
        int filled = 0;
        if (count <= 0) {
            return out;
        }
        long[] planes = new long[32 - Integer.numberOfLeadingZeros(Math.max(1, words))]; // enough bits for 0..words
        for (int level = words; level >= 0 && filled < count; level--) {
            for (int i = 0; i < mask.length && filled < count; i++) {
                long m = mask[i];
                if (m == 0) {
                    continue;
                }
                long at = m & exactly(level, planes(inTitle, words, i, m, planes));
                while (at != 0 && filled < count) {
                    out[filled++] = (i << 6) + Long.numberOfTrailingZeros(at);
                    at &= at - 1;
                }
            }
        }
        return filled == out.length ? out : Arrays.copyOf(out, filled);
    }

    /** Adds up, lane by lane, the title bits of word {@code i} into {@code planes} (bit p of the count in plane p). */
    private static long[] planes(long[][] inTitle, int words, int i, long m, long[] planes) {
        Arrays.fill(planes, 0);
        for (int w = 0; w < words; w++) {
            long[] t = inTitle[w];
            long carry = i < t.length ? t[i] & m : 0;
            for (int p = 0; p < planes.length && carry != 0; p++) {
                long next = planes[p] & carry;
                planes[p] ^= carry;
                carry = next;
            }
        }
        return planes;
    }

    /** The lanes whose count equals {@code level}. */
    private static long exactly(int level, long[] planes) {
        long eq = -1L;
        for (int p = 0; p < planes.length; p++) {
            eq &= ((level >>> p) & 1) != 0 ? planes[p] : ~planes[p];
        }
        return eq;
    }
}
