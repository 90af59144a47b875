package wales.exchange.delivery.render;

import wales.exchange.model.Fields;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import wales.exchange.content.Item;
import wales.exchange.events.ICalendarWriter;
import wales.exchange.events.ICalendarWriter.Text;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;

/**
 * schema.org JSON-LD for ExChange items, as plain ordered maps (ready for Jackson): events as {@code Event} (undated
 * ones as {@code CreativeWork}: an Event needs a start date), library items as {@code LearningResource}, case studies
 * as {@code Article}. Never emits null values, blank strings or empty
 * lists or objects.
 *
 * <p>Dates are rendered in Europe/London with an explicit numeric offset and seconds
 * ({@code 2020-09-09T11:30:00+01:00}, {@code 2021-02-10T11:00:00+00:00}); all-day events use the local date.
 * Text fields use the requested language and fall back to the other one when missing.
 *
 * <p>Callers embedding the result in an HTML {@code <script type="application/ld+json">} must escape {@code <} (for
 * example as {@code \u003c}) when serialising, since text values are not HTML-escaped here.
 */
public final class JsonLd {
    public static final String CONTEXT = "https://schema.org";
    public static final String SCHEMA = "https://schema.org/";
    public static final String DEFAULT_ORGANIZER = "ExChange Wales (CASCADE, Cardiff University)";
    public static final String DEFAULT_ORGANIZER_URL = "https://www.exchangewales.org";

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;

    private JsonLd() {
    }

    /**
     * The JSON-LD object of one item.
     *
     * @param item    an event, resource or caseStudy (other types give a minimal {@code CreativeWork})
     * @param lang    the language of the text values
     * @param itemUrl the item's public page; may be null
     * @param resolve looks up referenced items by id (case studies' related resources); may be null or return null
     */
    public static Map<String, Object> of(Item item, Lang lang, String itemUrl, Function<String, Item> resolve) {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(lang, "lang");
        return switch (String.valueOf(item.type())) {
            case "event" -> event(item, lang, itemUrl);
            case "resource" -> resource(item, lang, itemUrl);
            case "caseStudy" -> caseStudy(item, lang, itemUrl, resolve);
            default -> other(item, lang, itemUrl);
        };
    }

    // ---------------------------------------------------------------- events

    private static Map<String, Object> event(Item item, Lang lang, String itemUrl) {
        Map<String, Object> v = item.values();
        if (v.get(Fields.START_DATE) == null) {
            return undatedEvent(v, lang, itemUrl);
        }
        boolean allDay = Boolean.TRUE.equals(v.get(Fields.ALL_DAY));
        Map<String, Object> out = start("Event");
        put(out, "name", text(lang, v.get(Fields.TITLE)));
        put(out, "description", description(v, lang));
        List<String> languages = strings(v.get(Fields.LANGUAGES));
        put(out, "inLanguage", languages.isEmpty() ? lang.tag() : languages);
        put(out, "startDate", allDay ? date(v.get(Fields.START_DATE)) : dateTime(v.get(Fields.START_DATE)));
        put(out, "endDate", allDay ? date(v.get(Fields.END_DATE)) : dateTime(v.get(Fields.END_DATE)));
        put(out, "previousStartDate", allDay ? date(v.get(Fields.PREVIOUS_START_DATE)) : dateTime(v.get(Fields.PREVIOUS_START_DATE)));
        put(out, "eventStatus", SCHEMA + eventStatus(string(v.get(Fields.STATUS))));

        String mode = attendanceMode(v);
        if (mode != null) {
            put(out, "eventAttendanceMode", SCHEMA + switch (mode) {
                case "online" -> "OnlineEventAttendanceMode";
                case "mixed" -> "MixedEventAttendanceMode";
                default -> "OfflineEventAttendanceMode";
            });
        }
        Map<String, Object> place = null;
        String venue = text(lang, v.get(Fields.VENUE));
        if (venue != null) {
            place = node("Place");
            put(place, "name", venue);
            put(place, "address", venue);
        }
        Map<String, Object> virtual = null;
        String virtualUrl = firstNonNull(string(v.get(Fields.ONLINE_LINK)), string(v.get(Fields.REGISTRATION_LINK)));
        if (virtualUrl != null) {
            virtual = node("VirtualLocation");
            put(virtual, "url", virtualUrl);
        }
        if ("online".equals(mode)) {
            put(out, "location", virtual);
        } else if ("mixed".equals(mode)) {
            put(out, "location", nonNull(place, virtual));
        } else if ("in-person".equals(mode)) {
            put(out, "location", place);
        }

        put(out, "performer", performers(v, lang));

        String organizerName = string(v.get(Fields.ORGANIZER));
        Map<String, Object> organizer = node("Organization");
        put(organizer, "name", organizerName == null ? DEFAULT_ORGANIZER : organizerName.strip());
        if (organizerName == null || organizerName.strip().equals(DEFAULT_ORGANIZER)) {
            put(organizer, "url", DEFAULT_ORGANIZER_URL);
        }
        put(out, "organizer", organizer);

        boolean free = !Boolean.FALSE.equals(v.get(Fields.FREE));
        String registration = string(v.get(Fields.REGISTRATION_LINK));
        if (registration != null) {
            Map<String, Object> offer = node("Offer");
            put(offer, "url", registration);
            if (free) {
                put(offer, "price", 0);
                put(offer, "priceCurrency", "GBP");
            }
            put(offer, "availability", SCHEMA + "InStock");
            put(out, "offers", offer);
        }
        put(out, "isAccessibleForFree", free);

        String recording = string(v.get(Fields.RECORDING_LINK));
        if (recording != null) {
            Map<String, Object> video = node("VideoObject");
            put(video, "url", recording);
            put(video, "name", text(lang, v.get(Fields.TITLE)));
            if (Boolean.TRUE.equals(v.get(Fields.RECORDING_CAPTIONS))) {
                put(video, "accessibilityFeature", List.of("captions"));
            }
            put(out, "recordedIn", video);
        }
        put(out, "audience", audiences(v));
        put(out, "keywords", strings(v.get(Fields.TOPICS)));
        put(out, "url", itemUrl);
        return out;
    }

