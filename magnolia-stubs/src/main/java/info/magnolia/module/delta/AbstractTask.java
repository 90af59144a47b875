package info.magnolia.module.delta;

/**
 * Stand-in for {@code info.magnolia.module.delta.AbstractTask}. Mirrors: shared/reference/magnolia.md §1.4
 * (constructor {@code (String name, String description)}). Signature only.
 */
public abstract class AbstractTask implements Task {
    protected AbstractTask(String name, String description) {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    @Override
    public String getName() {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }

    @Override
    public String getDescription() {
        throw new UnsupportedOperationException("Magnolia stand-in: compile only");
    }
}
