package wales.exchange.magnolia;

import info.magnolia.ui.api.action.ActionExecutionException;
import java.time.OffsetDateTime;
import java.util.List;
import javax.jcr.Node;
import javax.jcr.RepositoryException;
import wales.exchange.moderation.Account;
import wales.exchange.moderation.Authenticator;
import wales.exchange.moderation.ModerationService;
import wales.exchange.moderation.State;

/**
 * What the content apps' moderation actions do, for each selected item, through the same {@link ModerationService}
 * calls as the moderation API ({@code transition}, {@code assign}, {@code schedule}): every rule (roles, four-eyes, a
 * reason, Welsh completeness, schedules, revisions) is the service's. A refusal becomes an
 * {@link ActionExecutionException} with the service's message and exception as its cause.
 */
final class AppModeration {
    private AppModeration() {
    }

    /** The input of one action: target state and reason (transition), assignee (assign), dates (schedule). */
    record Input(State target, String reason, String assignee, OffsetDateTime publishAt, OffsetDateTime unpublishAt) {
        static Input transition(State target, String reason) {
            return new Input(target, reason, null, null, null);
        }
    }

    static void run(AppOperation op, Input in, List<Node> nodes, ModerationService service, Account actor,
                    Authenticator users) throws ActionExecutionException {
        for (Node node : nodes) {
            try {
                String id = node.getIdentifier();
                switch (op) {
                    case TRANSITION -> {
                        if (in.target() == null) {
                            throw new ActionExecutionException("no target state", null);
                        }
                        long revision = service.detail(node.getSession(), id)
                                .orElseThrow(() -> new ActionExecutionException("no such item " + id, null)).item().revision();
                        service.transition(node.getSession(), id, revision, in.target(), in.reason(), actor);
                    }
                    case CLAIM -> service.assign(node.getSession(), id, actor.name(), true, actor, users);
                    case ASSIGN -> service.assign(node.getSession(), id, in.assignee(), false, actor, users);
                    case SCHEDULE -> service.schedule(node.getSession(), id, in.publishAt(), in.unpublishAt(), actor);
                }
            } catch (RepositoryException | RuntimeException e) {
                throw new ActionExecutionException(e.getMessage(), e);
            }
        }
    }

    static State target(String tag) throws ActionExecutionException {
        if (tag == null) {
            return null;
        }
        return State.parse(tag).orElseThrow(() -> new ActionExecutionException("unknown target state " + tag, null));
    }
}
