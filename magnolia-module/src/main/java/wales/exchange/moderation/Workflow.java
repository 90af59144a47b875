package wales.exchange.moderation;

import static wales.exchange.moderation.State.APPROVED;
import static wales.exchange.moderation.State.DRAFT;
import static wales.exchange.moderation.State.IN_REVIEW;
import static wales.exchange.moderation.State.PUBLISHED;
import static wales.exchange.moderation.State.REJECTED;
import static wales.exchange.moderation.State.WITHDRAWN;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The one state machine of contributions, comments and editorial content, free of JCR: which transitions exist, who
 * may make them, and the rules that gate them (a reason for a rejection, four-eyes and bilingual completeness for an
 * approval). {@link ModerationService} asks {@link #check} before it writes anything.
 */
public final class Workflow {
    private Workflow() {
    }

    /** One allowed step: from, to, the least role that may take it, whether a reason is required, whether it approves. */
    public record Transition(State from, State to, Role role, boolean reasonRequired, boolean approves) {
    }

    public static final List<Transition> TRANSITIONS = List.of(
            new Transition(DRAFT, IN_REVIEW, Role.EDITOR, false, false),          // submit for review
            new Transition(IN_REVIEW, APPROVED, Role.MODERATOR, false, true),     // approve (accept a contribution)
            new Transition(IN_REVIEW, PUBLISHED, Role.MODERATOR, false, true),    // approve and publish at once
            new Transition(IN_REVIEW, REJECTED, Role.MODERATOR, true, false),     // decline, with a reason
            new Transition(IN_REVIEW, DRAFT, Role.MODERATOR, true, false),        // send back for changes, with a reason
            new Transition(IN_REVIEW, WITHDRAWN, Role.MODERATOR, false, false),   // withdrawn (e.g. at the contributor's wish)
            new Transition(APPROVED, PUBLISHED, Role.MODERATOR, false, false),    // publish (now or at a scheduled time)
            new Transition(APPROVED, WITHDRAWN, Role.MODERATOR, false, false),
            new Transition(PUBLISHED, WITHDRAWN, Role.MODERATOR, false, false),   // unpublish
            new Transition(REJECTED, DRAFT, Role.EDITOR, false, false),           // rework
            new Transition(WITHDRAWN, DRAFT, Role.EDITOR, false, false));

    /**
     * What is asked: by {@code actor} holding {@code roles}, item of {@code typeName} from {@code from} to {@code to};
     * the people who made the item ({@code createdBy}, {@code lastModifiedBy}, {@code submittedBy} and {@code editors},
     * everyone who edited it since it was last published: none of them may approve it), the reason given and the Welsh
     * fields still empty (from {@link Completeness}).
     */
    public record Request(State from, State to, String actor, Collection<Role> roles, String createdBy,
                          String lastModifiedBy, String submittedBy, Collection<String> editors, String reason,
                          List<String> missingWelsh) {
        /** A request with no editors beyond {@code lastModifiedBy}. */
        public Request(State from, State to, String actor, Collection<Role> roles, String createdBy,
                       String lastModifiedBy, String submittedBy, String reason, List<String> missingWelsh) {
            this(from, to, actor, roles, createdBy, lastModifiedBy, submittedBy, List.of(), reason, missingWelsh);
        }
    }

    /** The transition from {@code from} to {@code to}, if the machine has one. */
    public static Transition find(State from, State to) {
        for (Transition t : TRANSITIONS) {
            if (t.from() == from && t.to() == to) {
                return t;
            }
        }
        return null;
    }

    /** The states reachable from {@code from} by someone holding {@code roles}. */
    public static List<State> next(State from, Collection<Role> roles) {
        List<State> out = new ArrayList<>();
        for (Transition t : TRANSITIONS) {
            if (t.from() == from && t.role().heldBy(roles)) {
                out.add(t.to());
            }
        }
        return out;
    }

    /** The transition {@code r} asks for, or a {@link WorkflowException} saying why it is refused. */
    public static Transition check(Request r) {
        Transition t = find(r.from(), r.to());
        if (t == null) {
            throw new WorkflowException("invalidTransition", "no transition from " + r.from().tag() + " to " + r.to().tag());
        }
        if (!t.role().heldBy(r.roles())) {
            throw new WorkflowException("notPermitted", "moving to " + r.to().tag() + " needs the role " + t.role().tag());
        }
        if (t.reasonRequired() && (r.reason() == null || r.reason().isBlank())) {
            throw new WorkflowException("reasonRequired", "moving to " + r.to().tag() + " needs a reason");
        }
        if (t.approves()) {
            List<String> makers = new ArrayList<>(List.of(nonNull(r.createdBy()), nonNull(r.lastModifiedBy()), nonNull(r.submittedBy())));
            makers.addAll(r.editors() == null ? List.of() : r.editors());
            for (String maker : makers) {
                if (!maker.isEmpty() && Objects.equals(maker, r.actor())) {
                    throw new WorkflowException("fourEyes", r.actor() + " made, edited or submitted this item");
                }
            }
            if (!r.missingWelsh().isEmpty()) {
                throw new WorkflowException("welshMissing", "Welsh text missing: " + r.missingWelsh(), r.missingWelsh());
            }
        }
        return t;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
