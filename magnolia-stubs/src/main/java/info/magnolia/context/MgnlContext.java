package info.magnolia.context;

import java.util.Locale;
import javax.jcr.LoginException;
import javax.jcr.RepositoryException;
import javax.jcr.Session;

/**
 * Stand-in for {@code info.magnolia.context.MgnlContext}. Mirrors: shared/reference/magnolia.md §9 (static
 * getJCRSession, getLocale, doInSystemContext with {@code Op<T, E>}). Signature only.
 */
public final class MgnlContext {
    private MgnlContext() {
    }

    public static Session getJCRSession(String workspaceName) throws LoginException, RepositoryException {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    public static Locale getLocale() {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    public static <T, E extends Throwable> T doInSystemContext(Op<T, E> op) throws E {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    /** Mirrors {@code MgnlContext.Op}: {@code T exec() throws E}. */
    public interface Op<T, E extends Throwable> {
        T exec() throws E;
    }
}
