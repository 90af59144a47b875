package info.magnolia.ui.availability.rule;

import info.magnolia.ui.api.availability.AvailabilityDefinition;
import info.magnolia.ui.api.availability.ConfiguredAvailabilityRuleDefinition;
import java.util.Collection;
import javax.jcr.Item;
import javax.jcr.RepositoryException;

/**
 * Stand-in for {@code info.magnolia.ui.availability.rule.AbstractJcrRule<D>} (Magnolia 6 UI): a rule over the selected
 * JCR items, constructed with {@code (AvailabilityDefinition, D)}; {@code isAvailable(Collection<?>)} is true when
 * {@code isAvailableForJcrItem} is true for every selected item; {@code getRuleDefinition()}. Source:
 * merkle-open/magnolia-dynamic-builder (commit b335d2d) {@code PermissionRequiredRule extends
 * AbstractJcrRule<PermissionRequiredRuleDefinition>} (its constructor, {@code super.isAvailable(items)},
 * {@code isAvailableForJcrItem(Item) throws RepositoryException}, {@code getRuleDefinition()}). The body below is the
 * stand-in's own: every item must pass; none selected is not available.
 */
public abstract class AbstractJcrRule<D extends ConfiguredAvailabilityRuleDefinition> {
    private final AvailabilityDefinition availabilityDefinition;
    private final D ruleDefinition;

    protected AbstractJcrRule(AvailabilityDefinition availabilityDefinition, D ruleDefinition) {
        this.availabilityDefinition = availabilityDefinition;
        this.ruleDefinition = ruleDefinition;
    }

    public boolean isAvailable(Collection<?> items) {
        if (items.isEmpty()) {
            return false;
        }
        for (Object item : items) {
            try {
                if (!(item instanceof Item) || !isAvailableForJcrItem((Item) item)) {
                    return false;
                }
            } catch (RepositoryException e) {
                return false;
            }
        }
        return true;
    }

    protected abstract boolean isAvailableForJcrItem(Item item) throws RepositoryException;

    public D getRuleDefinition() {
        return ruleDefinition;
    }

    public AvailabilityDefinition getAvailabilityDefinition() {
        return availabilityDefinition;
    }
}