    /**
     * An event with no date yet (a talk announced or described without one) is not marked up as an {@code Event}:
     * search engines require {@code startDate} of every Event. It is the {@code CreativeWork} describing the talk,
     * with its speakers as {@code contributor}s.
     */
    private static Map<String, Object> undatedEvent(Map<String, Object> v, Lang lang, String itemUrl) {
        Map<String, Object> out = start("CreativeWork");
        put(out, "name", text(lang, v.get(Fields.TITLE)));
        put(out, "description", description(v, lang));
        List<String> languages = strings(v.get(Fields.LANGUAGES));
        put(out, "inLanguage", languages.isEmpty() ? lang.tag() : languages);
        put(out, "contributor", performers(v, lang));
        put(out, "audience", audiences(v));
        put(out, "keywords", strings(v.get(Fields.TOPICS)));
        put(out, "url", itemUrl);
        return out;
    }

    /**
     * The speakers: a {@code Person} with an {@code affiliation}, or, for a speaker of kind {@code organisation}, an
     * {@code Organization} whose affiliation is its {@code parentOrganization}.
     */
    private static List<Object> performers(Map<String, Object> v, Lang lang) {
        List<Object> performers = new ArrayList<>();
        if (v.get(Fields.SPEAKERS) instanceof List<?> speakers) {
            for (Object o : speakers) {
                if (o instanceof Map<?, ?> s && string(s.get(Fields.NAME)) != null) {
                    boolean organisation = ORGANISATION.equals(string(s.get(SPEAKER_KIND)));
                    Map<String, Object> performer = node(organisation ? "Organization" : "Person");
                    put(performer, "name", string(s.get(Fields.NAME)).strip());
                    String affiliation = text(lang, s.get(Fields.AFFILIATION));
                    if (affiliation != null) {
                        Map<String, Object> org = node("Organization");
                        put(org, "name", affiliation);
                        put(performer, organisation ? "parentOrganization" : "affiliation", org);
                    }
                    performers.add(performer);
                }
            }
        }
        return performers;
    }

    /** The speaker sub-model's kind property and its value for organisations (event.yaml). */
    static final String SPEAKER_KIND = "kind";
    static final String ORGANISATION = "organisation";

    /** schema.org EventStatusType name of a module status (EventScheduled when unset or unknown). */
    static String eventStatus(String status) {
        if (status == null) {
            return "EventScheduled";
        }
        return switch (status) {
            case "postponed" -> "EventPostponed";
            case "rescheduled" -> "EventRescheduled";
            case "cancelled" -> "EventCancelled";
            case "moved-online" -> "EventMovedOnline";
            default -> "EventScheduled";
        };
    }

