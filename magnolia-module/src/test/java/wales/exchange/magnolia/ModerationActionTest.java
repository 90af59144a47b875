package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import info.magnolia.ui.ValueContext;
import info.magnolia.ui.api.action.ActionExecutionException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.jcr.Node;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import wales.exchange.content.ContentService;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.model.ModelLoader;
import wales.exchange.moderation.Account;
import wales.exchange.moderation.ModerationEvents;
import wales.exchange.moderation.ModerationService;

/**
 * Issue 13, item 6: the content apps' moderation actions go through the moderation service, so its rules hold below
 * the UI: four-eyes (whoever edited an item cannot approve it) and the roles' allowed moves. Real Jackrabbit; the
 * Magnolia edges (the selection, the current user) are Mockito mocks and plain values.
 */
@ExtendWith(JcrExtension.class)
class ModerationActionTest {
    private final ContentService content = new ContentService(ModelLoader.fromClasspath(getClass().getClassLoader()), Clock.systemUTC());
    private final ModerationService service = new ModerationService(content, Clock.systemUTC(), new ModerationEvents.None());

    private ModerationAction action(String target, Node selected, Account actor) {
        ModerationActionDefinition d = new ModerationActionDefinition();
        d.setName(target);
        d.setTarget(target);
        @SuppressWarnings("unchecked")
        ValueContext<Node> selection = mock(ValueContext.class);
        when(selection.get()).thenAnswer(call -> Stream.of(selected));
        return new ModerationAction(d, selection, service, () -> actor);
    }

    private String state(Session s, String id) {
        return (String) content.find(s, "resource", id).orElseThrow().values().get("moderationState");
    }

    @Test
    void fourEyesHoldsForTheAppsActions(Session s) throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("title", Map.of("en", "A report", "cy", "Adroddiad"));
        v.put("kind", "report");
        v.put("moderationState", "draft");
        // alice, editor and moderator, writes the draft
        String id = content.create(s, "resource", v, "alice").id();
        Node node = s.getNodeByIdentifier(id);
        Account alice = CurrentAccount.of("alice", List.of(ExchangeRolesTask.EDITOR, ExchangeRolesTask.MODERATOR));
        Account bob = CurrentAccount.of("bob", List.of(ExchangeRolesTask.MODERATOR));
        Account erin = CurrentAccount.of("erin", List.of(ExchangeRolesTask.EDITOR));

        action("in-review", node, alice).execute();
        assertThat(state(s, id)).isEqualTo("in-review");
        assertThatThrownBy(() -> action("approved", node, alice).execute())
                .as("alice approves her own work").isInstanceOf(ActionExecutionException.class)
                .hasMessageContaining("alice made, edited or submitted this item")
                .hasCauseInstanceOf(wales.exchange.moderation.WorkflowException.class);
        assertThat(state(s, id)).isEqualTo("in-review");
        assertThatThrownBy(() -> action("approved", node, erin).execute())
                .as("an editor cannot approve").isInstanceOf(ActionExecutionException.class);
        action("approved", node, bob).execute();
        assertThat(state(s, id)).isEqualTo("approved");
    }

    @Test
    void magnoliaRolesBecomeTheWorkflowsRoles() {
        assertThat(CurrentAccount.of("x", List.of("exchange-moderator", "superuser")).roles())
                .containsExactly(wales.exchange.moderation.Role.MODERATOR);
        assertThat(CurrentAccount.of("x", List.of("editor")).roles()).as("Magnolia's own editor role is not the module's").isEmpty();
    }
}
