package wales.exchange.delivery.index;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values an index {@link Entry} does not keep (rich text: most of an item's bytes), one record per entry read, in
 * an append-only file beside the snapshot ({@code DATA/index/delivery-bodies.bin}), so that answering one item needs no
 * repository read. Only the index's writer thread appends; readers read with positional reads (no mapping: the
 * operating system's page cache does the caching, not the process's memory) and never lock: an entry published in a
 * snapshot refers to bytes written (and {@linkplain #flush flushed}) before it was published, never overwritten.
 *
 * <p>The file is a cache of the repository. File: magic, version, a random file id (the snapshot records it, so that a
 * snapshot is only trusted with the bodies file it was saved with). Record: magic, payload length, the item's revision,
 * payload (the item's id, then its values), CRC32 of all that. A record that is missing, short, damaged or of another
 * revision or item reads as null: the caller reads the repository instead ({@link DeliveryIndex#full}); each cause is
 * logged once.
 *
 * <p>A reference to a record is one long: offset × 2^24 + length (records of 16 MiB or more are not stored).
 */
public final class BodyStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BodyStore.class);
    public static final String FILE = "delivery-bodies.bin";
    static final int FILE_MAGIC = 0x45584246; // "EXBF"
    static final int VERSION = 1;
    static final int RECORD_MAGIC = 0x45584244; // "EXBD"
    static final int HEADER = 16;
    /** Record bytes besides the payload: magic, length, revision before it, CRC32 after it. */
    static final int OVERHEAD = 20;
    static final int MAX_RECORD = (1 << 24) - 1;
    /** No record (the item is read from the repository). */
    public static final long NONE = -1;
    private static final int BUFFER = 256 << 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Causes already logged, by store (one line per cause per file). */
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final Path file;
    /**
     * Replaced (on a file store) when an interrupt closed it: a FileChannel closes for every thread when one thread is
     * interrupted in its I/O, and this one is shared by every request and the index's writer ({@link #io}).
     */
    private volatile FileChannel channel;
    private volatile boolean closed;
    private final long id;
    /** Writer thread only: where the buffered bytes go (the file's end). */
    private long written;
    /** Bytes written so far, buffered ones included (where the next record goes). */
    private volatile long end;
    private final ByteBuffer pending = ByteBuffer.allocate(BUFFER);
    private final ByteArrayOutputStream encoded = new ByteArrayOutputStream(8 << 10);
    private final DataOutputStream encoder = new DataOutputStream(encoded);
    private final boolean temporary;

    private BodyStore(Path file, FileChannel channel, long id, long end, boolean temporary) {
        this.file = file;
        this.channel = channel;
        this.id = id;
        this.end = end;
        this.written = end;
        this.temporary = temporary;
    }

    /** A new, empty file at {@code file} (one there before is replaced) with a new id. */
    public static BodyStore create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        return created(file, false);
    }

    /**
     * A store in a temporary file, removed at once (the open channel keeps it readable; nothing is left behind): where
     * there is no data directory (in memory, in Magnolia).
     */
    public static BodyStore temporary() throws IOException {
        Path f = Files.createTempFile("exchange-bodies-", ".bin");
        BodyStore s = created(f, true);
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            f.toFile().deleteOnExit(); // a file system that cannot remove an open file
        }
        return s;
    }

    private static BodyStore created(Path file, boolean temporary) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long id = RANDOM.nextLong();
        ByteBuffer h = ByteBuffer.allocate(HEADER).putInt(FILE_MAGIC).putInt(VERSION).putLong(id).flip();
        while (h.hasRemaining()) {
            ch.write(h, HEADER - h.remaining());
        }
        return new BodyStore(file, ch, id, HEADER, temporary);
    }

    /** The file saved with a snapshot, if it is there and has the id the snapshot recorded; else null. */
    public static BodyStore open(Path file, long expectedId) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            readFully(ch, h, 0);
            h.flip();
            if (h.getInt() != FILE_MAGIC || h.getInt() != VERSION || h.getLong() != expectedId) {
                ch.close();
                return null;
            }
            return new BodyStore(file, ch, expectedId, ch.size(), false);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
            return null;
        }
    }

    public long id() {
        return id;
    }

    public Path file() {
        return file;
    }

    /** Bytes written so far, buffered ones included (writer thread). */
    public long size() {
        return end;
    }

    static long ref(long offset, int length) {
        return (offset << 24) | length;
    }

    static long offset(long ref) {
        return ref >>> 24;
    }

    static int length(long ref) {
        return (int) (ref & MAX_RECORD);
    }

    /**
     * Appends the record of item {@code itemId} at {@code revision} (writer thread only); readable once {@link #flush}ed.
     * Returns its reference, or {@link #NONE} when it could not be written (too large, a failing disk: logged once).
     */
    public long append(String itemId, long revision, Map<String, Object> values) {
        try {
            encoded.reset();
            encoder.writeInt(RECORD_MAGIC);
            encoder.writeInt(0); // payload length, set below
            encoder.writeLong(revision);
            encoder.writeUTF(itemId);
            FileSnapshotStore.writeValue(encoder, values);
            encoder.flush();
            byte[] b = encoded.toByteArray();
            int payload = b.length - 16;
            ByteBuffer.wrap(b).putInt(4, payload);
            CRC32 crc = new CRC32();
            crc.update(b);
            int length = b.length + 4;
            if (length > MAX_RECORD) {
                once("too large", "a record of " + length + " bytes (" + itemId + ") is not stored; that item is read from the repository");
                return NONE;
            }
            long at = end;
            put(b);
            put(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
            end += length;
            return ref(at, length);
        } catch (IOException | RuntimeException e) {
            end = written + pending.position(); // a record cut by a failed write reads as missing or damaged
            once("write", "cannot write to " + file + ": " + e + "; items are read from the repository");
            return NONE;
        }
    }

    private void put(byte[] b) throws IOException {
        int i = 0;
        while (i < b.length) {
            if (!pending.hasRemaining()) {
                flush();
            }
            int n = Math.min(pending.remaining(), b.length - i);
            pending.put(b, i, n);
            i += n;
        }
    }

    /** Writes what is buffered (writer thread): call before publishing entries that refer to it. */
    public void flush() throws IOException {
        pending.flip();
        try {
            while (pending.hasRemaining()) {
                written += io(ch -> ch.write(pending, written));
            }
        } finally {
            if (pending.hasRemaining()) { // a failed write: those records are lost (their reads fall back)
                written += pending.remaining();
            }
            pending.clear();
        }
    }

    /** Flushes, logging a failure once (the entries' reads then fall back to the repository). */
    void flushQuietly() {
        try {
            flush();
        } catch (IOException | RuntimeException e) {
            once("write", "cannot write to " + file + ": " + e + "; items are read from the repository");
        }
    }

    /** Forces the file to disk. */
    public void force() throws IOException {
        flush();
        io(ch -> {
            ch.force(true);
            return 0;
        });
    }

    /**
     * The values of the record at {@code ref}, if it is whole and belongs to item {@code itemId} at {@code revision};
     * else null (the cause logged once). Any thread; never locks.
     */
    public Map<String, Object> read(String itemId, long revision, long ref) {
        return read(itemId, revision, ref, false);
    }

    /** As {@link #read(String, long, long)}; with {@code utf8}, long texts as {@link Utf8Text}. */
    public Map<String, Object> read(String itemId, long revision, long ref, boolean utf8) {
        byte[] b = raw(itemId, revision, ref, true);
        if (b == null) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(b, 16, length(ref) - 20));
            in.readUTF();
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) FileSnapshotStore.readValue(in, utf8);
            return values;
        } catch (IOException | RuntimeException e) {
            once("damaged", "a record of " + file + " cannot be decoded (" + e + "); reading the repository instead");
            return null;
        }
    }

    /** A reading thread's buffer for records up to {@link #KEPT_READ} bytes (a larger record gets its own array). */
    private static final ThreadLocal<ByteBuffer> READS = new ThreadLocal<>();
    static final int KEPT_READ = 64 << 10;

    /** The checked bytes of a record (header, payload, CRC), or null (logged once per cause). */
    byte[] raw(String itemId, long revision, long ref) {
        return raw(itemId, revision, ref, false);
    }

    /**
     * As {@link #raw(String, long, long)}; with {@code reuse} the record may be in the calling thread's buffer (the
     * array is then longer than the record, and valid until the thread's next read): for a read decoded at once.
     */
    private byte[] raw(String itemId, long revision, long ref, boolean reuse) {
        if (ref < 0) {
            return null;
        }
        long offset = offset(ref);
        int length = length(ref);
        if (length < OVERHEAD + 2 || offset < HEADER) {
            once("damaged", "a bad record reference in " + file + "; reading the repository instead");
            return null;
        }
        ByteBuffer kept = reuse && length <= KEPT_READ ? READS.get() : null;
        if (reuse && length <= KEPT_READ && kept == null) {
            kept = ByteBuffer.allocate(KEPT_READ);
            READS.set(kept);
        }
        ByteBuffer buf = kept != null ? kept.clear().limit(length) : ByteBuffer.allocate(length);
        try {
            while (buf.hasRemaining()) {
                int n = io(ch -> ch.read(buf, offset + buf.position()));
                if (n < 0) {
                    once("missing", file + " ends before a record the index refers to (cut short or replaced); "
                            + "reading the repository instead");
                    return null;
                }
            }
        } catch (IOException e) {
            once("unreadable", "cannot read " + file + ": " + e + "; reading the repository instead");
            return null;
        }
        byte[] b = buf.array();
        buf.flip();
        int magic = buf.getInt();
        int payload = buf.getInt();
        long rev = buf.getLong();
        CRC32 crc = new CRC32();
        crc.update(b, 0, length - 4);
        if (magic != RECORD_MAGIC || payload != length - OVERHEAD || (int) crc.getValue() != buf.getInt(length - 4)) {
            once("damaged", "a record of " + file + " fails its checksum; reading the repository instead");
            return null;
        }
        String recordId;
        try {
            recordId = new DataInputStream(new java.io.ByteArrayInputStream(b, 16, payload)).readUTF();
        } catch (IOException e) {
            once("damaged", "a record of " + file + " cannot be decoded (" + e + "); reading the repository instead");
            return null;
        }
        if (rev != revision || !recordId.equals(itemId)) {
            once("revision", "a record of " + file + " is of another revision or item than the index's entry "
                    + "(the file was replaced); reading the repository instead");
            return null;
        }
        return b;
    }

    /** Appends a record as read by {@link #raw} (compaction), returning its new reference. */
    long appendRaw(byte[] record) throws IOException {
        long at = end;
        put(record);
        end += record.length;
        return ref(at, record.length);
    }

    private void once(String cause, String message) {
        if (logged.add(cause)) {
            LOG.warn("delivery bodies: {}", message);
        }
    }

    /**
     * Copies the live records, those {@code live} refers to, into a new file that replaces this one atomically (written
     * to {@code FILE.compact}, forced, renamed over it), in the order given. {@code live} maps each record's reference
     * to its item id and revision; the result maps each old reference to its new one ({@link #NONE} for a record that
     * no longer reads whole: it is then read from the repository). This store stays readable (on its old file, which
     * readers of older snapshots may still use); the caller switches to the returned one.
     */
    public Compacted compact(Iterable<Live> live) throws IOException {
        flush();
        Path tmp = file.resolveSibling(file.getFileName() + ".compact");
        Files.deleteIfExists(tmp);
        BodyStore next = created(tmp, temporary);
        Map<Long, Long> moved = new java.util.HashMap<>();
        boolean ok = false;
        try {
            for (Live l : live) {
                if (l.ref() < 0 || moved.containsKey(l.ref())) {
                    continue;
                }
                byte[] b = raw(l.itemId(), l.revision(), l.ref());
                moved.put(l.ref(), b == null ? NONE : next.appendRaw(b));
            }
            next.force();
            if (temporary) {
                Files.deleteIfExists(tmp);
            } else {
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                try (FileChannel d = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                    d.force(true);
                } catch (IOException e) {
                    // some file systems cannot open a directory: the rename is still atomic
                }
            }
            ok = true;
            return new Compacted(new BodyStore(file, next.channel, next.id, next.end, temporary), moved);
        } finally {
            if (!ok) {
                next.channel.close();
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** A record the index still refers to. */
    public record Live(String itemId, long revision, long ref) {
    }

    /** The store after a compaction, and each old reference's new one. */
    public record Compacted(BodyStore store, Map<Long, Long> moved) {
        public long moved(long ref) {
            return ref < 0 ? NONE : moved.getOrDefault(ref, NONE);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new java.io.EOFException();
            }
        }
    }

    private interface ChannelCall {
        int run(FileChannel ch) throws IOException;
    }

    /**
     * One I/O call on the channel that no interrupt of the calling thread can close for the others: a pending
     * interrupt is set aside for the call (and restored after it); if an interrupt arriving during a call closed the
     * channel anyway, a file store opens its file again and repeats the call once (a temporary store, whose file is
     * already unlinked, cannot: its reads then fall back to the repository, as for any unreadable record).
     */
    private int io(ChannelCall call) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            try {
                return call.run(channel);
            } catch (java.nio.channels.ClosedChannelException e) {
                if (closed || temporary) {
                    throw e;
                }
                Thread.interrupted(); // the interrupt that closed it is restored below, not taken into the retry
                interrupted = true;
                return call.run(reopen());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized FileChannel reopen() throws IOException {
        FileChannel ch = channel;
        if (!ch.isOpen() && !closed) {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel = ch;
            once("reopened", file + " was closed by an interrupted thread; opened again");
        }
        return ch;
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // read-only from here: nothing is lost
        }
    }
}
