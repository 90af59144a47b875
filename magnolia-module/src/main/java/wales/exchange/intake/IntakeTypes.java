package wales.exchange.intake;

import java.util.List;

/** The content types the public submits. */
public final class IntakeTypes {
    public static final String CONTRIBUTION = "contribution";
    public static final String COMMENT = "comment";
    public static final List<String> ALL = List.of(CONTRIBUTION, COMMENT);
    /** Form fields that are not model fields: the honeypot (left empty by people) and the form token. */
    public static final String HONEYPOT = "website";
    public static final String FORM_TOKEN = "formToken";
    /** Comment fields. */
    public static final String TARGET = "target";
    public static final String DISPLAY_NAME = "displayName";
    public static final String EMAIL = "email";
    public static final String LANGUAGE = "language";
    /** Contribution fields. */
    public static final String CONTRIBUTOR_EMAIL = "contributorEmail";
    public static final String CONTRIBUTOR_NAME = "contributorName";
    public static final String PREFERRED_LANGUAGE = "preferredLanguage";
    public static final String ATTACHMENT = "attachment";
    /** The contributor's own declarations: what they agreed to (never edited by anyone else). */
    public static final String CONSENT_TO_PUBLISH = "consentToPublish";
    public static final String CONSENT_TO_CONTACT = "consentToContact";

    private IntakeTypes() {
    }
}
