package wales.exchange.magnolia;

import info.magnolia.context.MgnlContext;
import javax.jcr.RepositoryException;
import javax.jcr.Session;

/** A system-context session from Magnolia ({@code MgnlContext.doInSystemContext}). */
public final class MagnoliaSessionSource implements SessionSource {
    @Override
    public Session systemSession(String workspace) throws RepositoryException {
        return MgnlContext.doInSystemContext(() -> MgnlContext.getJCRSession(workspace));
    }
}
