package wales.exchange.delivery.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SnapshotInput} reads what {@link DataOutputStream} wrote, value for value, whatever the buffer size (values cut
 * at every buffer boundary), skips without reading, reports its file position, and ends with {@link EOFException}.
 */
class SnapshotInputTest {
    @Test
    void readsWhatDataOutputStreamWroteAcrossEveryBufferBoundary(@TempDir Path dir) throws Exception {
        Random r = new Random(11);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        int n = 2000;
        long[] longs = new long[n];
        int[] ints = new int[n];
        String[] texts = new String[n];
        for (int i = 0; i < n; i++) {
            longs[i] = r.nextLong();
            ints[i] = r.nextInt();
            texts[i] = "gofal " + i + " \u0175\u0177 \uD83D\uDE00".repeat(r.nextInt(3));
            out.writeLong(longs[i]);
            out.writeInt(ints[i]);
            out.writeShort(i);
            out.writeByte(i);
            out.writeBoolean(i % 2 == 0);
            out.writeDouble(i / 3.0);
            out.writeUTF(texts[i]);
            byte[] raw = texts[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(raw.length);
            out.write(raw);
        }
        out.writeLong(4096); // a block to skip
        out.write(new byte[4096]);
        out.writeInt(0x45584958);
        out.flush();
        Path file = dir.resolve("f.bin");
        Files.write(file, bytes.toByteArray());
        for (int size : new int[] {8, 13, 64, 1 << 20}) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                SnapshotInput in = new SnapshotInput(ch, size);
                for (int i = 0; i < n; i++) {
                    assertThat(in.readLong()).isEqualTo(longs[i]);
                    assertThat(in.readInt()).isEqualTo(ints[i]);
                    assertThat(in.readShort()).isEqualTo((short) i);
                    assertThat(in.readByte()).isEqualTo((byte) i);
                    assertThat(in.readBoolean()).isEqualTo(i % 2 == 0);
                    assertThat(in.readDouble()).isEqualTo(i / 3.0);
                    assertThat(in.readUTF()).isEqualTo(texts[i]);
                    byte[] raw = new byte[in.readInt()];
                    in.readFully(raw);
                    assertThat(new String(raw, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(texts[i]);
                }
                long skip = in.readLong();
                long before = in.position();
                in.skip(skip);
                assertThat(in.position()).isEqualTo(before + 4096);
                assertThat(in.readInt()).as("buffer " + size).isEqualTo(0x45584958);
                assertThat(in.position()).isEqualTo(Files.size(file));
                assertThatThrownBy(in::readByte).isInstanceOf(EOFException.class);
            }
        }
    }

    @Test
    void aValueCutByTheEndOfTheFileIsAnEofAndASkipBeyondItToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f.bin");
        Files.write(file, new byte[] {0, 0, 0, 7, 1, 2});
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SnapshotInput in = new SnapshotInput(ch, 4);
            assertThat(in.readInt()).isEqualTo(7);
            assertThatThrownBy(in::readInt).isInstanceOf(EOFException.class);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SnapshotInput in = new SnapshotInput(ch, 4);
            assertThatThrownBy(() -> in.skip(7)).isInstanceOf(EOFException.class);
        }
    }
}
