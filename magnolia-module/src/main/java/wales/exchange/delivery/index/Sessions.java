package wales.exchange.delivery.index;

import javax.jcr.RepositoryException;
import javax.jcr.Session;

/**
 * Opens a new session owned by the caller (who logs it out): the delivery index reads full items (rich text) with
 * sessions of its own, never the writer's. The standalone server logs in to its repository; Magnolia impersonates
 * from a system session.
 */
@FunctionalInterface
public interface Sessions {
    Session open() throws RepositoryException;
}
