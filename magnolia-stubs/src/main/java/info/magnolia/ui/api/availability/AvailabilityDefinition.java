package info.magnolia.ui.api.availability;

/**
 * Stand-in for {@code info.magnolia.ui.api.availability.AvailabilityDefinition}, the {@code availability} of an action;
 * a custom rule's constructor takes it first (merkle-open/magnolia-dynamic-builder, commit b335d2d,
 * {@code PermissionRequiredRule(AvailabilityDefinition, PermissionRequiredRuleDefinition, ...)}). No methods mirrored.
 */
public interface AvailabilityDefinition {
}
