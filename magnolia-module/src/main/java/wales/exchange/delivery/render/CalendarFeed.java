package wales.exchange.delivery.render;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import wales.exchange.content.Item;
import wales.exchange.events.ICalendarWriter;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;

/**
 * iCalendar for the delivery API. DTSTAMP is the newest modification of the events in the feed, so an unchanged feed
 * is byte-identical (and its ETag stable) between requests.
 */
@Singleton
public final class CalendarFeed {
    private final ICalendarWriter writer;
    private final Messages messages;

    @Inject
    public CalendarFeed(Messages messages) {
        this.messages = messages;
        this.writer = new ICalendarWriter(messages);
    }

    /** @param pageUrl each event's web page */
    public String render(List<Item> events, Lang lang, java.util.function.Function<Item, String> pageUrl) {
        Instant stamp = events.stream().map(Item::lastModified).filter(java.util.Objects::nonNull)
                .map(java.time.OffsetDateTime::toInstant).max(Instant::compareTo).orElse(Instant.EPOCH);
        return writer.write(events, lang, messages.get(lang, "exchange.calendar.name"), pageUrl, stamp);
    }
}
