package info.magnolia.module.delta;

/**
 * Stand-in for {@code info.magnolia.module.delta.TaskExecutionException}. Mirrors: shared/reference/magnolia.md §1.4
 * (AbstractRepositoryTask.doExecute throws it). Signature only.
 */
public class TaskExecutionException extends Exception {
    public TaskExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
