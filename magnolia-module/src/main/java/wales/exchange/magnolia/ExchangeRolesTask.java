package wales.exchange.magnolia;

import info.magnolia.module.InstallContext;
import info.magnolia.module.delta.AbstractTask;
import info.magnolia.module.delta.TaskExecutionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import wales.exchange.jcr.EmbeddedRepository;

/**
 * The module's roles in Magnolia's {@code userroles} workspace, as Magnolia's own role manager writes them
 * (Magnolia 5.0 core {@code MgnlRoleManager}: a role is a {@code mgnl:role} node at the root; its permissions on a
 * workspace sit under {@code acl_<workspace>} ({@code mgnl:contentNode}), one child per permission with {@code path} and
 * {@code permissions} (long: {@code Permission.READ} 8, {@code WRITE} 11, {@code ALL} 63); URI permissions under
 * {@code acl_uri}, {@code AddURIPermissionTask.GET} 8 / {@code GET_POST} 63 / {@code DENY} 0). A permission already there
 * (same path and value) is not added again: running the task twice changes nothing.
 * <ul>
 *   <li>{@code exchange-editor}: reads and writes the library (resources, events, case studies, contributions and
 *   comments), not the intake's personal records; GET on the public API;</li>
 *   <li>{@code exchange-moderator}: the same, and the moderation API (GET and POST/PUT);</li>
 *   <li>{@code exchange-admin}: everything in the workspace, and the moderation API;</li>
 *   <li>Magnolia's {@code anonymous} role (when present): the public delivery and intake routes, never moderation.</li>
 * </ul>
 */
public class ExchangeRolesTask extends AbstractTask {
    public static final String USERROLES = "userroles";
    public static final String ROLE_TYPE = "mgnl:role";
    public static final String ACL_TYPE = "mgnl:contentNode";
    public static final String EDITOR = "exchange-editor";
    public static final String MODERATOR = "exchange-moderator";
    public static final String ADMIN = "exchange-admin";
    public static final String ANONYMOUS = "anonymous";
    static final long DENY = 0;
    static final long READ = 8;
    static final long WRITE = 11;
    static final long ALL = 63;
    static final long GET = 8;
    static final long GET_POST = 63;
    static final String API = wales.exchange.delivery.DeliveryConfig.BASE_PATH;

    /** One permission of a role: a workspace ({@code uri} for URLs), a path, a value. */
    public record Permission(String workspace, String path, long value) {
    }

    /** Every role the task writes, with its permissions. */
    public static final Map<String, List<Permission>> ROLES = roles();

    private static Map<String, List<Permission>> roles() {
        String ws = EmbeddedRepository.WORKSPACE;
        List<Permission> library = List.of(new Permission(ws, "/", READ), new Permission(ws, "/*", WRITE),
                new Permission(ws, "/intake", DENY), new Permission(ws, "/intake/*", DENY),
                new Permission("uri", API + "/*", GET));
        Map<String, List<Permission>> m = new LinkedHashMap<>();
        m.put(EDITOR, library);
        m.put(MODERATOR, concat(library, List.of(new Permission("uri", API + "/moderation/*", GET_POST))));
        m.put(ADMIN, List.of(new Permission(ws, "/", ALL), new Permission(ws, "/*", ALL),
                new Permission("uri", API + "/*", GET_POST), new Permission("uri", API + "/moderation/*", GET_POST)));
        m.put(ANONYMOUS, List.of(new Permission("uri", API + "/*", GET_POST), new Permission("uri", API + "/moderation", DENY),
                new Permission("uri", API + "/moderation/*", DENY)));
        return m;
    }

    private static List<Permission> concat(List<Permission> a, List<Permission> b) {
        List<Permission> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    public ExchangeRolesTask() {
        super("ExChange roles", "Adds the roles exchange-editor, exchange-moderator and exchange-admin with their workspace and "
                + "URI permissions, and the public routes to the anonymous role");
    }

    @Override
    public void execute(InstallContext ctx) throws TaskExecutionException {
        try {
            Session session = ctx.getJCRSession(USERROLES);
            int added = 0;
            for (Map.Entry<String, List<Permission>> role : ROLES.entrySet()) {
                Node root = session.getRootNode();
                Node node;
                if (root.hasNode(role.getKey())) {
                    node = root.getNode(role.getKey());
                } else if (role.getKey().equals(ANONYMOUS)) {
                    ctx.warn("ExChange: no role anonymous; grant anonymous access to " + API + "/* (not /moderation) by hand");
                    continue;
                } else {
                    node = root.addNode(role.getKey(), ROLE_TYPE);
                }
                for (Permission p : role.getValue()) {
                    added += add(node, p) ? 1 : 0;
                }
            }
            if (session.hasPendingChanges()) {
                session.save();
            }
            ctx.info("ExChange roles: " + added + " permissions added");
        } catch (RepositoryException e) {
            throw new TaskExecutionException("cannot write the ExChange roles: " + e.getMessage(), e);
        }
    }

    /** Adds the permission unless the role has it already; true when added. */
    private static boolean add(Node role, Permission p) throws RepositoryException {
        String aclName = "acl_" + p.workspace();
        Node acl = role.hasNode(aclName) ? role.getNode(aclName) : role.addNode(aclName, ACL_TYPE);
        int free = 0;
        for (NodeIterator it = acl.getNodes(); it.hasNext(); ) {
            Node entry = it.nextNode();
            if (entry.hasProperty("path") && entry.getProperty("path").getString().equals(p.path())
                    && entry.hasProperty("permissions") && entry.getProperty("permissions").getLong() == p.value()) {
                return false;
            }
        }
        while (acl.hasNode(Integer.toString(free))) {
            free++;
        }
        Node entry = acl.addNode(Integer.toString(free), ACL_TYPE);
        entry.setProperty("path", p.path());
        entry.setProperty("permissions", p.value());
        return true;
    }
}