    /**
     * online, in-person or mixed: the stored mode (an event moved online is online unless it is mixed), else inferred
     * from which of venue and online link are present; null when nothing is known.
     */
    static String attendanceMode(Map<String, Object> v) {
        String mode = string(v.get(Fields.ATTENDANCE_MODE));
        if ("moved-online".equals(string(v.get(Fields.STATUS))) && !"mixed".equals(mode)) {
            return "online";
        }
        if (mode != null) {
            return mode;
        }
        boolean venue = ICalendarWriter.pick(Lang.EN, v.get(Fields.VENUE)) != null;
        boolean online = string(v.get(Fields.ONLINE_LINK)) != null;
        return venue && online ? "mixed" : online ? "online" : venue ? "in-person" : null;
    }

    // ---------------------------------------------------------------- resources

    private static Map<String, Object> resource(Item item, Lang lang, String itemUrl) {
        Map<String, Object> v = item.values();
        Map<String, Object> out = start("LearningResource");
        put(out, "name", text(lang, v.get(Fields.TITLE)));
        put(out, "description", description(v, lang));
        put(out, "learningResourceType", string(v.get(Fields.KIND)));
        String original = string(v.get(Fields.ORIGINAL_LANGUAGE));
        put(out, "inLanguage", original != null ? original : lang.tag());
        List<Object> authors = new ArrayList<>();
        for (String a : strings(v.get(Fields.AUTHORS))) {
            Map<String, Object> person = node("Person");
            put(person, "name", a);
            authors.add(person);
        }
        put(out, "author", authors);
        String publisherName = string(v.get(Fields.PUBLISHER));
        if (publisherName != null) {
            Map<String, Object> publisher = node("Organization");
            put(publisher, "name", publisherName.strip());
            put(out, "publisher", publisher);
        }
        put(out, "datePublished", date(v.get(Fields.PUBLICATION_DATE)));
        put(out, "license", string(v.get(Fields.LICENCE)));
        String link = string(v.get(Fields.LINK));
        put(out, "url", link != null ? link.strip() : itemUrl);
        put(out, "sameAs", doiUrl(string(v.get(Fields.DOI))));
        put(out, "audience", audiences(v));
        put(out, "keywords", strings(v.get(Fields.TOPICS)));
        return out;
    }

    /** {@code https://doi.org/<doi>} for a bare DOI, a {@code doi:} URI or a doi.org URL; null when blank. */
    static String doiUrl(String doi) {
        if (doi == null) {
            return null;
        }
        String d = doi.strip();
        String lower = d.toLowerCase(Locale.ROOT);
        for (String prefix : List.of("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")) {
            if (lower.startsWith(prefix)) {
                d = d.substring(prefix.length()).strip();
                break;
            }
        }
        return d.isEmpty() ? null : "https://doi.org/" + d;
    }

    // ---------------------------------------------------------------- case studies

    private static Map<String, Object> caseStudy(Item item, Lang lang, String itemUrl, Function<String, Item> resolve) {
        Map<String, Object> v = item.values();
        Map<String, Object> out = start("Article");
        Text title = ICalendarWriter.pick(lang, v.get(Fields.TITLE));
        put(out, "name", title == null ? null : title.value().strip());
        put(out, "headline", title == null ? null : title.value().strip());
        put(out, "description", description(v, lang));
        put(out, "inLanguage", title == null ? lang.tag() : title.lang().tag());
        String organisation = string(v.get(Fields.ORGANISATION));
        if (organisation != null) {
            Map<String, Object> about = node("Organization");
            put(about, "name", organisation.strip());
            put(out, "about", about);
        }
        String region = string(v.get(Fields.REGION));
        if (region != null) {
            Map<String, Object> place = node("Place");
            put(place, "name", region.strip());
            put(out, "spatialCoverage", place);
        }
        Map<String, Object> publisher = node("Organization");
        put(publisher, "name", DEFAULT_ORGANIZER);
        put(publisher, "url", DEFAULT_ORGANIZER_URL);
        put(out, "publisher", publisher);
        put(out, "audience", audiences(v));
        put(out, "keywords", strings(v.get(Fields.TOPICS)));

        List<Object> cited = new ArrayList<>();
        if (resolve != null) {
            for (String id : strings(v.get(Fields.RELATED_RESOURCES))) {
                Item related = resolve.apply(id);
                if (related != null) {
                    Map<String, Object> ref = reference(related, lang);
                    if (ref.size() > 1) {
                        cited.add(ref);
                    }
                }
            }
        }
        put(out, "citation", cited);
        put(out, "url", itemUrl);
        return out;
    }

