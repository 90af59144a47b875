package wales.exchange.magnolia;

import javax.jcr.RepositoryException;
import javax.jcr.Session;

/** Where the module gets a long-lived system session of a workspace from (Magnolia's system context). */
public interface SessionSource {
    Session systemSession(String workspace) throws RepositoryException;
}
