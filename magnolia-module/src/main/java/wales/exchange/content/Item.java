package wales.exchange.content;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * One stored item as the content service sees it.
 *
 * @param values model properties only: i18n values as {@code Map<String,String>} keyed by language tag, dates as
 *               {@link OffsetDateTime} in Europe/London, multiple values as lists, sub-models as lists of maps,
 *               references as item ids
 */
public record Item(String type, String id, String path, String name, long revision, OffsetDateTime created,
                   String createdBy, OffsetDateTime lastModified, String lastModifiedBy, Map<String, Object> values) {
}
