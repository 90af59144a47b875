package wales.exchange.jcr;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.apache.jackrabbit.commons.cnd.CndImporter;
import org.apache.jackrabbit.commons.cnd.ParseException;

/** Registers node types from a CND on the class path (idempotent: re-registers changed definitions). */
public final class NodeTypeRegistrar {
    /** The module's own node types; Magnolia reads the same file from the module descriptor. */
    public static final String EXCHANGE_CND = "mgnl-nodetypes/exchange-nodetypes.cnd";
    /**
     * Stand-ins for Magnolia's core node types ({@code mgnl:*}), for running without Magnolia (server, tests). Never in
     * the module jar, where it could clash with Magnolia's own definitions: it lives in the repository's
     * {@code jcr-standins/} folder, a resource folder of the server and a test resource folder of the module.
     */
    public static final String MAGNOLIA_STANDIN_CND = "exchange-standins/magnolia-core-standin.cnd";

    private NodeTypeRegistrar() {
    }

    public static void register(Session session, String classpathCnd) throws RepositoryException {
        try (InputStream in = NodeTypeRegistrar.class.getClassLoader().getResourceAsStream(classpathCnd)) {
            if (in == null) {
                throw new RepositoryException("node type file missing from the class path: " + classpathCnd);
            }
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                CndImporter.registerNodeTypes(r, classpathCnd, session.getWorkspace().getNodeTypeManager(),
                        session.getWorkspace().getNamespaceRegistry(), session.getValueFactory(), true);
            }
        } catch (IOException | ParseException e) {
            throw new RepositoryException("cannot register node types from " + classpathCnd + ": " + e.getMessage(), e);
        }
    }
}
