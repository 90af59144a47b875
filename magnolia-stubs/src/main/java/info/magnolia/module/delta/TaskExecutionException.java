package info.magnolia.module.delta;

/**
 * Stand-in for {@code info.magnolia.module.delta.TaskExecutionException}; its message is shown to the administrator and
 * cancels the module's install. Source read: ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/delta/TaskExecutionException.java (both constructors).
 */
public class TaskExecutionException extends Exception {
    public TaskExecutionException(String message) {
        super(message);
    }

    public TaskExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
