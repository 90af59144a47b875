package wales.exchange.delivery.render;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.zone.ZoneRules;
import wales.exchange.model.ContentModel;

/**
 * The delivery API's date-time text ({@link Renderer#ISO} in {@link ContentModel#ZONE}) written by hand: the same
 * characters as the formatter, without its per-call objects (a list renders two dates or more per item). Years
 * outside 0-9999 and offsets with seconds (none since 1847 in Europe/London) go through the formatter.
 */
final class Dates {
    private static final ZoneRules RULES = ContentModel.ZONE.getRules();

    private Dates() {
    }

    /** Characters of a date-time written by hand. */
    static final int LENGTH = 25;

    static String iso(OffsetDateTime d) {
        char[] c = new char[LENGTH];
        return iso(d, c) ? new String(c) : slow(d);
    }

    /** Writes {@code d} into {@code c} ({@link #LENGTH} characters); false when it takes the formatter ({@link #slow}). */
    static boolean iso(OffsetDateTime d, char[] c) {
        long epoch = d.toEpochSecond();
        int offset = RULES.getOffset(java.time.Instant.ofEpochSecond(epoch)).getTotalSeconds();
        long local = epoch + offset;
        long day = Math.floorDiv(local, 86400);
        int second = (int) Math.floorMod(local, 86400);
        if (offset % 60 != 0 || day < -719528 || day > 2932896) { // 0000-01-01 .. 9999-12-31
            return false;
        }
        LocalDate date = LocalDate.ofEpochDay(day);
        int year = date.getYear();
        c[0] = digit(year / 1000);
        c[1] = digit(year / 100 % 10);
        c[2] = digit(year / 10 % 10);
        c[3] = digit(year % 10);
        c[4] = '-';
        two(c, 5, date.getMonthValue());
        c[7] = '-';
        two(c, 8, date.getDayOfMonth());
        c[10] = 'T';
        two(c, 11, second / 3600);
        c[13] = ':';
        two(c, 14, second / 60 % 60);
        c[16] = ':';
        two(c, 17, second % 60);
        c[19] = offset < 0 ? '-' : '+';
        int abs = Math.abs(offset);
        two(c, 20, abs / 3600);
        c[22] = ':';
        two(c, 23, abs / 60 % 60);
        return true;
    }

    static String slow(OffsetDateTime d) {
        return d.atZoneSameInstant(ContentModel.ZONE).toOffsetDateTime().format(Renderer.ISO);
    }

    private static char digit(int n) {
        return (char) ('0' + n);
    }

    private static void two(char[] c, int at, int n) {
        c[at] = digit(n / 10);
        c[at + 1] = digit(n % 10);
    }
}
