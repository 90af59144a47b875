package wales.exchange.magnolia;

import info.magnolia.ui.api.action.ConfiguredActionDefinition;

/**
 * A moderation action of the content apps' browser ({@code class} of the action in apps/*.yaml, with
 * {@code implementationClass: wales.exchange.magnolia.ModerationAction}): {@code operation} is {@code transition}
 * (the default; {@code target} is the state the action moves the selected items to: {@code in-review},
 * {@code approved}, {@code published}, {@code withdrawn}, ...) or {@code claim}. Actions that need input (a reason,
 * an assignee, dates) open a dialog whose commit action is a {@link ModerationDialogActionDefinition}.
 */
public class ModerationActionDefinition extends ConfiguredActionDefinition {
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
