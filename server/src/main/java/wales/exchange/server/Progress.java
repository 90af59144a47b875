package wales.exchange.server;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place ({@code \r}) at most five times a second: lines done, lines per
 * second and, when the total is known, percentage and time left. Messages printed through it clear the bar first.
 */
final class Progress {
    private static final long REDRAW_NS = 200_000_000L;
    private static final int BAR = 24;
    private final PrintStream err;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int drawn;

    /** {@code total} lines, or -1 when unknown (standard input). */
    Progress(PrintStream err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = total;
    }

    void line(long n) {
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NS) {
            draw(n, now);
        }
    }

    /** Prints {@code text} on its own line, above the bar. */
    void message(String text) {
        if (drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            drawn = 0;
            lastDraw = 0;
        }
        err.println(text);
    }

    /** The final state of the bar, and a line break. */
    void done(long n) {
        draw(n, System.nanoTime());
        err.println();
        drawn = 0;
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private void draw(long n, long now) {
        lastDraw = now;
        double secs = Math.max((now - start) / 1e9, 1e-3);
        double rate = n / secs;
        String text;
        if (total > 0) {
            double share = Math.min(1.0, (double) n / total);
            int full = (int) Math.round(share * BAR);
            String eta = rate > 0 && n < total ? clock((total - n) / rate) : n >= total ? "0:00" : "?";
            text = String.format(Locale.ROOT, "%s [%s%s] %3d%% %,d/%,d lines  %,.0f lines/s  ETA %s", label,
                    "=".repeat(full), " ".repeat(BAR - full), Math.round(share * 100), n, total, rate, eta);
        } else {
            text = String.format(Locale.ROOT, "%s %,d lines  %,.0f lines/s  %s", label, n, rate, clock(secs));
        }
        int pad = Math.max(0, drawn - text.length());
        err.print("\r" + text + " ".repeat(pad));
        err.flush();
        drawn = text.length();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
