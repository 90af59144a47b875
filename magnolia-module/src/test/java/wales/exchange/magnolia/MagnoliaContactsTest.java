package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import info.magnolia.cms.security.SecuritySupport;
import info.magnolia.cms.security.User;
import info.magnolia.cms.security.UserManager;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import wales.exchange.i18n.Lang;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.jcr.JcrExtension;
import wales.exchange.moderation.Contacts;
import wales.exchange.moderation.ModerationEvent;
import wales.exchange.moderation.ModerationEvents;
import wales.exchange.notify.Notifications;
import wales.exchange.notify.Template;

/**
 * Inside Magnolia an assignment mail goes to the assigned Magnolia user's {@code email} in their {@code language}
 * (the module's own user store holds no Magnolia user). The module's configurer and notices on real Jackrabbit;
 * Mockito only at Magnolia's edge (SecuritySupport, UserManager, User).
 */
@ExtendWith(JcrExtension.class)
class MagnoliaContactsTest {
    private final SecuritySupport security = mock(SecuritySupport.class);
    private final UserManager users = mock(UserManager.class);
    private static final String ITEM = java.util.UUID.randomUUID().toString();

    MagnoliaContactsTest() {
        when(security.getUserManager()).thenReturn(users);
        user("bob", "bob@example.cymru", "cy");
        user("nia", null, "en");
    }

    private void user(String name, String email, String language) {
        User u = mock(User.class);
        when(u.getName()).thenReturn(name);
        when(u.isEnabled()).thenReturn(true);
        when(u.getAllRoles()).thenReturn(List.of(ExchangeRolesTask.MODERATOR));
        when(u.getProperty("email")).thenReturn(email);
        when(u.getLanguage()).thenReturn(language);
        when(users.getUser(name)).thenReturn(u);
    }

    @Test
    void anAssignmentMailGoesToTheMagnoliaUsersAddressInTheirLanguage(EmbeddedRepository repo, Session s) throws Exception {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, Modules.override(new ExchangeComponentConfigurer()).with(binder -> {
            binder.bind(SessionSource.class).toInstance(workspace -> repo.login());
            binder.bind(ModuleConfig.class).toInstance(Map::of);
            binder.bind(info.magnolia.resourceloader.ResourceOrigin.class)
                    .toInstance(Origins.of(java.nio.file.Path.of("../light-modules")).origin);
            binder.bind(Contacts.class).toInstance(new MagnoliaContacts(() -> security));
        }));
        ModerationEvents events = injector.getInstance(ModerationEvents.class);
        Notifications.install(s);
        events.changed(s, new ModerationEvent(ModerationEvent.Kind.ASSIGNMENT, "resource", ITEM, null, null, "alice",
                null, "bob", null, OffsetDateTime.now()));
        events.changed(s, new ModerationEvent(ModerationEvent.Kind.ASSIGNMENT, "resource", ITEM, null, null, "alice",
                null, "nia", null, OffsetDateTime.now()));
        s.save();
        List<Notifications.Stored> pending = Notifications.pending(s);
        assertThat(pending).as("nia has no address: no mail").hasSize(1);
        assertThat(pending.get(0).notice().to()).isEqualTo("bob@example.cymru");
        assertThat(pending.get(0).notice().lang()).isEqualTo(Lang.CY);
        assertThat(pending.get(0).notice().template()).isEqualTo(Template.ASSIGNMENT);
        assertThat(new MagnoliaContacts(() -> security).contact(s, "nobody")).isEmpty();
    }
}
