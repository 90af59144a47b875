package wales.exchange.magnolia;

import info.magnolia.ui.ValueContext;
import info.magnolia.ui.api.action.AbstractAction;
import info.magnolia.ui.api.action.ActionExecutionException;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Collectors;
import javax.jcr.Node;
import javax.jcr.RepositoryException;
import wales.exchange.moderation.Account;
import wales.exchange.moderation.ModerationService;
import wales.exchange.moderation.State;

/**
 * Moves the items selected in a content app to the action's {@code target} state through the same
 * {@link ModerationService#transition} as the moderation API, as the current Magnolia user ({@link CurrentAccount}):
 * the workflow (allowed moves per role, four-eyes, Welsh completeness, revisions) is enforced there, not here. A refusal
 * is an {@link ActionExecutionException} whose message is the service's.
 */
public class ModerationAction extends AbstractAction<ModerationActionDefinition> {
    private final ValueContext<Node> selection;
    private final ModerationService service;
    private final CurrentAccount account;

    @Inject
    public ModerationAction(ModerationActionDefinition definition, ValueContext<Node> selection, ModerationService service,
                            CurrentAccount account) {
        super(definition);
        this.selection = selection;
        this.service = service;
        this.account = account;
    }

    @Override
    public void execute() throws ActionExecutionException {
        State to = State.parse(getDefinition().getTarget())
                .orElseThrow(() -> new ActionExecutionException("unknown target state " + getDefinition().getTarget(), null));
        Account actor = account.get();
        List<Node> nodes = selection.get().collect(Collectors.toList());
        for (Node node : nodes) {
            try {
                String id = node.getIdentifier();
                long revision = service.detail(node.getSession(), id)
                        .orElseThrow(() -> new ActionExecutionException("no such item " + id, null)).item().revision();
                service.transition(node.getSession(), id, revision, to, null, actor);
            } catch (RepositoryException | RuntimeException e) {
                throw new ActionExecutionException(e.getMessage(), e);
            }
        }
    }
}
