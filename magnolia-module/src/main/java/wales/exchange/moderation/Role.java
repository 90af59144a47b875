package wales.exchange.moderation;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may do what, in rising order: each role may do everything the roles before it may. Contributors are the public
 * (no account); editors write and submit; moderators review, decide, publish; administrators also manage users.
 */
public enum Role {
    CONTRIBUTOR, EDITOR, MODERATOR, ADMINISTRATOR;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String tag) {
        for (Role r : values()) {
            if (r.tag().equals(tag)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Whether someone holding {@code roles} has at least this role. */
    public boolean heldBy(Collection<Role> roles) {
        return roles.stream().anyMatch(r -> r.ordinal() >= ordinal());
    }
}
