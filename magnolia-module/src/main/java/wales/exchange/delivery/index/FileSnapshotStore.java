package wales.exchange.delivery.index;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import wales.exchange.content.Item;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentType;

/**
 * The delivery index's entries in one binary file, {@code delivery-index.bin} in a folder of the data directory: a
 * header (magic, {@link #VERSION}, a fingerprint of the delivered types' model, each type's {@link Stamp}), then per
 * type its index as built: the entries in index order (each item's id, path, revision, dates and the values an entry
 * keeps), the search postings per language (titles, all text) and the sort orders, so that a restart reads and checks
 * them instead of analysing and sorting again; and a CRC32 of all of it. Written to a temporary file, forced to disk and renamed over the old one, then the
 * clean-stop marker {@code delivery-index.clean} is written; {@link #open} removes the marker, so a server killed
 * after it started never trusts the file again.
 */
public final class FileSnapshotStore implements SnapshotStore {
    /** Bump when the layout, the entries' content or the search forms ({@code TextIndex}) change. */
    static final int VERSION = 4;
    private static final int MAGIC = 0x45584958; // "EXIX"
    public static final String FILE = "delivery-index.bin";
    public static final String CLEAN = "delivery-index.clean";
    private static final int NULL = 0, STRING = 1, LONG = 2, DOUBLE = 3, DECIMAL = 4, BOOLEAN = 5, DATE = 6, LIST = 7,
            MAP = 8, INT = 9;
    private final Path dir;
    /** A read started by {@link #readAhead}, taken by the next {@link #open}. */
    private volatile Ahead ahead;

    /** The store of a standalone server's data directory: {@code DATA/index/delivery-index.bin}. */
    public static FileSnapshotStore inDataDirectory(Path data) {
        return new FileSnapshotStore(data.resolve("index"));
    }

