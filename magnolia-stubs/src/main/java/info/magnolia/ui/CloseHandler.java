package info.magnolia.ui;

/**
 * Stand-in for {@code info.magnolia.ui.CloseHandler}, injected into a dialog's commit action to close the dialog:
 * {@code close()}. Source: IBM/magkit-tools magkit-tools-t9n {@code ImportCsvAction(CommitActionDefinition,
 * CloseHandler, ValueContext<Node>, FormView<Node>, ...)}; Magnolia's form module imports it the same way.
 */
public interface CloseHandler {
    void close();
}
