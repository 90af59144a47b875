package info.magnolia.ui.contentapp.action;

import info.magnolia.ui.api.action.ConfiguredActionDefinition;

/**
 * Stand-in for {@code info.magnolia.ui.contentapp.action.CommitActionDefinition}, the definition of a dialog's commit
 * action ({@code COMMIT_ACTION_NAME} "commit"). Sources: IBM/magkit-tools magkit-tools-t9n {@code ImportCsvAction}
 * (its definition), merkle-open/magnolia-dynamic-builder {@code OpenDialogAction}
 * ({@code CommitActionDefinition.COMMIT_ACTION_NAME}). A subset.
 */
public class CommitActionDefinition extends ConfiguredActionDefinition {
    public static final String COMMIT_ACTION_NAME = "commit";
}
