package wales.exchange.moderation;

import static wales.exchange.moderation.State.APPROVED;
import static wales.exchange.moderation.State.DRAFT;
import static wales.exchange.moderation.State.IN_REVIEW;
import static wales.exchange.moderation.State.PUBLISHED;
import static wales.exchange.moderation.State.REJECTED;
import static wales.exchange.moderation.State.WITHDRAWN;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import wales.exchange.intake.IntakeTypes;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;

/**
 * The one state machine of contributions, comments and editorial content, free of JCR: which transitions exist, who
 * may make them, and the rules that gate them (a reason for a rejection, four-eyes and bilingual completeness for an
 * approval). {@link ModerationService} asks {@link #check} before it writes anything.
 *
 * <p>Editing an item's content is not a transition: {@link #checkEdit} says who may edit in which state
 * ({@link #EDITABLE}), {@link #editable} which fields, and an edit makes its author one of the item's makers, whom
 * four-eyes keeps from approving it ({@link #editorsSincePublication}).
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

    /**
     * The states in which an item's content may be edited: a draft, and an item in review (whoever edits it then may
     * not approve it). Not approved (what was approved would no longer be what is published: withdraw it and rework it to a draft), not
     * published (an edit would go live unreviewed: withdraw and rework it), not rejected or withdrawn (rework it to a
     * draft first, so that the refused version stays what was refused).
     */
    public static final Set<State> EDITABLE = EnumSet.of(DRAFT, IN_REVIEW);
    /** The least role that may edit an item's content. */
    public static final Role EDIT_ROLE = Role.EDITOR;
    /** The audit action of an edit. */
    public static final String EDIT = "edit";

    /**
     * Whether someone holding {@code roles} may edit an item in {@code state}: nothing, or a {@link WorkflowException}
     * {@code notPermitted} (the role) or {@code notEditable} (the state).
     */
    public static void checkEdit(State state, Collection<Role> roles) {
        if (!EDIT_ROLE.heldBy(roles)) {
            throw new WorkflowException("notPermitted", "editing needs the role " + EDIT_ROLE.tag());
        }
        if (!EDITABLE.contains(state)) {
            throw new WorkflowException("notEditable", "an item " + state.tag() + " cannot be edited");
        }
    }

    /** {@link #checkEdit} as a question: whether the edit form is offered. */
    public static boolean mayEdit(State state, Collection<Role> roles) {
        return EDIT_ROLE.heldBy(roles) && EDITABLE.contains(state);
    }

    /**
     * Whether property {@code p} of {@code type} may be edited through moderation: not personal data (the model's
     * private fields: a contributor's name, email and organisation, a commenter's email; and the private link of a
     * draft to its source contribution), not the state (transitions move it), not what only the contributor can say
     * of a contribution: their upload (the attachment) and their consents (to publish, to be contacted), and not what
     * a commenter commented on (a comment's target: moving a reader's comment would publish it somewhere they did not
     * write it).
     */
    public static boolean editable(ContentType type, PropertyDef p) {
        return p != null && !p.privateField() && !p.name().equals(ContentModel.MODERATION_STATE)
                && !(type.name().equals(IntakeTypes.CONTRIBUTION) && CONTRIBUTORS_OWN.contains(p.name()))
                && !(type.name().equals(IntakeTypes.COMMENT) && p.name().equals(IntakeTypes.TARGET));
    }

    /** What only the contributor can say of a contribution. */
    private static final Set<String> CONTRIBUTORS_OWN = Set.of(IntakeTypes.ATTACHMENT, IntakeTypes.CONSENT_TO_PUBLISH,
            IntakeTypes.CONSENT_TO_CONTACT);

    /**
     * Who edited the item since it was last published, from its audit trail (oldest entry first): the actors of
     * {@value #EDIT} entries after the last transition to published. With the item's own list of editors, these are
     * makers that four-eyes keeps from approving it; the audit trail is append-only and out of reach of content
     * writes, so an edit through the moderation API counts whatever later writes do to the item.
     */
    public static List<String> editorsSincePublication(List<ModerationService.HistoryEntry> history) {
        Set<String> out = new LinkedHashSet<>();
        for (ModerationService.HistoryEntry h : history) {
            if ("transition".equals(h.action()) && State.PUBLISHED.tag().equals(h.to())) {
                out.clear();
            } else if (EDIT.equals(h.action()) && h.actor() != null) {
                out.add(h.actor());
            }
        }
        return List.copyOf(out);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