    /** A short description of a related library item: type, name, url (its link) and DOI. */
    private static Map<String, Object> reference(Item related, Lang lang) {
        Map<String, Object> v = related.values();
        Map<String, Object> ref = node("resource".equals(related.type()) ? "LearningResource" : "CreativeWork");
        put(ref, "name", text(lang, v.get(Fields.TITLE)));
        put(ref, "url", string(v.get(Fields.LINK)));
        put(ref, "sameAs", doiUrl(string(v.get(Fields.DOI))));
        return ref;
    }

    private static Map<String, Object> other(Item item, Lang lang, String itemUrl) {
        Map<String, Object> v = item.values();
        Map<String, Object> out = start("CreativeWork");
        put(out, "name", text(lang, v.get(Fields.TITLE)));
        put(out, "description", description(v, lang));
        put(out, "url", itemUrl);
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> start(String type) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@context", CONTEXT);
        out.put("@type", type);
        return out;
    }

    private static Map<String, Object> node(String type) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@type", type);
        return out;
    }

    /** Puts the value unless it is null, a blank string, or an empty collection or map. */
    private static void put(Map<String, Object> map, String key, Object value) {
        if (value == null
                || value instanceof String s && s.isBlank()
                || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty()) {
            return;
        }
        map.put(key, value);
    }

    private static List<Object> nonNull(Object... values) {
        List<Object> out = new ArrayList<>();
        for (Object o : values) {
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static List<Object> audiences(Map<String, Object> v) {
        List<Object> out = new ArrayList<>();
        for (String a : strings(v.get(Fields.AUDIENCES))) {
            Map<String, Object> audience = node("Audience");
            put(audience, "audienceType", a);
            out.add(audience);
        }
        return out;
    }

    private static String text(Lang lang, Object i18n) {
        Text t = ICalendarWriter.pick(lang, i18n);
        return t == null ? null : t.value().strip();
    }

    /** Summary in the language, else the rich description as plain text, else either in the other language. */
    private static String description(Map<String, Object> v, Lang lang) {
        Text summary = ICalendarWriter.pick(lang, v.get(Fields.SUMMARY));
        Text rich = ICalendarWriter.pick(lang, v.get(Fields.DESCRIPTION));
        if (rich == null) {
            rich = ICalendarWriter.pick(lang, v.get(Fields.BODY));
        }
        Text chosen = summary != null && (summary.lang() == lang || rich == null || rich.lang() != lang) ? summary : rich;
        if (chosen == null) {
            return null;
        }
        String plain = ICalendarWriter.plainText(chosen.value());
        return plain.isEmpty() ? null : plain;
    }

    private static String string(Object o) {
        return o instanceof String s && !s.isBlank() ? s : null;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> list) {
            for (Object e : list) {
                if (e instanceof String s && !s.isBlank() && !out.contains(s.strip())) {
                    out.add(s.strip());
                }
            }
        } else if (o instanceof String s && !s.isBlank()) {
            out.add(s.strip());
        }
        return out;
    }

    private static ZonedDateTime london(Object o) {
        Instant i = o instanceof OffsetDateTime d ? d.toInstant()
                : o instanceof ZonedDateTime z ? z.toInstant()
                : o instanceof Instant in ? in : null;
        return i == null ? null : i.atZone(ContentModel.ZONE).truncatedTo(ChronoUnit.SECONDS);
    }

    /** ISO 8601 in London time with seconds and a numeric offset, e.g. {@code 2020-09-09T11:30:00+01:00}. */
    static String dateTime(Object o) {
        ZonedDateTime z = london(o);
        return z == null ? null : DATE_TIME.format(z);
    }

    /** The London calendar date, {@code yyyy-MM-dd}. */
    static String date(Object o) {
        ZonedDateTime z = london(o);
        return z == null ? null : DATE.format(z.toLocalDate());
    }
}
