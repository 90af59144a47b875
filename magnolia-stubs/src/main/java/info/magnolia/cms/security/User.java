package info.magnolia.cms.security;

import java.util.Collection;

/**
 * Stand-in for {@code info.magnolia.cms.security.User} (a subset, exact signatures): {@code getName()},
 * {@code hasRole(String)}, {@code getAllRoles()}. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab),
 * magnolia-core/src/main/java/info/magnolia/cms/security/User.java.
 */
public interface User {
    String getName();

    boolean hasRole(String roleName);

    Collection<String> getAllRoles();
}
