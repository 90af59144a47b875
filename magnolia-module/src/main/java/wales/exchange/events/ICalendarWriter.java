package wales.exchange.events;

import wales.exchange.model.Fields;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import wales.exchange.content.Item;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
import wales.exchange.model.ContentModel;

/**
 * Renders ExChange events as an RFC 5545 iCalendar stream (with the RFC 7986 properties NAME, REFRESH-INTERVAL and
 * CONFERENCE). Pure Java: no JCR, no HTTP.
 *
 * <ul>
 *   <li>CRLF line ends; lines folded at 75 octets of UTF-8 (never inside a multi-byte sequence), continuation lines
 *       start with one space (§3.1).</li>
 *   <li>Local times are emitted as {@code DTSTART;TZID=Europe/London:…} with one {@code VTIMEZONE} block for
 *       Europe/London (always present, exactly once). All-day events use {@code VALUE=DATE} with an exclusive
 *       {@code DTEND}.</li>
 *   <li>Text in the requested language; when that value is missing the other language's value is used. Every text
 *       (SUMMARY, DESCRIPTION, LOCATION) carries {@code LANGUAGE=} with the language it is really in, so English is
 *       never labelled Welsh.</li>
 *   <li>Events without {@code startDate} are skipped.</li>
 * </ul>
 *
 * Thread-safe and stateless apart from the message bundles.
 */
