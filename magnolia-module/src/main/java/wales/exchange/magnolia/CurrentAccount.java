package wales.exchange.magnolia;

import info.magnolia.cms.security.User;
import info.magnolia.context.MgnlContext;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;
import wales.exchange.moderation.Account;
import wales.exchange.moderation.Role;

/**
 * The Magnolia user an action of the content apps runs for, as the moderation service's {@link Account}: the module's
 * roles ({@link ExchangeRolesTask}: exchange-editor, exchange-moderator, exchange-admin) become its roles, so the
 * workflow's rules (who may move what where, four-eyes) are the REST API's, checked in {@link
 * wales.exchange.moderation.ModerationService}, below the UI.
 */
public interface CurrentAccount extends Supplier<Account> {

    /** The account of a Magnolia user with these role names. */
    static Account of(String name, java.util.Collection<String> magnoliaRoles) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (magnoliaRoles.contains(ExchangeRolesTask.EDITOR)) {
            roles.add(Role.EDITOR);
        }
        if (magnoliaRoles.contains(ExchangeRolesTask.MODERATOR)) {
            roles.add(Role.MODERATOR);
        }
        if (magnoliaRoles.contains(ExchangeRolesTask.ADMIN)) {
            roles.add(Role.ADMINISTRATOR);
        }
        return new Account(name, roles);
    }

    /** Magnolia's current user ({@code MgnlContext.getUser()}, its roles with those of its groups). */
    final class Magnolia implements CurrentAccount {
        @Override
        public Account get() {
            User user = MgnlContext.getUser();
            return of(user.getName(), user.getAllRoles());
        }
    }
}
