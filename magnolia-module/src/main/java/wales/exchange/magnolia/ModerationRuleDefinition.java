package wales.exchange.magnolia;

import info.magnolia.ui.api.availability.ConfiguredAvailabilityRuleDefinition;

/**
 * The availability rule of a moderation action ({@code availability.rules.moderation} in apps/*.yaml, {@code
 * implementationClass: wales.exchange.magnolia.ModerationRule}): the same {@code operation} and {@code target} as the
 * action, so it is offered exactly where the workflow allows it ({@link AppOperation#offered}).
 */
public class ModerationRuleDefinition extends ConfiguredAvailabilityRuleDefinition {
    private String operation;
    private String target;

    public ModerationRuleDefinition() {
        setImplementationClass(ModerationRule.class);
    }

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
