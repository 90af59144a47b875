package wales.exchange.magnolia;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.Locale;
import javax.jcr.Node;
import javax.jcr.RepositoryException;
import wales.exchange.model.ContentModel;
import wales.exchange.moderation.ModerationService;
import wales.exchange.moderation.Role;
import wales.exchange.moderation.State;
import wales.exchange.moderation.Workflow;

/**
 * What a moderation action of the content apps does ({@code operation} of its definition and of its availability
 * rule): a transition to a {@code target} state, a claim, an assignment, a schedule. {@link #offered} says whether the
 * action is offered for an item in a state to a user with roles, from the same rules the {@link ModerationService}
 * enforces ({@link Workflow#next}, {@link ModerationService#mayAssign}, {@link ModerationService#schedulable}), so the
 * action bar cannot offer what the service refuses for the state or the role (four-eyes, a reason and Welsh
 * completeness are checked only by the service, when the action runs).
 */
public enum AppOperation {
    TRANSITION, CLAIM, ASSIGN, SCHEDULE;

    /** UK time: a date-time field's local value is read in it ({@code dateField} with {@code time: true}). */
    public static final ZoneId UK = ZoneId.of("Europe/London");

    public static AppOperation parse(String name) {
        return name == null || name.isBlank() ? TRANSITION : valueOf(name.strip().toUpperCase(Locale.ROOT));
    }

    /** Whether the action is offered for an item in {@code current} to someone holding {@code roles}. */
    public boolean offered(State target, State current, Collection<Role> roles) {
        return switch (this) {
            case TRANSITION -> target != null && Workflow.next(current, roles).contains(target);
            case CLAIM, ASSIGN -> ModerationService.mayAssign(roles);
            case SCHEDULE -> ModerationService.mayAssign(roles)
                    && (ModerationService.schedulable(current, true) || ModerationService.schedulable(current, false));
        };
    }

    /** The workflow state of an item node ({@code moderationState}); draft when it has none yet. */
    public static State stateOf(Node node) throws RepositoryException {
        if (!node.hasProperty(ContentModel.MODERATION_STATE)) {
            return State.DRAFT;
        }
        return State.parse(node.getProperty(ContentModel.MODERATION_STATE).getString()).orElse(State.DRAFT);
    }

    /** A date-time field's value as an instant: a local date-time is UK time; empty (null) clears. */
    public static OffsetDateTime dateTime(Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof ZonedDateTime z) {
            return z.toOffsetDateTime();
        }
        if (value instanceof LocalDateTime l) {
            return l.atZone(UK).toOffsetDateTime();
        }
        if (value instanceof Calendar c) {
            return c.toInstant().atZone(UK).toOffsetDateTime();
        }
        if (value instanceof Date d) {
            return d.toInstant().atZone(UK).toOffsetDateTime();
        }
        throw new IllegalArgumentException("not a date and time: " + value.getClass().getSimpleName());
    }
}
