package wales.exchange.magnolia;

import info.magnolia.ui.CloseHandler;
import info.magnolia.ui.ValueContext;
import info.magnolia.ui.api.action.AbstractAction;
import info.magnolia.ui.api.action.ActionExecutionException;
import info.magnolia.ui.editor.FormView;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.jcr.Node;
import wales.exchange.moderation.Authenticator;
import wales.exchange.moderation.ModerationService;

/**
 * The commit action of the moderation dialogs (dialogs/moderation/*.yaml): reject with the form's {@code reason},
 * assign to the form's {@code assignee} (empty: nobody), schedule with the form's {@code publishAt} and
 * {@code unpublishAt} (empty: cleared; a local date-time is UK time), for the items the dialog was opened on, through
 * the same {@link ModerationService} as the moderation API ({@link AppModeration}); then closes the dialog. A refusal
 * (four-eyes, no reason, a transition the workflow does not have, no such moderator, a bad schedule) leaves the dialog
 * open with the service's message.
 */
public class ModerationDialogAction extends AbstractAction<ModerationDialogActionDefinition> {
    static final String REASON = "reason";
    static final String ASSIGNEE = "assignee";
    static final String PUBLISH_AT = "publishAt";
    static final String UNPUBLISH_AT = "unpublishAt";

    private final CloseHandler closeHandler;
    private final ValueContext<Node> selection;
    private final FormView<Node> form;
    private final ModerationService service;
    private final CurrentAccount account;
    private final Authenticator users;

    @Inject
    public ModerationDialogAction(ModerationDialogActionDefinition definition, CloseHandler closeHandler,
                                  ValueContext<Node> selection, FormView<Node> form, ModerationService service,
                                  CurrentAccount account, Authenticator users) {
        super(definition);
        this.closeHandler = closeHandler;
        this.selection = selection;
        this.form = form;
        this.service = service;
        this.account = account;
        this.users = users;
    }

    @Override
    public void execute() throws ActionExecutionException {
        AppOperation op = AppOperation.parse(getDefinition().getOperation());
        AppModeration.Input in;
        try {
            in = new AppModeration.Input(AppModeration.target(getDefinition().getTarget()), text(REASON), text(ASSIGNEE),
                    AppOperation.dateTime(value(PUBLISH_AT)), AppOperation.dateTime(value(UNPUBLISH_AT)));
        } catch (IllegalArgumentException e) {
            throw new ActionExecutionException(e.getMessage(), e);
        }
        AppModeration.run(op, in, selection.get().collect(Collectors.toList()), service, account.get(), users);
        closeHandler.close();
    }

    private Object value(String field) {
        Optional<Object> v = form.getPropertyValue(field);
        return v == null ? null : v.orElse(null);
    }

    /** A text field's value, stripped; blank is none. */
    private String text(String field) {
        Object v = value(field);
        if (v == null || String.valueOf(v).isBlank()) {
            return null;
        }
        return String.valueOf(v).strip();
    }
}
