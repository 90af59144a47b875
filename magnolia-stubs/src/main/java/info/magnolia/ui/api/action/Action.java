package info.magnolia.ui.api.action;

/**
 * Stand-in for {@code info.magnolia.ui.api.action.Action}: {@code void execute() throws ActionExecutionException}
 * (shared/reference/magnolia.md section 9; IBM/magkit, commit cfd23fc, magkit-tools-t9n ExportTranslationAsCsvAction
 * and ImportCsvAction override {@code execute()}).
 */
public interface Action {
    void execute() throws ActionExecutionException;
}
