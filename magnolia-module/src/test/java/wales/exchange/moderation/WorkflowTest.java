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

    @Test
    void editingIsForEditorsAndUpAndOnlyInDraftOrReview() {
        for (State s : State.values()) {
            boolean editable = s == State.DRAFT || s == State.IN_REVIEW;
            for (Set<Role> roles : List.of(EDITOR, MODERATOR, Set.of(Role.ADMINISTRATOR))) {
                if (editable) {
                    Workflow.checkEdit(s, roles);
                } else {
                    assertThatThrownBy(() -> Workflow.checkEdit(s, roles)).as("%s", s)
                            .isInstanceOfSatisfying(WorkflowException.class, e -> assertThat(e.code()).isEqualTo("notEditable"));
                }
            }
            assertThatThrownBy(() -> Workflow.checkEdit(s, Set.of(Role.CONTRIBUTOR)))
                    .isInstanceOfSatisfying(WorkflowException.class, e -> assertThat(e.code()).isEqualTo("notPermitted"));
            assertThatThrownBy(() -> Workflow.checkEdit(s, Set.of()))
                    .isInstanceOfSatisfying(WorkflowException.class, e -> assertThat(e.code()).isEqualTo("notPermitted"));
        }
    }

    @Test
    void personalDataTheStateAndASourceLinkAreNotEditable() {
        var model = wales.exchange.model.ModelLoader.fromClasspath(getClass().getClassLoader());
        var contribution = model.get("contribution");
        for (String name : List.of("contributorName", "contributorEmail", "organisation", "attachment", "consentToPublish",
                "consentToContact", "moderationState")) {
            assertThat(Workflow.editable(contribution, contribution.property(name))).as(name).isFalse();
        }
        for (String name : List.of("title", "description", "links", "category", "licence")) {
            assertThat(Workflow.editable(contribution, contribution.property(name))).as(name).isTrue();
        }
        var resource = model.get("resource");
        assertThat(Workflow.editable(resource, resource.property("sourceContribution"))).isFalse();
        assertThat(Workflow.editable(resource, resource.property("title"))).isTrue();
        assertThat(Workflow.editable(model.get("comment"), model.get("comment").property("email"))).isFalse();
        // a case study's consent is the editor's record of the organisation's, not a contributor's declaration
        assertThat(Workflow.editable(model.get("caseStudy"), model.get("caseStudy").property("consentToPublish"))).isTrue();
    }

    private static ModerationService.HistoryEntry entry(String actor, String action, String to) {
        return new ModerationService.HistoryEntry(java.time.OffsetDateTime.now(), actor, action, null, to, null);
    }

    @Test
    void fourEyesWhoEditedSinceTheLastPublicationCannotApprove() {
        List<ModerationService.HistoryEntry> history = List.of(
                entry("early", "edit", null),
                entry("mo", "transition", "published"),       // a publication: earlier edits were approved by someone else
                entry("ed", "transition", "draft"),
                entry("mo", "edit", null),
                entry("ed", "transition", "in-review"),
                entry("x", "claim", null));
        assertThat(Workflow.editorsSincePublication(history)).containsExactly("mo");
        // an edit counts even when someone else created, last modified and submitted the item
        List<String> editors = Workflow.editorsSincePublication(history);
        for (State to : new State[] {State.APPROVED, State.PUBLISHED}) {
            assertThatThrownBy(() -> Workflow.check(new Workflow.Request(State.IN_REVIEW, to, "mo", MODERATOR, "ed", "ed", "ed", editors,
                    null, List.of())))
                    .isInstanceOfSatisfying(WorkflowException.class, e -> assertThat(e.code()).isEqualTo("fourEyes"));
        }
        assertThat(Workflow.check(new Workflow.Request(State.IN_REVIEW, State.APPROVED, "other", MODERATOR, "ed", "ed", "ed", editors,
                null, List.of())).approves()).isTrue();
        assertThat(Workflow.check(new Workflow.Request(State.IN_REVIEW, State.APPROVED, "early", MODERATOR, "ed", "ed", "ed", editors,
                null, List.of())).approves()).as("edited before the last publication").isTrue();
        // rejecting or sending back what one edited is allowed: it publishes nothing
        assertThat(Workflow.check(new Workflow.Request(State.IN_REVIEW, State.DRAFT, "mo", MODERATOR, "ed", "ed", "ed", editors,
                "more work", List.of())).to()).isEqualTo(State.DRAFT);
    }
}
