package wales.exchange.moderation;

import java.util.Set;

/** An authenticated user of the moderation API: name and roles. */
public record Account(String name, Set<Role> roles) {
    public Account {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return role.heldBy(roles);
    }
}
