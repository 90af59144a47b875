package wales.exchange.magnolia;

import info.magnolia.cms.security.SecuritySupport;
import info.magnolia.cms.security.User;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Supplier;
import javax.jcr.Session;
import wales.exchange.i18n.Lang;
import wales.exchange.moderation.Contacts;
import wales.exchange.moderation.UserStore;

/**
 * Inside Magnolia a moderator's mail address and language are their Magnolia user's {@code email} and
 * {@code language} properties ({@code MgnlUserManager.PROPERTY_EMAIL}, {@code PROPERTY_LANGUAGE}; Magnolia 5.0 core),
 * the same users {@link MagnoliaAuthenticator} checks: Welsh ({@code cy}) or else English.
 */
public final class MagnoliaContacts implements Contacts {
    static final String EMAIL = "email";
    private final Supplier<SecuritySupport> security;

    @Inject
    public MagnoliaContacts() {
        this(SecuritySupport.Factory::getInstance);
    }

    MagnoliaContacts(Supplier<SecuritySupport> security) {
        this.security = security;
    }

    @Override
    public Optional<UserStore.Contact> contact(Session s, String name) {
        if (name == null) {
            return Optional.empty();
        }
        User u = security.get().getUserManager().getUser(name);
        if (u == null || !u.isEnabled()) {
            return Optional.empty();
        }
        String email = u.getProperty(EMAIL);
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        Lang lang = u.getLanguage() != null && u.getLanguage().startsWith("cy") ? Lang.CY : Lang.EN;
        return Optional.of(new UserStore.Contact(email.strip(), lang));
    }
}
