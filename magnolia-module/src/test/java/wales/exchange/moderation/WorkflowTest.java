package wales.exchange.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The state machine and its rules, without JCR. */
class WorkflowTest {
    private static final Set<Role> MODERATOR = Set.of(Role.MODERATOR);
    private static final Set<Role> EDITOR = Set.of(Role.EDITOR);

    private static Workflow.Request ask(State from, State to, String actor, Set<Role> roles, String reason) {
        return new Workflow.Request(from, to, actor, roles, "ed", "ed", "ed", reason, List.of());
    }

    @Test
    void theHappyPathDraftToPublished() {
        assertThat(Workflow.check(ask(State.DRAFT, State.IN_REVIEW, "ed", EDITOR, null)).to()).isEqualTo(State.IN_REVIEW);
        assertThat(Workflow.check(ask(State.IN_REVIEW, State.APPROVED, "mo", MODERATOR, null)).approves()).isTrue();
        assertThat(Workflow.check(ask(State.APPROVED, State.PUBLISHED, "mo", MODERATOR, null)).to()).isEqualTo(State.PUBLISHED);
        assertThat(Workflow.check(ask(State.PUBLISHED, State.WITHDRAWN, "mo", MODERATOR, null)).to()).isEqualTo(State.WITHDRAWN);
        assertThat(Workflow.check(ask(State.WITHDRAWN, State.DRAFT, "ed", EDITOR, null)).to()).isEqualTo(State.DRAFT);
    }

    @Test
    void invalidTransitionsAreRefused() {
        for (State[] bad : new State[][] {{State.DRAFT, State.PUBLISHED}, {State.DRAFT, State.APPROVED}, {State.REJECTED, State.PUBLISHED},
                {State.PUBLISHED, State.APPROVED}, {State.WITHDRAWN, State.PUBLISHED}, {State.PUBLISHED, State.PUBLISHED}}) {
            assertThatThrownBy(() -> Workflow.check(ask(bad[0], bad[1], "admin", Set.of(Role.ADMINISTRATOR), "why")))
                    .isInstanceOfSatisfying(WorkflowException.class, e -> assertThat(e.code()).isEqualTo("invalidTransition"));
        }
    }

    @Test
    void everyStateButPublishedLeadsSomewhereAndNothingSkipsReview() {
        for (State s : State.values()) {
            assertThat(Workflow.next(s, Set.of(Role.ADMINISTRATOR))).as("from %s", s).isNotEmpty();
        }
        // the only ways into approved or published pass an approving step or come from approved
        for (Workflow.Transition t : Workflow.TRANSITIONS) {
            if (t.to() == State.APPROVED || t.to() == State.PUBLISHED && t.from() != State.APPROVED) {
                assertThat(t.approves()).as("%s", t).isTrue();
            }
        }
    }

    @Test
    void rolesRiseAndEditorsCannotDecide() {
        assertThatThrownBy(() -> Workflow.check(ask(State.IN_REVIEW, State.APPROVED, "ed2", EDITOR, null)))
                .isInstanceOfSatisfying(WorkflowException.class, e -> assertThat(e.code()).isEqualTo("notPermitted"));
        assertThatThrownBy(() -> Workflow.check(ask(State.DRAFT, State.IN_REVIEW, "c", Set.of(Role.CONTRIBUTOR), null)))
                .isInstanceOfSatisfying(WorkflowException.class, e -> assertThat(e.code()).isEqualTo("notPermitted"));
        assertThat(Workflow.check(ask(State.DRAFT, State.IN_REVIEW, "mo", MODERATOR, null))).isNotNull();
        assertThat(Workflow.next(State.IN_REVIEW, EDITOR)).isEmpty();
        assertThat(Workflow.next(State.IN_REVIEW, MODERATOR)).contains(State.APPROVED, State.REJECTED);
    }

    @Test
    void rejectingNeedsAReason() {
        for (String none : new String[] {null, "", "   "}) {
            assertThatThrownBy(() -> Workflow.check(ask(State.IN_REVIEW, State.REJECTED, "mo", MODERATOR, none)))
                    .isInstanceOfSatisfying(WorkflowException.class, e -> assertThat(e.code()).isEqualTo("reasonRequired"));
        }
        assertThat(Workflow.check(ask(State.IN_REVIEW, State.REJECTED, "mo", MODERATOR, "Out of scope")).to()).isEqualTo(State.REJECTED);
    }

    @Test
    void fourEyesNobodyApprovesTheirOwnSubmissionOrEdit() {
        for (String[] makers : new String[][] {{"mo", "x", "y"}, {"x", "mo", "y"}, {"x", "y", "mo"}}) {
            for (State to : new State[] {State.APPROVED, State.PUBLISHED}) {
                assertThatThrownBy(() -> Workflow.check(new Workflow.Request(State.IN_REVIEW, to, "mo", MODERATOR, makers[0], makers[1],
                        makers[2], null, List.of())))
                        .isInstanceOfSatisfying(WorkflowException.class, e -> assertThat(e.code()).isEqualTo("fourEyes"));
            }
        }
        // rejecting one's own is allowed (it publishes nothing); publishing what another approved is too
        assertThat(Workflow.check(new Workflow.Request(State.IN_REVIEW, State.REJECTED, "mo", MODERATOR, "mo", "mo", "mo", "no", List.of()))).isNotNull();
        assertThat(Workflow.check(new Workflow.Request(State.APPROVED, State.PUBLISHED, "mo", MODERATOR, "mo", "mo", "mo", null, List.of()))).isNotNull();
        // an anonymous contribution (no maker known) can be approved
        assertThat(Workflow.check(new Workflow.Request(State.IN_REVIEW, State.APPROVED, "mo", MODERATOR, null, null, null, null, List.of()))).isNotNull();
    }

    @Test
    void approvingNeedsTheWelshText() {
        assertThatThrownBy(() -> Workflow.check(new Workflow.Request(State.IN_REVIEW, State.APPROVED, "mo", MODERATOR, "ed", "ed", "ed",
                null, List.of("title", "summary"))))
                .isInstanceOfSatisfying(WorkflowException.class, e -> {
                    assertThat(e.code()).isEqualTo("welshMissing");
                    assertThat(e.fields()).containsExactly("title", "summary");
                });
        // rejecting does not
        assertThat(Workflow.check(new Workflow.Request(State.IN_REVIEW, State.REJECTED, "mo", MODERATOR, "ed", "ed", "ed",
                "not Welsh", List.of("title")))).isNotNull();
    }

    @Test
    void statesAreTheModelsOptions() {
        var model = wales.exchange.model.ModelLoader.fromClasspath(getClass().getClassLoader());
        List<String> tags = java.util.Arrays.stream(State.values()).map(State::tag).toList();
        for (var type : model.types()) {
            assertThat(type.property(wales.exchange.model.ContentModel.MODERATION_STATE).options()).as(type.name()).isEqualTo(tags);
        }
        assertThat(model.get("contribution").property("moderationState").defaultValue()).isEqualTo("in-review");
        assertThat(model.get("comment").property("moderationState").defaultValue()).isEqualTo("in-review");
        assertThat(model.get("resource").property("moderationState").defaultValue()).isEqualTo("draft");
    }
}
