package info.magnolia.module;

import javax.jcr.RepositoryException;
import javax.jcr.Session;

/**
 * Stand-in for {@code info.magnolia.module.InstallContext} (a subset of its members, with their exact signatures).
 * Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/InstallContext.java ({@code getJCRSession}, {@code getConfigJCRSession} since 4.5); 6.x
 * tests mock the same methods (shared/reference/magnolia.md section 11). Not mirrored: the deprecated
 * HierarchyManager/Content methods, messages, status, {@code getCurrentModuleDefinition}.
 */
public interface InstallContext {
    void info(String message);

    void warn(String message);

    void error(String message, Throwable th);

    void restartNeeded(String message);

    boolean isModuleRegistered(String moduleName);

    Session getJCRSession(String workspaceName) throws RepositoryException;

    Session getConfigJCRSession() throws RepositoryException;
}
