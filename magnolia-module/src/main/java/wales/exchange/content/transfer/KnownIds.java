package wales.exchange.content.transfer;

/**
 * Which node identifiers may exist in the repository an import writes to: a Bloom filter of every identifier there
 * when the import starts and of every item the import creates. "No" is certain, so a line whose id the filter has never
 * seen is created without looking the id up in the repository (for a new id that look-up is a miss in Jackrabbit's
 * caches, two queries to the bundle stores and an exception: about 5% of an import's main thread, docs/import-export.md);
 * "maybe" (seen, or a false positive: about 1 in 2,000 while the filter holds no more than it was sized for) looks it up
 * as before. The size is fixed when it is made (2 to 4 bytes an identifier, at most 16 MiB), so memory does not grow
 * with the input: past its size the filter only says "maybe" more often.
 */
public final class KnownIds {
    private static final int HASHES = 8;
    private final long[] bits;
    private final long mask;

    /** A filter sized for {@code expected} identifiers (at least 64 Ki). */
    public KnownIds(long expected) {
        long want = Math.max(expected, 1 << 16) * 16;   // 16 bits an identifier: 0.05% false positives with 8 hashes
        int words = (int) Math.min(1L << 21, Long.highestOneBit(Math.max(64, want) - 1) << 1 >>> 6);
        bits = new long[words];
        mask = (long) words * 64 - 1;
    }

    /** Adds an identifier . */
    public void add(String id) {
        long h1 = hash1(id);
        long h2 = hash2(id, h1);
        for (int i = 0; i < HASHES; i++) {
            long b = (h1 + i * h2) & mask;
            bits[(int) (b >>> 6)] |= 1L << b;
        }
    }

    /** False when {@code id} was certainly never added; true when it may have been. */
    public boolean mayContain(String id) {
        long h1 = hash1(id);
        long h2 = hash2(id, h1);
        for (int i = 0; i < HASHES; i++) {
            long b = (h1 + i * h2) & mask;
            if ((bits[(int) (b >>> 6)] & (1L << b)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Bytes held. */
    public long bytes() {
        return bits.length * 8L;
    }

    private static long hash1(String id) {
        return mix(id.hashCode() * 0x9E3779B97F4A7C15L + id.length());
    }

    private static long hash2(String id, long h1) {
        long h = 0xC6A4A7935BD1E995L;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001B3L;
        }
        return mix(h ^ h1) | 1;   // odd: every probe lands somewhere else
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
