package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import info.magnolia.ui.CloseHandler;
import info.magnolia.ui.ValueContext;
import info.magnolia.ui.api.action.ActionExecutionException;
import info.magnolia.ui.editor.FormView;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.jcr.Node;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import wales.exchange.content.ContentService;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ModelLoader;
import wales.exchange.moderation.Account;
import wales.exchange.moderation.Authenticator;
import wales.exchange.moderation.ModerationEvents;
import wales.exchange.moderation.ModerationException;
import wales.exchange.moderation.ModerationService;
import wales.exchange.moderation.Role;
import wales.exchange.moderation.State;
import wales.exchange.moderation.Workflow;
import wales.exchange.moderation.WorkflowException;

/**
 * Issue 13: the content apps' moderation actions (browser actions and dialog commit actions) go through the moderation
 * service, so its rules hold below the UI: four-eyes, a reason, the workflow's moves and the roles; and their
 * availability rule is true exactly where the workflow and the service allow the move (table-driven over every state,
 * role and action, against {@link Workflow#TRANSITIONS} and against the real service). Real Jackrabbit; the Magnolia
 * edges (the selection, the dialog's form, its close handler, the current user) are Mockito mocks and plain values.
 */
@ExtendWith(JcrExtension.class)
class ModerationActionTest {
    private final ContentService content = new ContentService(ModelLoader.fromClasspath(getClass().getClassLoader()), Clock.systemUTC());
    private final ModerationService service = new ModerationService(content, Clock.systemUTC(), new ModerationEvents.None());
    private final Map<String, Set<Role>> users = Map.of("alice", Set.of(Role.EDITOR, Role.MODERATOR), "bob", Set.of(Role.MODERATOR),
            "carol", Set.of(Role.ADMINISTRATOR), "erin", Set.of(Role.EDITOR));
    private final Authenticator authenticator = new Authenticator() {
        @Override
        public Optional<Account> authenticate(String user, char[] password) {
            return Optional.empty();
        }

        @Override
        public Set<Role> rolesOf(String name) {
            return users.getOrDefault(name, Set.of());
        }
    };
    private final Account alice = CurrentAccount.of("alice", List.of(ExchangeRolesTask.EDITOR, ExchangeRolesTask.MODERATOR));
    private final Account bob = CurrentAccount.of("bob", List.of(ExchangeRolesTask.MODERATOR));
    private final Account erin = CurrentAccount.of("erin", List.of(ExchangeRolesTask.EDITOR));

    /** The apps' actions: name, operation, target (every app has the same; AppsAndDialogsTest checks the YAML). */
    private record AppAction(String name, AppOperation op, State target) {
    }

    private static final List<AppAction> ACTIONS = List.of(
            new AppAction("submitForReview", AppOperation.TRANSITION, State.IN_REVIEW),
            new AppAction("approve", AppOperation.TRANSITION, State.APPROVED),
            new AppAction("publish", AppOperation.TRANSITION, State.PUBLISHED),
            new AppAction("unpublish", AppOperation.TRANSITION, State.WITHDRAWN),
            new AppAction("reject", AppOperation.TRANSITION, State.REJECTED),
            new AppAction("claim", AppOperation.CLAIM, null),
            new AppAction("assign", AppOperation.ASSIGN, null),
            new AppAction("schedule", AppOperation.SCHEDULE, null));

    @SuppressWarnings("unchecked")
    private static ValueContext<Node> selection(Node selected) {
        ValueContext<Node> selection = mock(ValueContext.class);
        when(selection.get()).thenAnswer(call -> Stream.of(selected));
        return selection;
    }

    private ModerationAction action(String operation, String target, Node selected, Account actor) {
        ModerationActionDefinition d = new ModerationActionDefinition();
        d.setName(operation + target);
        d.setOperation(operation);
        d.setTarget(target);
        return new ModerationAction(d, selection(selected), service, () -> actor, authenticator);
    }

    private ModerationAction action(String target, Node selected, Account actor) {
        return action(null, target, selected, actor);
    }

