package wales.exchange.model;

/**
 * Names of the model properties the code must know, as declared in {@code light-modules/exchange/contentTypes} and {@code exchange-model}
 * (FieldsTest checks that each exists there). Use these instead of string literals; {@link #isEvent} is the one
 * place that decides whether a type is an event.
 */
public final class Fields {
    private Fields() {
    }

    public static final String MODERATION_STATE = ContentModel.MODERATION_STATE;
    public static final String AFFILIATION = "affiliation";
    public static final String ALL_DAY = "allDay";
    public static final String ATTENDANCE_MODE = "attendanceMode";
    public static final String AUDIENCES = "audiences";
    public static final String AUTHORS = "authors";
    public static final String BODY = "body";
    public static final String DESCRIPTION = "description";
    public static final String DOI = "doi";
    public static final String END_DATE = "endDate";
    public static final String FREE = "free";
    public static final String KIND = "kind";
    public static final String LANGUAGES = "languages";
    public static final String LICENCE = "licence";
    public static final String LINK = "link";
    public static final String NAME = "name";
    public static final String ONLINE_LINK = "onlineLink";
    public static final String ORGANISATION = "organisation";
    public static final String ORGANIZER = "organizer";
    public static final String ORIGINAL_LANGUAGE = "originalLanguage";
    public static final String PREVIOUS_START_DATE = "previousStartDate";
    public static final String PUBLICATION_DATE = "publicationDate";
    public static final String PUBLISHER = "publisher";
    public static final String RECORDING_CAPTIONS = "recordingCaptions";
    public static final String RECORDING_LINK = "recordingLink";
    public static final String REGION = "region";
    public static final String REGISTRATION_LINK = "registrationLink";
    public static final String RELATED_RESOURCES = "relatedResources";
    public static final String SOURCE_CONTRIBUTION = "sourceContribution";
    public static final String SPEAKERS = "speakers";
    public static final String START_DATE = "startDate";
    public static final String STATUS = "status";
    public static final String SUMMARY = "summary";
    public static final String TITLE = "title";
    public static final String TOPICS = "topics";
    public static final String VENUE = "venue";

    /** Whether items of {@code type} are events: they have a start date (upcoming/past, calendars, JSON-LD Event). */
    public static boolean isEvent(ContentType type) {
        return type.property(START_DATE) != null;
    }
}
