package wales.exchange.magnolia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import info.magnolia.module.InstallContext;
import info.magnolia.module.delta.Task;
import java.util.ArrayList;
import java.util.List;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.PropertyIterator;
import javax.jcr.Session;
import javax.jcr.SimpleCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import wales.exchange.jcr.EmbeddedRepository;

/**
 * Issue 13, item 6: the install and update task writes the module's roles into a real (in-memory Jackrabbit)
 * {@code userroles} workspace, through the stand-in {@link InstallContext}: the expected roles and ACL entries, and a
 * second run changes nothing.
 */
class ExchangeRolesTaskTest {
    private static EmbeddedRepository repository;
    private static int workspaces;
    private Session userroles;
    private InstallContext ctx;

    @BeforeAll
    static void open() throws Exception {
        repository = EmbeddedRepository.inMemory();
    }

    @AfterAll
    static void close() {
        repository.close();
    }

    /** A new, empty workspace for each test, standing for Magnolia's userroles. */
    @BeforeEach
    void userrolesWorkspace() throws Exception {
        Session s = repository.login();
        String name = ExchangeRolesTask.USERROLES + (++workspaces);
        s.getWorkspace().createWorkspace(name);
        userroles = s.getRepository().login(new SimpleCredentials("admin", "admin".toCharArray()), name);
        s.logout();
        ctx = mock(InstallContext.class);
        when(ctx.getJCRSession(ExchangeRolesTask.USERROLES)).thenReturn(userroles);
    }

    @AfterEach
    void logout() {
        userroles.logout();
    }

    @Test
    void theRolesAndTheirAclsAreWrittenAndASecondRunChangesNothing() throws Exception {
        userroles.getRootNode().addNode(ExchangeRolesTask.ANONYMOUS, ExchangeRolesTask.ROLE_TYPE); // Magnolia's own
        userroles.save();
        new ExchangeRolesTask().execute(ctx);
        List<String> first = dump(userroles.getRootNode());
        assertThat(first).contains(
                "/exchange-editor [mgnl:role]",
                "/exchange-editor/acl_exchange/0 path=/ permissions=8",
                "/exchange-editor/acl_exchange/1 path=/* permissions=11",
                "/exchange-editor/acl_exchange/2 path=/intake permissions=0",
                "/exchange-editor/acl_exchange/3 path=/intake/* permissions=0",
                "/exchange-editor/acl_uri/0 path=/.rest/exchange/v1/* permissions=8",
                "/exchange-moderator/acl_uri/1 path=/.rest/exchange/v1/moderation/* permissions=63",
                "/exchange-admin/acl_exchange/1 path=/* permissions=63",
                "/anonymous/acl_uri/0 path=/.rest/exchange/v1/* permissions=63",
                "/anonymous/acl_uri/2 path=/.rest/exchange/v1/moderation/* permissions=0");
        assertThat(first).noneMatch(l -> l.startsWith("/exchange-editor/acl_uri") && l.contains("moderation"));
        verify(ctx).info("ExChange roles: 18 permissions added");

        new ExchangeRolesTask().execute(ctx);
        assertThat(dump(userroles.getRootNode())).isEqualTo(first);
        verify(ctx).info("ExChange roles: 0 permissions added");
        assertThat(userroles.hasPendingChanges()).isFalse();
    }

    @Test
    void withoutMagnoliasAnonymousRoleTheTaskSaysSoAndCreatesNone() throws Exception {
        new ExchangeRolesTask().execute(ctx);
        assertThat(userroles.getRootNode().hasNode(ExchangeRolesTask.ANONYMOUS)).isFalse();
        verify(ctx).warn("ExChange: no role anonymous; grant anonymous access to /.rest/exchange/v1/* (not /moderation) by hand");
    }

    @Test
    void installAndEveryUpdateRunTheRolesTask() {
        List<Task> install = new ExchangeVersionHandler().getExtraInstallTasks(ctx);
        assertThat(install).anyMatch(t -> t instanceof ExchangeRolesTask);
        List<Task> update = new ExchangeVersionHandler().getDefaultUpdateTasks(info.magnolia.module.model.Version.parseVersion("1.1.0"));
        assertThat(update).anyMatch(t -> t instanceof ExchangeRolesTask);
    }

    /** Every node under the root but jcr:system, with its type or its path and permissions, in document order. */
    private static List<String> dump(Node root) throws Exception {
        List<String> out = new ArrayList<>();
        for (NodeIterator it = root.getNodes(); it.hasNext(); ) {
            Node n = it.nextNode();
            if (!n.getName().equals("jcr:system")) {
                walk(n, out);
            }
        }
        return out;
    }

    private static void walk(Node n, List<String> out) throws Exception {
        if (n.hasProperty("path")) {
            out.add(n.getPath() + " path=" + n.getProperty("path").getString() + " permissions=" + n.getProperty("permissions").getLong());
        } else {
            out.add(n.getPath() + " [" + n.getPrimaryNodeType().getName() + "]");
        }
        for (PropertyIterator p = n.getProperties(); p.hasNext(); ) {
            p.nextProperty();
        }
        for (NodeIterator it = n.getNodes(); it.hasNext(); ) {
            walk(it.nextNode(), out);
        }
    }
}
