package info.magnolia.cms.security;

import java.util.Collection;

/**
 * Stand-in for {@code info.magnolia.cms.security.User} (a subset, exact signatures): {@code getName()},
 * {@code isEnabled()}, {@code hasRole(String)}, {@code getAllRoles()} (its roles with those of its groups), {@code getLanguage()},
 * {@code getProperty(String)}. Source read:
 * ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/cms/security/User.java; 6.3 use: merkle-open/magnolia-setup-task {@code UserManagerUtil} (getName, getGroups, getRoles).
 */
public interface User {
    String getName();

    boolean isEnabled();

    boolean hasRole(String roleName);

    Collection<String> getAllRoles();

    /** The user's language ({@code language}, e.g. {@code en}); same source. */
    String getLanguage();

    /** A property of the user, e.g. {@code email} ({@code MgnlUserManager.PROPERTY_EMAIL}); same source. */
    String getProperty(String propertyName);
}
