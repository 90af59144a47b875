package wales.exchange.magnolia;

import info.magnolia.ui.api.action.ConfiguredActionDefinition;

/**
 * A moderation action of the content apps ({@code class} of the action in apps/*.yaml, with
 * {@code implementationClass: wales.exchange.magnolia.ModerationAction}): {@code target} is the state the action moves
 * the selected items to ({@code in-review}, {@code approved}, {@code published}, {@code withdrawn}, ...).
 */
public class ModerationActionDefinition extends ConfiguredActionDefinition {
    private String target;

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }
}
