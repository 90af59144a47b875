package wales.exchange.content.transfer;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines ({@code \n} or {@code \r\n}) with a bound on their length, so one huge line cannot fill the heap: a
 * longer line is skipped to its end and reported by {@link #tooLong()}. A byte-order mark at the start is dropped.
 */
public final class LineReader {
    private final Reader in;
    private final int maxChars;
    private final char[] buf = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int pos;
    private int len;
    private boolean tooLong;
    private boolean first = true;

    public LineReader(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its line break, or null at the end; after a too-long line, an empty string. */
    public String readLine() throws IOException {
        line.setLength(0);
        if (line.capacity() > (1 << 20)) {
            line.trimToSize();
        }
        tooLong = false;
        boolean any = false;
        while (true) {
            if (pos >= len) {
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return any ? finish() : null;
                }
            }
            any = true;
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < len) {
                pos++;
                return finish();
            }
        }
    }

    /** Whether the line just read was longer than the bound (its text was dropped). */
    public boolean tooLong() {
        return tooLong;
    }

    public int maxChars() {
        return maxChars;
    }

    private void append(int start, int n) {
        if (tooLong) {
            return;
        }
        if (line.length() + n > maxChars + 1) {   // + 1: a \r before the \n does not count
            tooLong = true;
            line.setLength(0);
        } else {
            line.append(buf, start, n);
        }
    }

    private String finish() {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        if (end > maxChars) {
            tooLong = true;
        }
        int begin = first && end > 0 && line.charAt(0) == '\uFEFF' ? 1 : 0;
        first = false;
        return tooLong ? "" : line.substring(begin, end);
    }
}
