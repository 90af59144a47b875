package wales.exchange.moderation;

import com.google.inject.ImplementedBy;
import java.util.Optional;

/**
 * Checks a user name and password. The standalone server uses {@link UserStore} (salted hashes in the repository);
 * inside Magnolia the configurer binds {@code wales.exchange.magnolia.MagnoliaAuthenticator} (Magnolia's users and roles).
 */
@ImplementedBy(UserStore.class)
public interface Authenticator {
    /** The account, or empty for an unknown user or a wrong password (the caller cannot tell which). */
    Optional<Account> authenticate(String user, char[] password);

    /** The roles of user {@code name}; empty when there is no such user (assignment checks the assignee with it). */
    java.util.Set<Role> rolesOf(String name);
}