public final class ICalendarWriter {
    public static final String PRODID = "-//CASCADE Cardiff University//ExChange//EN";
    public static final String UID_DOMAIN = "exchangewales.org";
    public static final String TZID = ContentModel.ZONE.getId();
    static final String CRLF = "\r\n";
    static final int MAX_OCTETS = 75;

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT);
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);

    /** The Europe/London VTIMEZONE: EU rules (changes at 01:00 UTC on the last Sundays of March and October). */
    private static final List<String> VTIMEZONE = List.of(
            "BEGIN:VTIMEZONE",
            "TZID:" + TZID,
            "X-LIC-LOCATION:" + TZID,
            "BEGIN:DAYLIGHT",
            "TZOFFSETFROM:+0000",
            "TZOFFSETTO:+0100",
            "TZNAME:BST",
            "DTSTART:19700329T010000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0000",
            "TZNAME:GMT",
            "DTSTART:19701025T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "END:STANDARD",
            "END:VTIMEZONE");

    private final Messages messages;

    public ICalendarWriter(Messages messages) {
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    private static final class Default {
        static final ICalendarWriter INSTANCE = new ICalendarWriter(new Messages());
    }

    /** A calendar of {@code events} using the module's message bundles from the class path. */
    public static String calendar(List<Item> events, Lang lang, String calendarName, String itemUrlBase, Instant dtstamp) {
        return Default.INSTANCE.write(events, lang, calendarName, itemUrlBase, dtstamp);
    }

    /** A calendar holding one event (no VEVENT when it has no start date), using the class-path message bundles. */
    public static String event(Item event, Lang lang, String calendarName, String itemUrlBase, Instant dtstamp) {
        return Default.INSTANCE.writeEvent(event, lang, calendarName, itemUrlBase, dtstamp);
    }

    /**
     * A full VCALENDAR.
     *
     * @param events       items of type event; nulls and events without startDate are skipped
     * @param lang         the language of SUMMARY, DESCRIPTION, LOCATION and the labels
     * @param calendarName NAME and X-WR-CALNAME; when null or blank, the bundle's {@code exchange.calendar.name}
     * @param itemUrlBase  prefix of the event page URL (URL = base + id); null for no URL
     * @param dtstamp      DTSTAMP of every VEVENT (the time the stream was generated)
     */
    public String write(List<Item> events, Lang lang, String calendarName, String itemUrlBase, Instant dtstamp) {
        return write(events, lang, calendarName, (Function<Item, String>) e -> itemUrlBase == null ? null : itemUrlBase + e.id(), dtstamp);
    }

    /**
     * As {@link #write(List, Lang, String, String, Instant)}, with each event's page URL from {@code itemUrl} (null:
     * no URL).
     */
    public String write(List<Item> events, Lang lang, String calendarName, Function<Item, String> itemUrl, Instant dtstamp) {
        Objects.requireNonNull(lang, "lang");
        Objects.requireNonNull(dtstamp, "dtstamp");
        String name = calendarName == null || calendarName.isBlank() ? messages.get(lang, "exchange.calendar.name") : calendarName;
        StringBuilder out = new StringBuilder(4096);
        line(out, "BEGIN:VCALENDAR");
        line(out, "PRODID:" + PRODID);
        line(out, "VERSION:2.0");
        line(out, "CALSCALE:GREGORIAN");
        line(out, "METHOD:PUBLISH");
        line(out, "NAME:" + escape(name));
        line(out, "X-WR-CALNAME:" + escape(name));
        line(out, "X-WR-TIMEZONE:" + TZID);
        line(out, "REFRESH-INTERVAL;VALUE=DURATION:PT6H");
        line(out, "X-PUBLISHED-TTL:PT6H");
        VTIMEZONE.forEach(l -> line(out, l));
        if (events != null) {
            for (Item e : events) {
                if (e != null && toInstant(e.values().get(Fields.START_DATE)) != null) {
                    vevent(out, e, lang, itemUrl, dtstamp);
                }
            }
        }
        line(out, "END:VCALENDAR");
        return out.toString();
    }

    /** {@link #write} for a single event. */
    public String writeEvent(Item event, Lang lang, String calendarName, String itemUrlBase, Instant dtstamp) {
        List<Item> one = new ArrayList<>(1);
        one.add(event);
        return write(one, lang, calendarName, itemUrlBase, dtstamp);
    }

    private void vevent(StringBuilder out, Item item, Lang lang, Function<Item, String> itemUrl, Instant dtstamp) {
        Map<String, Object> v = item.values();
        boolean allDay = isTrue(v.get(Fields.ALL_DAY));
        Instant start = toInstant(v.get(Fields.START_DATE));
        Instant end = toInstant(v.get(Fields.END_DATE));

        line(out, "BEGIN:VEVENT");
        line(out, "UID:" + uid(item));
        line(out, "DTSTAMP:" + UTC.format(dtstamp.atOffset(ZoneOffset.UTC)));
        if (allDay) {
            LocalDate startDay = start.atZone(ContentModel.ZONE).toLocalDate();
            LocalDate endDay = end == null ? null : end.atZone(ContentModel.ZONE).toLocalDate().plusDays(1);
            if (endDay == null || !endDay.isAfter(startDay)) {
                endDay = startDay.plusDays(1);
            }
            line(out, "DTSTART;VALUE=DATE:" + DATE.format(startDay));
            line(out, "DTEND;VALUE=DATE:" + DATE.format(endDay));
        } else {
            line(out, "DTSTART;TZID=" + TZID + ":" + local(start));
            if (end != null && end.isAfter(start)) {
                line(out, "DTEND;TZID=" + TZID + ":" + local(end));
            }
        }

        Text summary = pick(lang, v.get(Fields.TITLE));
        if (summary != null) {
            line(out, "SUMMARY" + languageParam(summary, lang) + ":" + escape(summary.value()));
        }
        Text description = description(v, lang);
        if (description != null) {
            line(out, "DESCRIPTION" + languageParam(description, lang) + ":" + escape(description.value()));
        }

        String online = uri(v.get(Fields.ONLINE_LINK));
        String mode = string(v.get(Fields.ATTENDANCE_MODE));
        boolean onlineOnly = "online".equals(mode) || ("moved-online".equals(string(v.get(Fields.STATUS))) && !"mixed".equals(mode));
        Text venue = pick(lang, v.get(Fields.VENUE));
        if (onlineOnly && online != null) {
            line(out, "LOCATION:" + escape(online));
        } else if (venue != null) {
            line(out, "LOCATION" + languageParam(venue, lang) + ":" + escape(venue.value()));
        } else if (online != null) {
            line(out, "LOCATION:" + escape(online));
        }

        String page = item.id() == null ? null : itemUrl.apply(item);
        String url = page == null ? null : uri(page);
        if (url != null) {
            line(out, "URL:" + url);
        }
        line(out, "STATUS:" + status(string(v.get(Fields.STATUS))));
        line(out, "SEQUENCE:" + Math.max(0L, item.revision() - 1));

        List<String> topics = strings(v.get(Fields.TOPICS));
        if (!topics.isEmpty()) {
            StringBuilder cats = new StringBuilder("CATEGORIES:");
            for (int i = 0; i < topics.size(); i++) {
                cats.append(i == 0 ? "" : ",").append(escape(topics.get(i)));
            }
            line(out, cats.toString());
        }
        if (item.lastModified() != null) {
            line(out, "LAST-MODIFIED:" + UTC.format(item.lastModified().toInstant().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)));
        }
        if (online != null) {
            line(out, "CONFERENCE;VALUE=URI:" + online);
        }
        line(out, "END:VEVENT");
    }

    /** Stable across edits and calls: the item's JCR identifier in the ExChange domain. */
    static String uid(Item item) {
        String id = item.id() != null ? item.id() : item.path();
        return escape(id) + "@" + UID_DOMAIN;
    }

    /** iCalendar STATUS of a module status: scheduled/rescheduled/moved-online (and unknown) CONFIRMED. */
    static String status(String status) {
        if (status == null) {
            return "CONFIRMED";
        }
        return switch (status) {
            case "postponed" -> "TENTATIVE";
            case "cancelled" -> "CANCELLED";
            default -> "CONFIRMED";
        };
    }

    /** Summary (or description) in the language, then a speakers line, then registration and recording links. */
    private Text description(Map<String, Object> v, Lang lang) {
        Text main = pick(lang, v.get(Fields.SUMMARY));
        if (main == null || !main.lang().equals(lang)) {
            Text rich = pick(lang, v.get(Fields.DESCRIPTION));
            if (rich != null && (main == null || rich.lang().equals(lang))) {
                main = rich;
            }
        }
        Lang textLang = main == null ? lang : main.lang();
        List<String> parts = new ArrayList<>();
        if (main != null) {
            String plain = plainText(main.value());
            if (!plain.isEmpty()) {
                parts.add(plain);
            }
        }
        List<String> speakers = new ArrayList<>();
        if (v.get(Fields.SPEAKERS) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> s) {
                    String name = string(s.get(Fields.NAME));
                    if (name == null || name.isBlank()) {
                        continue;
                    }
                    Text aff = pick(lang, s.get(Fields.AFFILIATION));
                    speakers.add(aff == null ? name.strip() : name.strip() + " (" + aff.value().strip() + ")");
                }
            }
        }
        if (!speakers.isEmpty()) {
            parts.add(messages.get(lang, "exchange.calendar.speakers") + ": " + String.join(", ", speakers));
        }
        String registration = uri(v.get(Fields.REGISTRATION_LINK));
        if (registration != null) {
            parts.add(messages.get(lang, "exchange.calendar.registration") + ": " + registration);
        }
        String recording = uri(v.get(Fields.RECORDING_LINK));
        if (recording != null) {
            parts.add(messages.get(lang, "exchange.calendar.recording") + ": " + recording);
        }
        return parts.isEmpty() ? null : new Text(String.join("\n\n", parts), textLang);
    }

    private static String languageParam(Text t, Lang requested) {
        // every text says its language (RFC 5545 §3.2.10), English too, so a fallback is never mistaken for a translation
        return ";LANGUAGE=" + t.lang().tag();
    }

    private static String local(Instant instant) {
        return LOCAL.format(instant.atZone(ContentModel.ZONE).truncatedTo(ChronoUnit.SECONDS));
    }

    // ---------------------------------------------------------------- text helpers (shared with JSON-LD)

    /** A value and the language it really is in. */
    public record Text(String value, Lang lang) {
    }

    /**
     * The value of an i18n field in {@code lang}, else in the other language (labelled as such); null when neither
     * has a non-blank value. A plain string is taken as English.
     */
    public static Text pick(Lang lang, Object i18n) {
        if (i18n instanceof Map<?, ?> map) {
            Object own = map.get(lang.tag());
            if (own instanceof String s && !s.isBlank()) {
                return new Text(s, lang);
            }
            Object other = map.get(lang.other().tag());
            if (other instanceof String s && !s.isBlank()) {
                return new Text(s, lang.other());
            }
            return null;
        }
        if (i18n instanceof String s && !s.isBlank()) {
            return new Text(s, Lang.EN);
        }
        return null;
    }

    private static final Pattern DROP = Pattern.compile("(?is)<(script|style)\\b[^>]*>.*?</\\1\\s*>|<!--.*?-->");
    private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>|</(p|div|li|h[1-6]|tr|blockquote|ul|ol|dd|dt|pre|table)\\s*>|<(p|div|ul|ol|table|blockquote|h[1-6])(\\s[^>]*)?>");
    private static final Pattern ITEM = Pattern.compile("(?i)<li(\\s[^>]*)?>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Map<String, String> ENTITIES = Map.ofEntries(Map.entry("amp", "&"), Map.entry("lt", "<"),
            Map.entry("gt", ">"), Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("nbsp", " "),
            Map.entry("ndash", "\u2013"), Map.entry("mdash", "\u2014"), Map.entry("lsquo", "\u2018"),
            Map.entry("rsquo", "\u2019"), Map.entry("ldquo", "\u201C"), Map.entry("rdquo", "\u201D"),
            Map.entry("hellip", "\u2026"), Map.entry("pound", "\u00A3"), Map.entry("euro", "\u20AC"),
            Map.entry("copy", "\u00A9"), Map.entry("acirc", "\u00E2"), Map.entry("ecirc", "\u00EA"),
            Map.entry("icirc", "\u00EE"), Map.entry("ocirc", "\u00F4"), Map.entry("ucirc", "\u00FB"),
            Map.entry("wcirc", "\u0175"), Map.entry("ycirc", "\u0177"), Map.entry("Acirc", "\u00C2"),
            Map.entry("Ecirc", "\u00CA"), Map.entry("Icirc", "\u00CE"), Map.entry("Ocirc", "\u00D4"),
            Map.entry("Ucirc", "\u00DB"), Map.entry("Wcirc", "\u0174"), Map.entry("Ycirc", "\u0176"));

    /**
     * Plain text of an HTML fragment: scripts, styles and comments dropped, block ends and {@code <br>} turned into
     * line breaks, list items prefixed with "- ", other tags removed, entities decoded, blank runs collapsed.
     */
    public static String plainText(String html) {
        if (html == null) {
            return "";
        }
        String s = html.replace("\r\n", "\n").replace('\r', '\n');
        s = DROP.matcher(s).replaceAll(" ");
        s = s.replace('\n', ' ');
        s = ITEM.matcher(s).replaceAll("\n- ");
        s = BREAK.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        Matcher m = ENTITY.matcher(s);
        StringBuilder decoded = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(decoded, Matcher.quoteReplacement(entity(m.group(1), m.group())));
        }
        m.appendTail(decoded);
        StringBuilder out = new StringBuilder(decoded.length());
        for (String line : decoded.toString().split("\n")) {
            String l = line.replaceAll("[\\s\u00A0]+", " ").strip();
            if (!l.isEmpty()) {
                out.append(out.length() == 0 ? "" : "\n").append(l);
            }
        }
        return out.toString();
    }

    private static String entity(String name, String whole) {
        if (name.startsWith("#")) {
            try {
                int cp = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(cp) && !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0
                        ? new String(Character.toChars(cp)) : "\uFFFD";
            } catch (NumberFormatException e) {
                return whole;
            }
        }
        return ENTITIES.getOrDefault(name, whole);
    }

    // ---------------------------------------------------------------- RFC 5545 encoding

    /**
     * TEXT escaping (§3.3.11): backslash, semicolon and comma escaped, any line break as {@code \n}; other control
     * characters (not allowed in TEXT) dropped; lone surrogates replaced with U+FFFD.
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        String s = text.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case ';' -> out.append("\\;");
                case ',' -> out.append("\\,");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append('\t');
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        continue;
                    }
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * Appends one content line folded at {@link #MAX_OCTETS} octets of UTF-8 (§3.1): a fold is CRLF followed by one
     * space, which counts towards the next line's 75 octets; a code point is never split.
     */
    static void line(StringBuilder out, String contentLine) {
        int used = 0;
        for (int i = 0; i < contentLine.length(); ) {
            int cp = contentLine.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                cp = 0xFFFD; // a lone surrogate has no UTF-8 form
            }
            int octets = utf8Length(cp);
            if (used + octets > MAX_OCTETS) {
                out.append(CRLF).append(' ');
                used = 1;
            }
            out.appendCodePoint(cp);
            used += octets;
            i += n;
        }
        out.append(CRLF);
    }

    /** The folded form of one content line, CRLF included (for tests and callers that build their own streams). */
    public static String fold(String contentLine) {
        StringBuilder sb = new StringBuilder(contentLine.length() + 8);
        line(sb, contentLine);
        return sb.toString();
    }

    private static int utf8Length(int cp) {
        if (cp < 0x80) {
            return 1;
        }
        if (cp < 0x800) {
            return 2;
        }
        if (cp < 0x10000) {
            return 3;
        }
        return 4;
    }

    // ---------------------------------------------------------------- value helpers

    /** A URI value: trimmed, without control characters or spaces; null when blank. */
    private static String uri(Object o) {
        String s = string(o);
        if (s == null) {
            return null;
        }
        String clean = s.strip().replaceAll("[\\x00-\\x20\\x7F]", "");
        return clean.isEmpty() ? null : clean;
    }

    private static String string(Object o) {
        return o instanceof String s && !s.isBlank() ? s : null;
    }

    private static boolean isTrue(Object o) {
        return Boolean.TRUE.equals(o) || (o instanceof String s && Boolean.parseBoolean(s.strip()));
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> list) {
            for (Object e : list) {
                if (e instanceof String s && !s.isBlank()) {
                    out.add(s.strip());
                }
            }
        } else if (o instanceof String s && !s.isBlank()) {
            out.add(s.strip());
        }
        return out;
    }

    private static Instant toInstant(Object o) {
        if (o instanceof OffsetDateTime d) {
            return d.toInstant();
        }
        if (o instanceof ZonedDateTime d) {
            return d.toInstant();
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.util.Calendar c) {
            return c.toInstant();
        }
        return null;
    }
}
