package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import info.magnolia.cms.security.SecuritySupport;
import info.magnolia.cms.security.User;
import info.magnolia.cms.security.UserManager;
import info.magnolia.cms.security.auth.callback.CredentialsCallbackHandler;
import info.magnolia.cms.security.auth.login.LoginResult;
import java.util.List;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import wales.exchange.moderation.Account;
import wales.exchange.moderation.Role;

/**
 * Issue 13: inside Magnolia the moderation API's credentials are Magnolia's users (password through Magnolia's JAAS
 * login, roles from its user manager), not the module's user store. Mockito only at Magnolia's edge (SecuritySupport,
 * UserManager, User).
 */
class MagnoliaAuthenticatorTest {
    private final SecuritySupport security = mock(SecuritySupport.class);
    private final UserManager userManager = mock(UserManager.class);
    private final MagnoliaAuthenticator authenticator = new MagnoliaAuthenticator(() -> security);

    MagnoliaAuthenticatorTest() {
        when(security.getUserManager()).thenReturn(userManager);
        user("bob", true, "exchange-moderator", "editor");
        user("erin", true, "exchange-editor");
        user("mallory", true, "superuser");
        user("olga", false, "exchange-admin");
    }

    private void user(String name, boolean enabled, String... roles) {
        User u = mock(User.class);
        when(u.getName()).thenReturn(name);
        when(u.isEnabled()).thenReturn(enabled);
        when(u.getAllRoles()).thenReturn(List.of(roles));
        when(userManager.getUser(name)).thenReturn(u);
    }

    private void login(int status) {
        when(security.authenticate(any(CredentialsCallbackHandler.class), isNull())).thenReturn(new LoginResult(status));
    }

    @Test
    void aMagnoliaUserWithTheModulesRolesIsTheirAccountCheckedByMagnoliasLogin() throws Exception {
        login(LoginResult.STATUS_SUCCEEDED);
        assertThat(authenticator.authenticate("bob", "s3cret".toCharArray()))
                .contains(new Account("bob", Set.of(Role.MODERATOR)));
        ArgumentCaptor<CredentialsCallbackHandler> handler = ArgumentCaptor.forClass(CredentialsCallbackHandler.class);
        verify(security).authenticate(handler.capture(), isNull());
        NameCallback name = new NameCallback("name");
        PasswordCallback password = new PasswordCallback("password", false);
        handler.getValue().handle(new Callback[] {name, password});
        assertThat(name.getName()).isEqualTo("bob");
        assertThat(password.getPassword()).as("the password given is the one Magnolia checks").isEqualTo("s3cret".toCharArray());
    }

    @Test
    void aWrongPasswordIsNoAccountAndRolesAreNotEvenRead() {
        login(LoginResult.STATUS_FAILED);
        assertThat(authenticator.authenticate("bob", "wrong".toCharArray())).isEmpty();
        verify(security, never()).getUserManager();
    }

    @Test
    void aUserWithoutTheModulesRolesOrDisabledIsNoAccount() {
        login(LoginResult.STATUS_SUCCEEDED);
        assertThat(authenticator.authenticate("mallory", "x".toCharArray())).as("Magnolia's superuser role is not the module's").isEmpty();
        assertThat(authenticator.authenticate("olga", "x".toCharArray())).as("disabled").isEmpty();
        assertThat(authenticator.authenticate("nobody", "x".toCharArray())).isEmpty();
    }

    /**
     * An empty password is refused before Magnolia's login is asked: the moderation API must not depend on every JAAS
     * module of the instance's chain refusing a user whose stored password is empty (a bootstrapped or imported user).
     */
    @Test
    void anEmptyPasswordIsNoAccountWhateverMagnoliasLoginSays() {
        login(LoginResult.STATUS_SUCCEEDED);
        assertThat(authenticator.authenticate("bob", new char[0])).isEmpty();
        verify(security, never()).authenticate(any(CredentialsCallbackHandler.class), isNull());
    }

    @Test
    void aFailingLoginIsNoAccount() {
        when(security.authenticate(any(CredentialsCallbackHandler.class), isNull())).thenThrow(new IllegalStateException("JAAS"));
        assertThat(authenticator.authenticate("bob", "x".toCharArray())).isEmpty();
    }

    @Test
    void assigneesAreCheckedAgainstMagnoliasUsers() {
        assertThat(authenticator.rolesOf("bob")).containsExactly(Role.MODERATOR);
        assertThat(authenticator.rolesOf("erin")).containsExactly(Role.EDITOR);
        assertThat(authenticator.rolesOf("nobody")).isEmpty();
        assertThat(authenticator.rolesOf("olga")).isEmpty();
    }
}
