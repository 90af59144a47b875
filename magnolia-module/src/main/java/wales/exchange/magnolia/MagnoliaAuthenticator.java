package wales.exchange.magnolia;

import info.magnolia.cms.security.SecuritySupport;
import info.magnolia.cms.security.User;
import info.magnolia.cms.security.auth.callback.PlainTextCallbackHandler;
import info.magnolia.cms.security.auth.login.LoginResult;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.moderation.Account;
import wales.exchange.moderation.Authenticator;
import wales.exchange.moderation.Role;

/**
 * The moderation API's credentials checked against Magnolia's users inside Magnolia: the password through Magnolia's
 * JAAS login chain ({@code SecuritySupport.authenticate} with a {@code PlainTextCallbackHandler}, the check Magnolia's
 * own login makes, so its password hashing, locked and disabled accounts apply), the roles from the user manager
 * ({@code getUser(name).getAllRoles()}, with its groups' roles): {@code exchange-editor}, {@code exchange-moderator},
 * {@code exchange-admin} become the workflow's editor, moderator, administrator ({@link CurrentAccount#of}). A user
 * with none of them is no account here (401, as a wrong password). The module's own user store is not used inside
 * Magnolia. An empty password is no account (401) before Magnolia's login is asked.
 */
public final class MagnoliaAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(MagnoliaAuthenticator.class);
    private final Supplier<SecuritySupport> security;

    /** Magnolia's {@code SecuritySupport}, looked up when first needed (not when the main injector is built). */
    @Inject
    public MagnoliaAuthenticator() {
        this(SecuritySupport.Factory::getInstance);
    }

    MagnoliaAuthenticator(Supplier<SecuritySupport> security) {
        this.security = security;
    }

    @Override
    public Optional<Account> authenticate(String user, char[] password) {
        // an empty password is refused here, not left to whichever JAAS modules the instance's chain has
        if (user == null || user.isEmpty() || password == null || password.length == 0) {
            return Optional.empty();
        }
        LoginResult result;
        try {
            result = security.get().authenticate(new PlainTextCallbackHandler(user, password.clone()), null);
        } catch (RuntimeException e) {
            LOG.warn("moderation API: Magnolia's login failed for a request: {}", e.toString());
            return Optional.empty();
        }
        if (result == null || result.getStatus() != LoginResult.STATUS_SUCCEEDED) {
            return Optional.empty();
        }
        return account(user);
    }

    @Override
    public Set<Role> rolesOf(String name) {
        return account(name).map(Account::roles).orElse(Set.of());
    }

    private Optional<Account> account(String name) {
        User u = security.get().getUserManager().getUser(name);
        if (u == null || !u.isEnabled()) {
            return Optional.empty();
        }
        Account a = CurrentAccount.of(u.getName(), u.getAllRoles());
        return a.roles().isEmpty() ? Optional.empty() : Optional.of(a);
    }
}
