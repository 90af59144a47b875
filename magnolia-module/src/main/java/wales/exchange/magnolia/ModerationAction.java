package wales.exchange.magnolia;

import info.magnolia.ui.ValueContext;
import info.magnolia.ui.api.action.AbstractAction;
import info.magnolia.ui.api.action.ActionExecutionException;
import jakarta.inject.Inject;
import java.util.stream.Collectors;
import javax.jcr.Node;
import wales.exchange.moderation.Authenticator;
import wales.exchange.moderation.ModerationService;

/**
 * A moderation action of the content apps' browser that needs no input: moves the selected items to the action's
 * {@code target} state, or claims them ({@code operation: claim}), through the same {@link ModerationService} as the
 * moderation API, as the current Magnolia user ({@link CurrentAccount}): the workflow (allowed moves per role,
 * four-eyes, Welsh completeness, revisions) is enforced there, not here ({@link AppModeration}). Which actions are
 * offered follows the item's state and the user's roles ({@link ModerationRule}).
 */
public class ModerationAction extends AbstractAction<ModerationActionDefinition> {
    private final ValueContext<Node> selection;
    private final ModerationService service;
    private final CurrentAccount account;
    private final Authenticator users;

    @Inject
    public ModerationAction(ModerationActionDefinition definition, ValueContext<Node> selection, ModerationService service,
                            CurrentAccount account, Authenticator users) {
        super(definition);
        this.selection = selection;
        this.service = service;
        this.account = account;
        this.users = users;
    }

    @Override
    public void execute() throws ActionExecutionException {
        AppOperation op = AppOperation.parse(getDefinition().getOperation());
        if (op == AppOperation.ASSIGN || op == AppOperation.SCHEDULE) {
            throw new ActionExecutionException(op + " needs a dialog (ModerationDialogAction)", null);
        }
        AppModeration.run(op, AppModeration.Input.transition(AppModeration.target(getDefinition().getTarget()), null),
                selection.get().collect(Collectors.toList()), service, account.get(), users);
    }
}