    /** @param dir the folder holding the file (created when saving), e.g. {@code data/index} */
    public FileSnapshotStore(Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    public Path marker() {
        return dir.resolve(CLEAN);
    }

    /**
     * Starts reading the file in a thread of its own, so that the read overlaps the repository's opening (it needs
     * nothing from the repository; the check against it comes in {@link DeliveryIndex}); {@link #open} with the same
     * types then takes that result. Nothing is removed here: a start that fails before {@link #open} leaves the file and
     * its clean-stop marker as they were. Does nothing when there is no file from a clean stop.
     */
    public void readAhead(List<ContentType> types) {
        if (!Files.exists(marker()) || !Files.exists(file())) {
            return;
        }
        List<ContentType> copy = List.copyOf(types);
        CompletableFuture<Saved> read = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                read.complete(readClean(copy));
            } catch (Throwable e) { // never leave open() waiting; open() logs the reason in its one line
                read.complete(Saved.none("snapshot file " + file() + " could not be read: " + e));
            }
        }, "index-snapshot-read");
        t.setDaemon(true);
        t.start();
        ahead = new Ahead(copy, read);
    }

    private record Ahead(List<ContentType> types, CompletableFuture<Saved> read) {
    }

    /** Whether the file is there with its clean-stop marker (before {@link #open} removes the marker). */
    public boolean cleanStop() {
        return Files.exists(marker()) && Files.exists(file());
    }

    @Override
    public Saved open(List<ContentType> types) {
        boolean clean = Files.exists(marker());
        Ahead early = ahead;
        ahead = null;
        try {
            Files.deleteIfExists(marker());
        } catch (IOException e) {
            return Saved.none("cannot remove the clean-stop marker " + marker() + ": " + e);
        }
        if (!Files.exists(file())) {
            return Saved.none("no snapshot file " + file());
        }
        if (!clean) {
            return Saved.none("the server did not stop cleanly (no " + CLEAN + ")");
        }
        if (early != null && early.types().equals(types)) {
            return early.read().join();
        }
        return readClean(types);
    }

    /** The file's content, read and checked; the caller has seen the clean-stop marker. */
    private Saved readClean(List<ContentType> types) {
        try {
            return read(types);
        } catch (EOFException e) {
            return Saved.none("snapshot file " + file() + " is truncated");
        } catch (IOException | RuntimeException e) {
            // a damaged file fails its shape checks before its end is reached: say which it is
            return Saved.none("snapshot file " + file() + (checksumFails() ? " fails its checksum" : " is unreadable: " + e));
        }
    }

    /** Whether the file's last 8 bytes are not the CRC32 of the rest (read again, on a failure only). */
    private boolean checksumFails() {
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                return true;
            }
            CRC32 crc = new CRC32();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(1 << 20);
            long left = size - 8;
            ch.position(0);
            while (left > 0) {
                b.clear().limit((int) Math.min(b.capacity(), left));
                int n = ch.read(b);
                if (n < 0) {
                    return true;
                }
                b.flip();
                crc.update(b);
                left -= n;
            }
            java.nio.ByteBuffer stored = java.nio.ByteBuffer.allocate(8);
            ch.read(stored, size - 8);
            return stored.getLong(0) != crc.getValue();
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void invalidate() throws IOException {
        Files.deleteIfExists(marker());
        Files.deleteIfExists(file());
        Files.deleteIfExists(bodiesFile());
    }

    /** The item bodies beside the snapshot: {@code delivery-bodies.bin} ({@link BodyStore}). */
    public Path bodiesFile() {
        return dir.resolve(BodyStore.FILE);
    }

    @Override
    public BodyStore newBodies() throws IOException {
        return BodyStore.create(bodiesFile());
    }

    static long fingerprint(List<ContentType> types) {
        CRC32 crc = new CRC32();
        crc.update(types.toString().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    // ------------------------------------------------------------------------------------------------------- write

    @Override
    public void save(List<ContentType> types, Snapshot snapshot) throws IOException {
        save(types, snapshot, null);
    }

    /**
     * As {@link #save(List, Snapshot)}; the records of {@code bodies} the entries refer to are first compacted into a
     * new bodies file that replaces the old one, and the snapshot records its id and the records' new places.
     */
    @Override
    public void save(List<ContentType> types, Snapshot snapshot, BodyStore bodies) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(marker());
        // where each entry's record is in the file saved with the snapshot (its id in the header; 0: none)
        java.util.function.LongUnaryOperator where = ref -> BodyStore.NONE;
        long bodiesId = 0;
        if (bodies != null && bodies.file().equals(bodiesFile())) {
            List<BodyStore.Live> live = new ArrayList<>();
            long liveBytes = 0;
            for (ContentType t : types) {
                for (Entry e : snapshot.index(t.name()).entries) {
                    if (e.bodies == bodies) {
                        live.add(new BodyStore.Live(e.id(), e.item.revision(), e.body));
                        liveBytes += BodyStore.length(e.body);
                    }
                }
            }
            if (bodies.size() - BodyStore.HEADER - liveBytes > liveBytes / 8) {
                // superseded records are more than an eighth of the live ones: copy the live ones to a new file
                BodyStore.Compacted compacted = bodies.compact(live);
                compacted.store().close();
                where = compacted::moved;
                bodiesId = compacted.store().id();
            } else { // little garbage: the file is kept as it is (a copy of every record would make the stop slow)
                bodies.force();
                where = ref -> ref;
                bodiesId = bodies.id();
            }
        }
        Path tmp = dir.resolve(FILE + ".tmp");
        CRC32 crc = new CRC32();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream raw = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16);
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(fingerprint(types));
            out.writeLong(bodiesId);
            Map<String, Stamp> stamps = stamps(types, snapshot.entries());
            out.writeInt(types.size());
            for (ContentType t : types) {
                out.writeUTF(t.name());
                out.writeLong(stamps.get(t.name()).count());
                out.writeLong(stamps.get(t.name()).newestMillis());
            }
            long textOffset = 0;
            for (ContentType t : types) {
                TypeIndex index = snapshot.index(t.name());
                out.writeInt(index.entries.length);
                java.util.function.Predicate<String> i18n = i18n(t);
                for (Entry e : index.entries) {
                    // the values without the texts, the texts' names, and where the texts' block will be
                    Map<String, Object> small = new LinkedHashMap<>();
                    List<String> texts = new ArrayList<>();
                    e.item.values().forEach((k, v) -> {
                        if (MappedTexts.isText(k, v, i18n)) {
                            texts.add(k);
                        } else {
                            small.put(k, v);
                        }
                    });
                    writeItem(out, e.item, small);
                    out.writeShort(texts.size());
                    for (String k : texts) {
                        out.writeUTF(k);
                    }
                    byte[] block = MappedTexts.encode(e.item.values(), i18n);
                    out.writeLong(block == null ? -1 : textOffset);
                    textOffset += block == null ? 0 : block.length;
                    out.writeLong(bodiesId == 0 || e.bodies != bodies ? BodyStore.NONE : where.applyAsLong(e.body));
                }
                for (Lang l : Lang.values()) {
                    index.postings(l, true).write(out);
                    index.postings(l, false).write(out);
                }
                TypeIndex.Orders orders = index.orders();
                out.writeInt(orders.ascending().size());
                for (Map.Entry<String, int[]> o : orders.ascending().entrySet()) {
                    out.writeUTF(o.getKey());
                    writeInts(out, o.getValue());
                }
                for (Lang l : Lang.values()) {
                    writeInts(out, orders.titleAscending().get(l));
                }
            }
            // the texts, one block per entry in the order above: mapped, not read, by the next start
            out.writeLong(textOffset);
            long written = 0;
            for (ContentType t : types) {
                java.util.function.Predicate<String> i18n = i18n(t);
                for (Entry e : snapshot.index(t.name()).entries) {
                    byte[] block = MappedTexts.encode(e.item.values(), i18n);
                    if (block != null) {
                        out.write(block);
                        written += block.length;
                    }
                }
            }
            if (written != textOffset) {
                throw new IOException("entries changed while saving");
            }
            out.flush();
            new DataOutputStream(raw).writeLong(crc.getValue());
            raw.flush();
            ch.force(true);
        }
        try {
            Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself
        } catch (IOException e) {
            // some file systems cannot open a directory: the rename is still atomic
        }
        try (FileChannel m = FileChannel.open(marker(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            m.force(true);
        }
    }

    /** Per type name: items and the newest lastModified among them. */
    static Map<String, Stamp> stamps(List<ContentType> types, Collection<Entry> entries) {
        Map<String, long[]> acc = new LinkedHashMap<>();
        for (ContentType t : types) {
            acc.put(t.name(), new long[2]);
        }
        for (Entry e : entries) {
            long[] a = acc.get(e.type.name());
            a[0]++;
            a[1] = Math.max(a[1], e.lastModified.toEpochMilli());
        }
        Map<String, Stamp> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> out.put(k, new Stamp(a[0], a[1])));
        return out;
    }

    private static java.util.function.Predicate<String> i18n(ContentType t) {
        return k -> {
            wales.exchange.model.PropertyDef p = t.property(k);
            return p != null && p.i18n();
        };
    }

    private static void writeItem(DataOutputStream out, Item i, Map<String, Object> values) throws IOException {
        writeString(out, i.type());
        writeString(out, i.id());
        writeString(out, i.path());
        writeString(out, i.name());
        out.writeLong(i.revision());
        writeDate(out, i.created());
        writeString(out, i.createdBy());
        writeDate(out, i.lastModified());
        writeString(out, i.lastModifiedBy());
        writeValue(out, values);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void writeDate(DataOutputStream out, OffsetDateTime d) throws IOException {
        out.writeBoolean(d != null);
        if (d != null) {
            out.writeLong(d.toEpochSecond());
            out.writeInt(d.getNano());
            out.writeInt(d.getOffset().getTotalSeconds());
        }
    }

    private static void writeInts(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int x : a) {
            out.writeInt(x);
        }
    }

    static void writeValue(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            writeString(out, s);
        } else if (v instanceof Long n) {
            out.writeByte(LONG);
            out.writeLong(n);
        } else if (v instanceof Integer n) {
            out.writeByte(INT);
            out.writeInt(n);
        } else if (v instanceof Double n) {
            out.writeByte(DOUBLE);
            out.writeDouble(n);
        } else if (v instanceof BigDecimal n) {
            out.writeByte(DECIMAL);
            writeString(out, n.toString());
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else if (v instanceof OffsetDateTime d) {
            out.writeByte(DATE);
            writeDate(out, d);
        } else if (v instanceof List<?> l) {
            out.writeByte(LIST);
            out.writeInt(l.size());
            for (Object o : l) {
                writeValue(out, o);
            }
        } else if (v instanceof Map<?, ?> m) {
            out.writeByte(MAP);
            out.writeInt(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                writeString(out, (String) e.getKey());
                writeValue(out, e.getValue());
            }
        } else {
            throw new IOException("cannot save a value of type " + v.getClass().getName());
        }
    }

    // -------------------------------------------------------------------------------------------------------- read

    private Saved read(List<ContentType> types) throws IOException {
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.READ)) {
            long size = channel.size();
            SnapshotInput in = new SnapshotInput(channel);
            if (in.readInt() != MAGIC) {
                return Saved.none("snapshot file " + file() + " is not an index snapshot");
            }
            int version = in.readInt();
            if (version != VERSION) {
                return Saved.none("snapshot file " + file() + " has format version " + version + ", not " + VERSION);
            }
            if (in.readLong() != fingerprint(types)) {
                return Saved.none("snapshot file " + file() + " was saved for another content model");
            }
            long bodiesId = in.readLong();
            BodyStore bodies = null;
            if (bodiesId != 0) {
                bodies = BodyStore.open(bodiesFile(), bodiesId);
                if (bodies == null) {
                    return Saved.none("the item bodies file " + bodiesFile() + " is missing or not the snapshot's");
                }
            }
            boolean ok = false;
            try {
            int n = in.readInt();
            if (n != types.size()) {
                return Saved.none("snapshot file " + file() + " was saved for other content types");
            }
            Map<String, Stamp> stamps = new LinkedHashMap<>();
            ContentType[] byId = new ContentType[n];
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                ContentType t = types.get(i);
                if (!t.name().equals(name)) {
                    return Saved.none("snapshot file " + file() + " was saved for other content types");
                }
                byId[i] = t;
                stamps.put(name, new Stamp(in.readLong(), in.readLong()));
            }
            Map<String, TypeIndex> indexes = new LinkedHashMap<>();
            MappedTexts.Region region = new MappedTexts.Region();
            Lang[] langs = Lang.values();
            for (ContentType t : byId) {
                int count = in.readInt();
                if (count < 0 || count > 1 << 26) {
                    throw new IOException("bad entry count " + count);
                }
                Entry[] entries = new Entry[count];
                for (int i = 0; i < count; i++) {
                    Item small = Entry.light(readItem(in), t);
                    int keys = in.readShort();
                    if (keys < 0 || keys > 1024) {
                        throw new IOException("bad text count " + keys);
                    }
                    java.util.Set<String> textKeys = new java.util.HashSet<>();
                    for (int k = 0; k < keys; k++) {
                        textKeys.add(in.readUTF());
                    }
                    long offset = in.readLong();
                    long body = in.readLong();
                    Item item = small;
                    if (offset >= 0) {
                        if (offset > Integer.MAX_VALUE - (1 << 20)) {
                            throw new IOException("texts beyond what one mapping holds");
                        }
                        item = new Item(small.type(), small.id(), small.path(), small.name(), small.revision(), small.created(),
                                small.createdBy(), small.lastModified(), small.lastModifiedBy(),
                                new MappedTexts.Values(small.values(), Set.copyOf(textKeys), region, (int) offset));
                    }
                    entries[i] = Entry.restored(item, t, bodies, body);
                }
                Postings[] title = new Postings[langs.length];
                Postings[] text = new Postings[langs.length];
                for (Lang l : langs) {
                    title[l.ordinal()] = Postings.read(in, count);
                    text[l.ordinal()] = Postings.read(in, count);
                }
                int orders = in.readInt();
                if (orders < 0 || orders > 1024) {
                    throw new IOException("bad sort order count " + orders);
                }
                Map<String, int[]> ascending = new java.util.HashMap<>();
                for (int k = 0; k < orders; k++) {
                    String name = in.readUTF();
                    ascending.put(name, order(readInts(in), count, false));
                }
                Map<Lang, int[]> titles = new EnumMap<>(Lang.class);
                for (Lang l : langs) {
                    titles.put(l, order(readInts(in), count, true));
                }
                indexes.put(t.name(), TypeIndex.restored(t, entries, title, text, new TypeIndex.Orders(ascending, titles)));
            }
            long textLength = in.readLong();
            long textStart = in.position();
            if (textLength < 0 || textLength > Integer.MAX_VALUE - (1 << 20)) {
                throw new IOException("bad texts length " + textLength);
            }
            in.skip(textLength);
            if (in.position() + 8 > size) {
                throw new EOFException();
            }
            if (in.position() + 8 < size) {
                return Saved.none("snapshot file " + file() + " has bytes after its checksum");
            }
            // the whole file was parsed: now its checksum, over the file in large blocks (the texts are not read
            // otherwise); a damaged file that happens to parse is refused here
            if (checksumFails()) {
                return Saved.none("snapshot file " + file() + " fails its checksum");
            }
            region.buffer = channel.map(FileChannel.MapMode.READ_ONLY, textStart, textLength);
            ok = true;
            return new Saved(indexes, stamps, null, bodies);
            } finally {
                if (!ok && bodies != null) {
                    bodies.close();
                }
            }
        }
    }

    private static Item readItem(java.io.DataInput in) throws IOException {
        String type = readString(in);
        String id = readString(in);
        String path = readString(in);
        String name = readString(in);
        long revision = in.readLong();
        OffsetDateTime created = readDate(in);
        String createdBy = readString(in);
        OffsetDateTime lastModified = readDate(in);
        String lastModifiedBy = readString(in);
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) readValue(in);
        return new Item(type, id, path, name, revision, created, createdBy, lastModified, lastModifiedBy,
                Collections.unmodifiableMap(values));
    }

    private static String readString(java.io.DataInput in) throws IOException {
        byte[] b = readStringBytes(in);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A string as {@link #readString} reads it, or its UTF-8 bytes when it is long ({@link Utf8Text#MIN}). */
    private static Object readText(java.io.DataInput in) throws IOException {
        byte[] b = readStringBytes(in);
        return b == null ? null : b.length >= Utf8Text.MIN ? new Utf8Text(b) : new String(b, StandardCharsets.UTF_8);
    }

    /** The UTF-8 bytes of a string as written (its length first, -1 for null), checked. */
    private static byte[] readStringBytes(java.io.DataInput in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > 64 << 20) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static OffsetDateTime readDate(java.io.DataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        long seconds = in.readLong();
        int nanos = in.readInt();
        int offset = in.readInt();
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, nanos), ZoneOffset.ofTotalSeconds(offset));
    }

    /** A saved sort order, checked: distinct positions below {@code n}, every one of them when {@code complete}. */
    private static int[] order(int[] order, int n, boolean complete) throws IOException {
        java.util.BitSet seen = new java.util.BitSet(n);
        for (int p : order) {
            if (p < 0 || p >= n || seen.get(p)) {
                throw new IOException("bad sort order");
            }
            seen.set(p);
        }
        if (complete && order.length != n) {
            throw new IOException("bad sort order length");
        }
        return order;
    }

    private static int[] readInts(java.io.DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 16 << 20) {
            throw new IOException("bad array length " + n);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    static Object readValue(java.io.DataInput in) throws IOException {
        return readValue(in, false);
    }

    /** @param utf8 long strings as {@link Utf8Text}, not decoded (for a JSON writer, {@link DeliveryIndex#fullForJson}) */
    static Object readValue(java.io.DataInput in, boolean utf8) throws IOException {
        int tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case STRING:
                return utf8 ? readText(in) : readString(in);
            case LONG:
                return in.readLong();
            case INT:
                return in.readInt();
            case DOUBLE:
                return in.readDouble();
            case DECIMAL:
                return new BigDecimal(readString(in));
            case BOOLEAN:
                return in.readBoolean();
            case DATE:
                return readDate(in);
            case LIST: {
                int n = in.readInt();
                if (n < 0 || n > 16 << 20) {
                    throw new IOException("bad list length " + n);
                }
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(readValue(in, utf8));
                }
                return Collections.unmodifiableList(l);
            }
            case MAP: {
                int n = in.readInt();
                if (n < 0 || n > 16 << 20) {
                    throw new IOException("bad map size " + n);
                }
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    m.put(readString(in), readValue(in, utf8));
                }
                return Collections.unmodifiableMap(m);
            }
            default:
                throw new IOException("bad value tag " + tag);
        }
    }
}
