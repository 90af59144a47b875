package info.magnolia.module;

import javax.jcr.RepositoryException;
import javax.jcr.Session;

/**
 * Stand-in for {@code info.magnolia.module.InstallContext} (Magnolia 6.x). Mirrors: shared/reference/magnolia.md §1.4
 * (6.x tests mocking it: getJCRSession, info, warn). Signature only.
 */
public interface InstallContext {
    Session getJCRSession(String workspaceName) throws RepositoryException;

    void info(String message);

    void warn(String message);
}
