package wales.exchange.moderation;

import com.google.inject.ImplementedBy;
import java.util.Optional;
import javax.jcr.RepositoryException;
import javax.jcr.Session;

/**
 * Where a moderator gets mail (assignment notices) and in which language: the standalone server's {@link UserStore};
 * inside Magnolia the configurer binds {@code wales.exchange.magnolia.MagnoliaContacts} (a Magnolia user's
 * {@code email} and {@code language}), the users {@link Authenticator} checks.
 */
@ImplementedBy(UserStore.class)
public interface Contacts {
    /** The user's address and language, when the user has an address. */
    Optional<UserStore.Contact> contact(Session s, String name) throws RepositoryException;
}