    private ModerationDialogAction dialog(String operation, String target, Map<String, Object> values, Node selected,
                                          Account actor, CloseHandler close) {
        ModerationDialogActionDefinition d = new ModerationDialogActionDefinition();
        d.setName("commit");
        d.setOperation(operation);
        d.setTarget(target);
        @SuppressWarnings("unchecked")
        FormView<Node> form = mock(FormView.class);
        when(form.getPropertyValue(org.mockito.ArgumentMatchers.anyString()))
                .thenAnswer(call -> Optional.ofNullable(values.get((String) call.getArgument(0))));
        return new ModerationDialogAction(d, close, selection(selected), form, service, () -> actor, authenticator);
    }

    private String state(Session s, String id) {
        return (String) content.find(s, "resource", id).orElseThrow().values().get("moderationState");
    }

    private Node item(Session s, State state, String author) throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", Map.of("en", "A report", "cy", "Adroddiad"));
        v.put("kind", "report");
        v.put("moderationState", state.tag());
        return s.getNodeByIdentifier(content.create(s, "resource", v, author).id());
    }

    @Test
    void fourEyesHoldsForTheAppsActions(Session s) throws Exception {
        // alice, editor and moderator, writes the draft
        Node node = item(s, State.DRAFT, "alice");
        String id = node.getIdentifier();

        action("in-review", node, alice).execute();
        assertThat(state(s, id)).isEqualTo("in-review");
        assertThatThrownBy(() -> action("approved", node, alice).execute())
                .as("alice approves her own work").isInstanceOf(ActionExecutionException.class)
                .hasMessageContaining("alice made, edited or submitted this item")
                .hasCauseInstanceOf(WorkflowException.class);
        assertThat(state(s, id)).isEqualTo("in-review");
        assertThatThrownBy(() -> action("approved", node, erin).execute())
                .as("an editor cannot approve").isInstanceOf(ActionExecutionException.class);
        action("approved", node, bob).execute();
        assertThat(state(s, id)).isEqualTo("approved");
    }

    @Test
    void rejectNeedsAReasonAndAMoveTheWorkflowHas(Session s) throws Exception {
        Node draft = item(s, State.DRAFT, "alice");
        Node review = item(s, State.IN_REVIEW, "alice");
        CloseHandler close = mock(CloseHandler.class);
        assertThatThrownBy(() -> dialog("transition", "rejected", Map.of("reason", "  "), review, bob, close).execute())
                .isInstanceOf(ActionExecutionException.class)
                .cause().isInstanceOf(WorkflowException.class).extracting(e -> ((WorkflowException) e).code()).isEqualTo("reasonRequired");
        assertThatThrownBy(() -> dialog("transition", "rejected", Map.of("reason", "Out of scope"), draft, bob, close).execute())
                .as("a draft cannot be rejected").cause().isInstanceOf(WorkflowException.class)
                .extracting(e -> ((WorkflowException) e).code()).isEqualTo("invalidTransition");
        assertThatThrownBy(() -> dialog("transition", "rejected", Map.of("reason", "Out of scope"), review, erin, close).execute())
                .as("an editor cannot reject").cause().extracting(e -> ((WorkflowException) e).code()).isEqualTo("notPermitted");
        org.mockito.Mockito.verifyNoInteractions(close);
        assertThat(state(s, review.getIdentifier())).isEqualTo("in-review");

        dialog("transition", "rejected", Map.of("reason", "Out of scope"), review, alice, close).execute();
        assertThat(state(s, review.getIdentifier())).as("rejecting one's own is allowed").isEqualTo("rejected");
        assertThat(service.detail(s, review.getIdentifier()).orElseThrow().history())
                .anySatisfy(h -> assertThat(h.reason()).isEqualTo("Out of scope"));
        org.mockito.Mockito.verify(close).close();
    }

    @Test
    void claimAndAssignGoThroughTheService(Session s) throws Exception {
        Node review = item(s, State.IN_REVIEW, "erin");
        String id = review.getIdentifier();
        CloseHandler close = mock(CloseHandler.class);
        assertThatThrownBy(() -> action("claim", null, review, erin).execute()).as("an editor cannot claim")
                .cause().extracting(e -> ((WorkflowException) e).code()).isEqualTo("notPermitted");
        action("claim", null, review, alice).execute();
        assertThat(service.detail(s, id).orElseThrow().assignee()).isEqualTo("alice");
        assertThatThrownBy(() -> action("claim", null, review, bob).execute()).as("held by alice")
                .cause().isInstanceOf(ModerationException.class).extracting(e -> ((ModerationException) e).code()).isEqualTo("alreadyClaimed");
        assertThatThrownBy(() -> dialog("assign", null, Map.of("assignee", "erin"), review, alice, close).execute())
                .as("erin is no moderator").cause().extracting(e -> ((ModerationException) e).code()).isEqualTo("noSuchUser");
        dialog("assign", null, Map.of("assignee", "bob"), review, alice, close).execute();
        assertThat(service.detail(s, id).orElseThrow().assignee()).isEqualTo("bob");
        dialog("assign", null, Map.of("assignee", ""), review, alice, close).execute();
        assertThat(service.detail(s, id).orElseThrow().assignee()).as("empty: nobody").isNull();
    }

    /** Claim is not offered on an item someone else holds: the service refuses it (alreadyClaimed). */
    @Test
    void claimIsNotOfferedOnAnItemSomeoneElseHolds(Session s) throws Exception {
        Node review = item(s, State.IN_REVIEW, "erin");
        ModerationRuleDefinition d = new ModerationRuleDefinition();
        d.setOperation("claim");
        assertThat(new ModerationRule(null, d, () -> bob).isAvailable(List.of(review))).as("nobody holds it").isTrue();
        action("claim", null, review, alice).execute();
        assertThat(new ModerationRule(null, d, () -> alice).isAvailable(List.of(review))).as("alice holds it").isTrue();
        assertThat(new ModerationRule(null, d, () -> bob).isAvailable(List.of(review))).as("held by alice").isFalse();
        assertThatThrownBy(() -> action("claim", null, review, bob).execute()).as("what the service says")
                .cause().extracting(e -> ((ModerationException) e).code()).isEqualTo("alreadyClaimed");
    }

    @Test
    void scheduleGoesThroughTheServiceInUkTime(Session s) throws Exception {
        Node draft = item(s, State.DRAFT, "erin");
        Node approved = item(s, State.APPROVED, "erin");
        CloseHandler close = mock(CloseHandler.class);
        LocalDateTime summer = LocalDateTime.of(2027, 7, 1, 9, 0);
        assertThatThrownBy(() -> dialog("schedule", null, Map.of("publishAt", summer), draft, bob, close).execute())
                .cause().extracting(e -> ((ModerationException) e).code()).isEqualTo("badSchedule");
        assertThatThrownBy(() -> dialog("schedule", null, Map.of("publishAt", summer, "unpublishAt", summer.minusDays(1)),
                approved, bob, close).execute()).cause().extracting(e -> ((ModerationException) e).code()).isEqualTo("badSchedule");
        assertThatThrownBy(() -> dialog("schedule", null, Map.of("publishAt", summer), approved, erin, close).execute())
                .cause().extracting(e -> ((WorkflowException) e).code()).isEqualTo("notPermitted");
        dialog("schedule", null, Map.of("publishAt", summer), approved, bob, close).execute();
        assertThat(service.detail(s, approved.getIdentifier()).orElseThrow().publishAt().toInstant())
                .as("09:00 in July, UK time, is 08:00 UTC").isEqualTo(java.time.Instant.parse("2027-07-01T08:00:00Z"));
    }

    /**
     * For every state, every role and every action of the apps: the availability rule offers the action exactly when
     * the state machine has the move for the role ({@link Workflow#TRANSITIONS}) and exactly when the real service,
     * asked by that user with everything else in order (someone else's item, a reason, Welsh complete), accepts it.
     */
    @Test
    void availabilityIsTrueExactlyWhereTheWorkflowAllowsTheMove(Session s) throws Exception {
        Map<String, Account> people = new LinkedHashMap<>();
        people.put("editor", CurrentAccount.of("erin", List.of(ExchangeRolesTask.EDITOR)));
        people.put("moderator", CurrentAccount.of("bob", List.of(ExchangeRolesTask.MODERATOR)));
        people.put("admin", CurrentAccount.of("carol", List.of(ExchangeRolesTask.ADMIN)));
        people.put("no role", CurrentAccount.of("dan", List.of("editor")));
        List<String> mismatches = new ArrayList<>();
        int offered = 0;
        for (State state : State.values()) {
            for (Map.Entry<String, Account> who : people.entrySet()) {
                for (AppAction a : ACTIONS) {
                    Node node = item(s, state, "zoe");
                    ModerationRuleDefinition d = new ModerationRuleDefinition();
                    d.setOperation(a.op().name().toLowerCase(java.util.Locale.ROOT));
                    d.setTarget(a.target() == null ? null : a.target().tag());
                    boolean rule = new ModerationRule(null, d, who::getValue).isAvailable(List.of(node));
                    offered += rule ? 1 : 0;
                    if (a.op() == AppOperation.TRANSITION) {
                        boolean machine = Workflow.TRANSITIONS.stream().anyMatch(t -> t.from() == state && t.to() == a.target()
                                && t.role().heldBy(who.getValue().roles()));
                        if (rule != machine) {
                            mismatches.add(state.tag() + " " + who.getKey() + " " + a.name() + ": rule " + rule + ", state machine " + machine);
                        }
                    }
                    boolean accepted = accepts(a, node, who.getValue());
                    if (rule != accepted) {
                        mismatches.add(state.tag() + " " + who.getKey() + " " + a.name() + ": rule " + rule + ", service " + accepted);
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(offered).as("the table offers something and refuses something").isBetween(1, State.values().length * 4 * ACTIONS.size() - 1);
    }

    /** Whether the service accepts the action on {@code node} for {@code actor}, run through the app's own action. */
    private boolean accepts(AppAction a, Node node, Account actor) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("reason", "A reason");
        values.put("assignee", "bob");
        try {
            OffsetOrLocal.put(values, AppOperation.stateOf(node));
            switch (a.op()) {
                case TRANSITION -> dialog("transition", a.target().tag(), values, node, actor, mock(CloseHandler.class)).execute();
                case CLAIM -> action("claim", null, node, actor).execute();
                default -> dialog(a.op().name().toLowerCase(java.util.Locale.ROOT), null, values, node, actor, mock(CloseHandler.class)).execute();
            }
            return true;
        } catch (ActionExecutionException e) {
            assertThat(e.getCause()).as(a.name() + " refused for a rule, not a failure: " + e.getMessage())
                    .isInstanceOfAny(WorkflowException.class, ModerationException.class);
            return false;
        } catch (javax.jcr.RepositoryException e) {
            throw new AssertionError(e);
        }
    }

    /** A schedule the service takes in every state it allows one: unpublishing for a published item, else publishing. */
    private static final class OffsetOrLocal {
        static void put(Map<String, Object> values, State state) {
            LocalDateTime later = LocalDateTime.now().plusDays(10);
            values.put(state == State.PUBLISHED ? "unpublishAt" : "publishAt", later);
        }
    }

    @Test
    void magnoliaRolesBecomeTheWorkflowsRoles() {
        assertThat(CurrentAccount.of("x", List.of("exchange-moderator", "superuser")).roles())
                .containsExactly(Role.MODERATOR);
        assertThat(CurrentAccount.of("x", List.of("editor")).roles()).as("Magnolia's own editor role is not the module's").isEmpty();
        assertThat(EnumSet.copyOf(CurrentAccount.of("x", List.of("exchange-admin")).roles())).containsExactly(Role.ADMINISTRATOR);
    }
}
