package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.moderation.PasswordHash;
import wales.exchange.moderation.UserStore;

/**
 * The moderation user store on disk: demo users (two moderators, an editor) exist only in demo mode, with passwords new
 * at each start; {@code --admin-password} makes user admin; passwords are kept as salted hashes only.
 */
class ModerationUsersTest {
    private static final String ADMIN_PASSWORD = "a long admin password";

    private static int status(ExchangeServerExtension s, String user, String password) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(s.url("/moderation/queue"))).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))).build();
        return s.send(r).statusCode();
    }

    @Test
    void demoUsersOnlyInDemoModeAdminByFlagAndOnlySaltedHashesStored(@TempDir Path dir) throws Exception {
        Map<String, String> demo;
        try (ExchangeServerExtension s = new ExchangeServerExtension("--data", dir.toString()).start()) {
            demo = s.server().demoUsers();
            assertThat(demo.keySet()).containsExactly("moderator1", "moderator2", "editor");
            assertThat(status(s, "moderator1", demo.get("moderator1"))).isEqualTo(200);
            assertThat(status(s, "moderator2", demo.get("moderator2"))).isEqualTo(200);
            assertThat(status(s, "editor", demo.get("editor"))).isEqualTo(403);
            assertThat(status(s, "moderator1", demo.get("moderator2"))).isEqualTo(401);
            String stored = s.withSession((session, content) -> session.getNode(UserStore.ROOT + "/moderator1").getProperty("passwordHash").getString());
            // a password the server generated (93 bits) is hashed with fewer iterations than a person's
            assertThat(stored).startsWith("pbkdf2-sha512$" + PasswordHash.GENERATED_ITERATIONS + "$").doesNotContain(demo.get("moderator1"));
            String other = s.withSession((session, content) -> session.getNode(UserStore.ROOT + "/moderator2").getProperty("passwordHash").getString());
            assertThat(other.split("\\$")[2]).as("a salt per password").isNotEqualTo(stored.split("\\$")[2]);
        }
        try (ExchangeServerExtension s = new ExchangeServerExtension("--data", dir.toString()).start()) {
            assertThat(s.server().demoUsers().get("moderator1")).as("new at each start").isNotEqualTo(demo.get("moderator1"));
            assertThat(status(s, "moderator1", demo.get("moderator1"))).isEqualTo(401);
        }
        try (ExchangeServerExtension s = new ExchangeServerExtension("--data", dir.toString(), "--no-demo", "--admin-password", ADMIN_PASSWORD).start()) {
            assertThat(s.server().demoUsers()).isEmpty();
            boolean left = s.withSession((session, content) -> session.nodeExists(UserStore.ROOT + "/moderator1"));
            assertThat(left).as("removed outside demo mode").isFalse();
            assertThat(status(s, "admin", ADMIN_PASSWORD)).isEqualTo(200);
            assertThat(status(s, "admin", ADMIN_PASSWORD + "x")).isEqualTo(401);
            String admin = s.withSession((session, content) -> session.getNode(UserStore.ROOT + "/admin").getProperty("passwordHash").getString());
            assertThat(admin).as("a password a person chose").startsWith("pbkdf2-sha512$" + PasswordHash.ITERATIONS + "$");
        }
        assertThatThrownBy(() -> Settings.parse(new String[] {"--admin-password", "short"}, Map.of()))
                .hasMessage("--admin-password must have 12 to 200 characters, got 5");
        assertThatThrownBy(() -> Settings.parse(new String[0], Map.of("EXCHANGE_ADMIN_PASSWORD", "short")))
                .hasMessage("EXCHANGE_ADMIN_PASSWORD must have 12 to 200 characters, got 5");
    }
}
