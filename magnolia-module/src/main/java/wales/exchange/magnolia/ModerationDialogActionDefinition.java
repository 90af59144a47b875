package wales.exchange.magnolia;

import info.magnolia.ui.contentapp.action.CommitActionDefinition;

/**
 * The commit action of a moderation dialog (dialogs/moderation/*.yaml, {@code implementationClass:
 * wales.exchange.magnolia.ModerationDialogAction}): {@code operation} {@code transition} with a {@code target} (the
 * form's {@code reason} goes with it: reject), {@code assign} (the form's {@code assignee}) or {@code schedule} (the
 * form's {@code publishAt} and {@code unpublishAt}).
 */
public class ModerationDialogActionDefinition extends CommitActionDefinition {
    private String operation;
    private String target;

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }
}
