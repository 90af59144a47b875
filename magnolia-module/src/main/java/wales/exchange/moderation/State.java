package wales.exchange.moderation;

import java.util.Locale;
import java.util.Optional;

/**
 * The states of the one workflow every content type goes through (the {@code moderationState} options of every type in
 * {@code light-modules/exchange/contentTypes}). Only {@link #PUBLISHED} is delivered publicly.
 */
public enum State {
    DRAFT, IN_REVIEW, APPROVED, PUBLISHED, REJECTED, WITHDRAWN;

    /** The value as stored and as the API writes it: {@code in-review}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<State> parse(String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        for (State s : values()) {
            if (s.tag().equals(tag)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
