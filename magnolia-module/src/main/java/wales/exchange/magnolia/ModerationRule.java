package wales.exchange.magnolia;

import info.magnolia.ui.api.availability.AvailabilityDefinition;
import info.magnolia.ui.availability.rule.AbstractJcrRule;
import jakarta.inject.Inject;
import javax.jcr.Item;
import javax.jcr.Node;
import javax.jcr.RepositoryException;
import wales.exchange.moderation.Account;
import wales.exchange.moderation.ModerationService;
import wales.exchange.moderation.State;

/**
 * Offers a moderation action only for items in a state where the workflow has that move for the current Magnolia
 * user's exchange-* roles ({@link AppOperation#offered}, from {@link wales.exchange.moderation.Workflow} and the
 * service's own rules; claim not on an item someone else holds). Magnolia asks it for every selected item (a Magnolia 6 UI {@code AbstractJcrRule}).
 */
public class ModerationRule extends AbstractJcrRule<ModerationRuleDefinition> {
    private final CurrentAccount account;

    @Inject
    public ModerationRule(AvailabilityDefinition availability, ModerationRuleDefinition definition, CurrentAccount account) {
        super(availability, definition);
        this.account = account;
    }

    @Override
    protected boolean isAvailableForJcrItem(Item item) throws RepositoryException {
        if (!item.isNode()) {
            return false;
        }
        State target = getRuleDefinition().getTarget() == null ? null
                : State.parse(getRuleDefinition().getTarget()).orElse(null);
        Account actor = account.get();
        AppOperation op = AppOperation.parse(getRuleDefinition().getOperation());
        Node node = (Node) item;
        if (!op.offered(target, AppOperation.stateOf(node), actor.roles())) {
            return false;
        }
        // claim: not on an item someone else holds (the service refuses it: alreadyClaimed)
        return op != AppOperation.CLAIM || ModerationService.claimable(node.getSession(), node.getIdentifier(), actor.name());
    }
}
