package info.magnolia.context;

import java.util.Locale;
import javax.jcr.LoginException;
import javax.jcr.RepositoryException;
import javax.jcr.Session;

/**
 * Stand-in for {@code info.magnolia.context.MgnlContext} (a subset, exact signatures). Source read:
 * ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/context/MgnlContext.java ({@code getJCRSession}, {@code getLocale}, {@code doInSystemContext(Op)} and
 * {@code (Op, boolean releaseAfterExecution)}, {@code Op}, {@code VoidOp}); 6.x use in shared/reference/magnolia.md
 * section 9. Signature only: every method throws.
 */
public final class MgnlContext {
    private MgnlContext() {
    }

    public static Session getJCRSession(String workspaceName) throws LoginException, RepositoryException {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    /** {@code public static User getUser()} (same source, line 87). */
    public static info.magnolia.cms.security.User getUser() {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    public static Locale getLocale() {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    public static <T, E extends Throwable> T doInSystemContext(Op<T, E> op) throws E {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    public static <T, E extends Throwable> T doInSystemContext(Op<T, E> op, boolean releaseAfterExecution) throws E {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    /** {@code MgnlContext.Op}: {@code T exec() throws E}. */
    public interface Op<T, E extends Throwable> {
        T exec() throws E;
    }

    /** {@code MgnlContext.VoidOp}: an {@link Op} without a result. */
    public abstract static class VoidOp implements Op<Void, RuntimeException> {
        @Override
        public Void exec() {
            doExec();
            return null;
        }

        public abstract void doExec();
    }
}
