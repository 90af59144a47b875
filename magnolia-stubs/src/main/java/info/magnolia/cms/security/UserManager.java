package info.magnolia.cms.security;

/**
 * Stand-in for {@code info.magnolia.cms.security.UserManager} (a subset): {@code User getUser(String name)}, null for
 * no such user. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/cms/security/UserManager.java; 6.3 use:
 * merkle-open/magnolia-setup-task (commit 23a743b) {@code UserManagerUtil.getUser} ({@code Optional.ofNullable(userManager.getUser(name))}).
 */
public interface UserManager {
    User getUser(String name);
}
