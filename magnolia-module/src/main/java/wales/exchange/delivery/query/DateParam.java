package wales.exchange.delivery.query;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import wales.exchange.model.ContentModel;

/**
 * Dates in request parameters: ISO 8601 with offset, local date-time or date (both read in Europe/London), in the
 * years {@value #MIN_YEAR} to {@value #MAX_YEAR} only (anything else, such as {@code +999999999-01-01}, is not a valid
 * value: it would not fit the index's epoch milliseconds).
 */
final class DateParam {
    static final int MIN_YEAR = 1;
    static final int MAX_YEAR = 9999;

    private DateParam() {
    }

    /** The date, or null when it is not a valid date in the supported years. */
    static OffsetDateTime parse(String raw) {
        OffsetDateTime d = parseAny(raw);
        if (d == null) {
            return null;
        }
        int year = d.atZoneSameInstant(ContentModel.ZONE).getYear();
        return year >= MIN_YEAR && year <= MAX_YEAR && d.getYear() >= MIN_YEAR && d.getYear() <= MAX_YEAR ? d : null;
    }

    private static OffsetDateTime parseAny(String raw) {
        String s = raw.strip().replace(' ', '+'); // an unencoded + in a query string arrives as a space
        if (s.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e1) {
            try {
                return LocalDateTime.parse(s).atZone(ContentModel.ZONE).toOffsetDateTime();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDate.parse(s).atStartOfDay(ContentModel.ZONE).toOffsetDateTime();
                } catch (DateTimeParseException e3) {
                    return null;
                }
            }
        }
    }
}
