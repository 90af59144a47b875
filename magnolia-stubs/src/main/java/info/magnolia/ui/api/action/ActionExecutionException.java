package info.magnolia.ui.api.action;

/**
 * Stand-in for {@code info.magnolia.ui.api.action.ActionExecutionException}, thrown by {@code Action.execute()}
 * (imported by IBM/magkit's 6.4 actions). Its constructors are not confirmed in public source: the module uses
 * {@code (String, Throwable)} only, the usual pair of a checked exception.
 */
public class ActionExecutionException extends Exception {
    public ActionExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
