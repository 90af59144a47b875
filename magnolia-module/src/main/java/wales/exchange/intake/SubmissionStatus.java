package wales.exchange.intake;

import java.util.Locale;

/** What a contributor sees of their submission's moderation state. */
public enum SubmissionStatus {
    RECEIVED("received"), IN_REVIEW("inReview"), ACCEPTED("accepted"), DECLINED("declined");

    private final String code;

    SubmissionStatus(String code) {
        this.code = code;
    }

    /** The code in the API ({@code received}, {@code inReview}, {@code accepted}, {@code declined}). */
    public String code() {
        return code;
    }

    /** The message key of the label. */
    public String messageKey() {
        return "exchange.intake.status." + code;
    }

    /**
     * The status of a workflow state: whatever the workflow names its states, a draft or a new submission is received,
     * a state under review is in review, an approved or published one accepted, a rejected, withdrawn or unpublished one
     * declined.
     */
    public static SubmissionStatus of(String moderationState) {
        String s = moderationState == null ? "" : moderationState.toLowerCase(Locale.ROOT).replace("_", "-");
        if (s.contains("review")) {
            return IN_REVIEW;
        }
        if (s.startsWith("approv") || s.startsWith("publish") || s.startsWith("accept") || s.startsWith("schedul")) {
            return ACCEPTED;
        }
        if (s.startsWith("reject") || s.startsWith("declin") || s.startsWith("withdr") || s.startsWith("unpublish")
                || s.startsWith("archiv")) {
            return DECLINED;
        }
        return RECEIVED;
    }
}
