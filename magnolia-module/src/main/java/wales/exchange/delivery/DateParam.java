package wales.exchange.delivery;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import wales.exchange.model.ContentModel;

/** Dates in request parameters: ISO 8601 with offset, local date-time or date (both read in Europe/London). */
final class DateParam {
    private DateParam() {
    }

    static OffsetDateTime parse(String raw) {
        String s = raw.strip().replace(' ', '+'); // an unencoded + in a query string arrives as a space
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
