package wales.exchange.moderation;

import java.time.OffsetDateTime;

/**
 * Something moderation did to an item, for notifications: a {@link Kind#TRANSITION} (from, to, reason: a decision is
 * a transition to approved, published or rejected), an {@link Kind#ASSIGNMENT} (assignee) or a {@link Kind#CONVERSION}
 * ({@code createdId}: the draft made from a contribution). {@code type} is the content type's name.
 */
public record ModerationEvent(Kind kind, String type, String id, State from, State to, String actor, String reason,
                              String assignee, String createdId, OffsetDateTime at) {
    public enum Kind { TRANSITION, ASSIGNMENT, CONVERSION }

    /** Whether this is a decision on a submission: accepted (approved or published) or declined (rejected). */
    public boolean decision() {
        return kind == Kind.TRANSITION && from == State.IN_REVIEW
                && (to == State.APPROVED || to == State.PUBLISHED || to == State.REJECTED);
    }
}
