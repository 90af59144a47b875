package wales.exchange.delivery.index;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Big-endian reads of the snapshot file ({@link FileSnapshotStore}) from a file channel through one 1 MiB buffer: the
 * layout {@link java.io.DataOutputStream} wrote, read without a stream per byte. {@code DataInputStream} over a
 * buffered, checked and counted stream took every byte through three synchronised layers and a CRC update, most of a
 * 100k restart (12 s of parsing); here a value is read from the buffer and the checksum is computed afterwards over the
 * file in large blocks. Not thread-safe; the caller owns the channel.
 */
final class SnapshotInput implements DataInput {
    private final FileChannel channel;
    private final ByteBuffer buffer;
    /** The file position of the buffer's first byte. */
    private long start;

    SnapshotInput(FileChannel channel) throws IOException {
        this(channel, 1 << 20);
    }

    SnapshotInput(FileChannel channel, int bufferSize) throws IOException {
        this.channel = channel;
        this.buffer = ByteBuffer.allocate(bufferSize);
        this.start = channel.position();
        buffer.flip(); // empty
    }

    /** The file position of the next byte to be read. */
    long position() {
        return start + buffer.position();
    }

    /** Makes at least {@code n} bytes readable from the buffer, or throws {@link EOFException}. */
    private void need(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return;
        }
        start += buffer.position();
        buffer.compact();
        while (buffer.position() < n) {
            if (channel.read(buffer) < 0) {
                buffer.flip();
                throw new EOFException();
            }
        }
        buffer.flip();
    }

    /** Skips {@code n} bytes without reading them; throws {@link EOFException} when the file is shorter. */
    void skip(long n) throws IOException {
        if (n < 0) {
            throw new IOException("negative skip " + n);
        }
        if (n <= buffer.remaining()) {
            buffer.position(buffer.position() + (int) n);
            return;
        }
        long target = position() + n;
        if (target > channel.size()) {
            throw new EOFException();
        }
        channel.position(target);
        start = target;
        buffer.clear().flip();
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!buffer.hasRemaining()) {
                need(1);
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            off += n;
            len -= n;
        }
    }

    @Override
    public int skipBytes(int n) throws IOException {
        int k = (int) Math.max(0, Math.min(n, channel.size() - position()));
        skip(k);
        return k;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws IOException {
        need(1);
        return buffer.get();
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return readByte() & 0xff;
    }

    @Override
    public short readShort() throws IOException {
        need(2);
        return buffer.getShort();
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return readShort() & 0xffff;
    }

    @Override
    public char readChar() throws IOException {
        need(2);
        return buffer.getChar();
    }

    @Override
    public int readInt() throws IOException {
        need(4);
        return buffer.getInt();
    }

    @Override
    public long readLong() throws IOException {
        need(8);
        return buffer.getLong();
    }

    @Override
    public float readFloat() throws IOException {
        need(4);
        return buffer.getFloat();
    }

    @Override
    public double readDouble() throws IOException {
        need(8);
        return buffer.getDouble();
    }

    /** Not part of the snapshot's layout. */
    @Override
    public String readLine() {
        throw new UnsupportedOperationException("the snapshot file has no lines");
    }

    @Override
    public String readUTF() throws IOException {
        return DataInputStream.readUTF(this);
    }
}
