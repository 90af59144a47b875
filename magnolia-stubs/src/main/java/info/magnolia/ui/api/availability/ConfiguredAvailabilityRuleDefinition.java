package info.magnolia.ui.api.availability;

/**
 * Stand-in for {@code info.magnolia.ui.api.availability.ConfiguredAvailabilityRuleDefinition}: the definition of one
 * entry of an action's {@code availability.rules}, with {@code implementationClass} (the rule) and {@code negate}.
 * Sources: merkle-open/magnolia-dynamic-builder (6.x) {@code AvailabilityRuleBuilder().implementationClass(...)},
 * {@code JcrIsNotDeletedRuleDefinition} ({@code setNegate(true)}); Magnolia's form module
 * ({@code CanMoveAboveBelowRuleDefinition extends ConfiguredAvailabilityRuleDefinition}). A subset.
 */
public class ConfiguredAvailabilityRuleDefinition {
    private Class<?> implementationClass;
    private boolean negate;

    public Class<?> getImplementationClass() {
        return implementationClass;
    }

    public void setImplementationClass(Class<?> implementationClass) {
        this.implementationClass = implementationClass;
    }

    public boolean isNegate() {
        return negate;
    }

    public void setNegate(boolean negate) {
        this.negate = negate;
    }
}
