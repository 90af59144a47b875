package wales.exchange.delivery.index;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The language texts of entries read back from a snapshot file (titles and summaries in both languages: most of an
 * entry's bytes) stay in the file, memory-mapped read-only, instead of the heap: an entry's values are a
 * {@link Values} map holding its other values and where its texts are; a text is decoded (UTF-8) when asked for. The
 * operating system keeps the pages it reads in its page cache and may drop them under pressure, as with Lucene's
 * memory-mapped segments. An entry made from a repository read (an edit) keeps its texts on the heap as before.
 *
 * <p>Block layout, one per entry: count (byte), then per i18n property: its name (UTF), count of languages (byte), and
 * per language its tag (UTF) and text (int length, UTF-8 bytes).
 */
final class MappedTexts {
    private MappedTexts() {
    }

    /** The i18n texts of {@code values} (maps of language tag → string) as one block; null when there are none. */
    static byte[] encode(Map<String, Object> values, java.util.function.Predicate<String> i18n) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        DataOutputStream out = new DataOutputStream(bytes);
        int count = 0;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (isText(e.getKey(), e.getValue(), i18n)) {
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        out.writeByte(count);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (isText(e.getKey(), e.getValue(), i18n)) {
                out.writeUTF(e.getKey());
                Map<?, ?> m = (Map<?, ?>) e.getValue();
                out.writeByte(m.size());
                for (Map.Entry<?, ?> t : m.entrySet()) {
                    out.writeUTF((String) t.getKey());
                    byte[] b = ((String) t.getValue()).getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** An i18n text value kept in the block: a map of language tags to strings (at most 127 of them). */
    static boolean isText(String key, Object v, java.util.function.Predicate<String> i18n) {
        if (!i18n.test(key) || !(v instanceof Map<?, ?> m) || m.isEmpty() || m.size() > 127) {
            return false;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String) || !(e.getValue() instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /** Decodes a block at {@code offset} of {@code buffer} (absolute reads: safe from any thread). */
    static Map<String, Object> decode(ByteBuffer buffer, int offset) {
        int p = offset;
        int count = buffer.get(p++);
        Map<String, Object> out = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            int kl = buffer.getShort(p) & 0xffff;
            String key = utf(buffer, p + 2, kl);
            p += 2 + kl;
            int langs = buffer.get(p++);
            Map<String, String> texts = new HashMap<>(langs * 2);
            for (int l = 0; l < langs; l++) {
                int tl = buffer.getShort(p) & 0xffff;
                String tag = Entry.shared(utf(buffer, p + 2, tl));
                p += 2 + tl;
                int n = buffer.getInt(p);
                p += 4;
                texts.put(tag, utf(buffer, p, n));
                p += n;
            }
            out.put(key, Map.copyOf(texts));
        }
        return out;
    }

    /** Reads modified UTF-8 of writeUTF for ASCII keys and tags, and UTF-8 for texts: the same for what we write. */
    private static String utf(ByteBuffer buffer, int offset, int length) {
        byte[] b = new byte[length];
        buffer.get(offset, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static final Map<Set<String>, Set<String>> SETS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The mapped texts of one snapshot file (set once, when the file has been read and checked), or one entry's block. */
    static final class Region {
        volatile ByteBuffer buffer;

        Region() {
        }

        Region(ByteBuffer buffer) {
            this.buffer = buffer;
        }
    }

    /**
     * {@code values} with their texts as one UTF-8 block on the heap (an entry made from a repository read): about half
     * the bytes of the strings (Welsh letters such as ŵ make a Java string two bytes a character) and one object
     * instead of a map and two strings per text.
     */
    static Map<String, Object> compact(Map<String, Object> values, java.util.function.Predicate<String> i18n) {
        try {
            byte[] block = encode(values, i18n);
            if (block == null) {
                return values;
            }
            Map<String, Object> small = new HashMap<>();
            Set<String> keys = new HashSet<>();
            values.forEach((k, v) -> {
                if (isText(k, v, i18n)) {
                    keys.add(k);
                } else {
                    small.put(k, v);
                }
            });
            return new Values(Map.copyOf(small), Set.copyOf(keys), new Region(ByteBuffer.wrap(block)), 0);
        } catch (IOException e) {
            return values;
        }
    }

    /**
     * An entry's values: the ones kept on the heap, and its texts in the mapped block (decoded on each read of one of
     * them). Immutable.
     */
    static final class Values extends AbstractMap<String, Object> {
        private final Map<String, Object> small;
        private final Set<String> textKeys;
        private final Region region;
        private final int offset;

        Values(Map<String, Object> small, Set<String> textKeys, Region region, int offset) {
            this.small = small;
            this.textKeys = SETS.computeIfAbsent(textKeys, k -> k);
            this.region = region;
            this.offset = offset;
        }

        @Override
        public Object get(Object key) {
            Object v = small.get(key);
            if (v != null || !textKeys.contains(key)) {
                return v;
            }
            return decode(region.buffer, offset).get(key);
        }

        /** Every text of the block, decoded (what {@link #get} decodes for one of them). */
        Map<String, Object> texts() {
            return decode(region.buffer, offset);
        }

        /** Whether {@code key} is one of the texts in the block. */
        boolean isText(String key) {
            return textKeys.contains(key) && !small.containsKey(key);
        }

        /**
         * One text of the block, {@code key} in the language {@code tag}, decoding only it (null when the block has no
         * such text); {@link #get} decodes every text of the block.
         */
        String text(String key, String tag) {
            if (!ascii(key) || !ascii(tag)) {
                Object m = get(key);
                return m instanceof Map<?, ?> texts ? (String) texts.get(tag) : null;
            }
            long at = find(key, tag);
            return at < 0 ? null : utf(region.buffer, (int) (at >>> 32), (int) at);
        }

        /**
         * Where the UTF-8 bytes of {@code key} in the language {@code tag} are in the block (both ASCII): the position
         * in the high 32 bits, the length in the low ones; -1 when there is no such text.
         */
        private long find(String key, String tag) {
            ByteBuffer b = region.buffer;
            int p = offset;
            int count = b.get(p++);
            for (int i = 0; i < count; i++) {
                int kl = b.getShort(p) & 0xffff;
                boolean keyMatch = ascii(b, p + 2, kl, key);
                p += 2 + kl;
                int langs = b.get(p++);
                for (int l = 0; l < langs; l++) {
                    int tl = b.getShort(p) & 0xffff;
                    boolean match = keyMatch && ascii(b, p + 2, tl, tag);
                    p += 2 + tl;
                    int n = b.getInt(p);
                    p += 4;
                    if (match) {
                        return ((long) p << 32) | (n & 0xffffffffL);
                    }
                    p += n;
                }
                if (keyMatch) {
                    return -1;
                }
            }
            return -1;
        }

        private static boolean ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == 0 || s.charAt(i) >= 0x80) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Copies the UTF-8 bytes of one text of the block, {@code key} in the language {@code tag}, into {@code out}:
         * true when there is one (nothing decoded, no string made).
         */
        boolean textBytes(String key, String tag, wales.exchange.delivery.index.Entry.TextBytes out) {
            if (!ascii(key) || !ascii(tag)) {
                String s = text(key, tag);
                if (s == null) {
                    return false;
                }
                out.set(s.getBytes(StandardCharsets.UTF_8));
                return true;
            }
            long at = find(key, tag);
            if (at < 0) {
                return false;
            }
            int n = (int) at;
            region.buffer.get((int) (at >>> 32), out.room(n), 0, n);
            out.length = n;
            return true;
        }

        /** Whether the {@code length} bytes at {@code offset} are {@code s} (ASCII: keys and tags are). */
        private static boolean ascii(ByteBuffer b, int offset, int length, String s) {
            if (length != s.length()) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (b.get(offset + i) != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean containsKey(Object key) {
            return small.containsKey(key) || textKeys.contains(key);
        }

        @Override
        public Set<Map.Entry<String, Object>> entrySet() {
            Map<String, Object> all = new HashMap<>(small);
            all.putAll(decode(region.buffer, offset));
            return java.util.Collections.unmodifiableMap(all).entrySet();
        }

        @Override
        public int size() {
            Set<String> keys = new HashSet<>(small.keySet());
            keys.addAll(textKeys);
            return keys.size();
        }
    }
}
