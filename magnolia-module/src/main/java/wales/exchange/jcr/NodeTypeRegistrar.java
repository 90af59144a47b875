package wales.exchange.jcr;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import javax.jcr.RepositoryException;
import java.util.List;
import java.util.Map;
import javax.jcr.Session;
import org.apache.jackrabbit.commons.cnd.CompactNodeTypeDefReader;
import org.apache.jackrabbit.commons.cnd.TemplateBuilderFactory;
import javax.jcr.nodetype.NodeTypeTemplate;
import org.apache.jackrabbit.spi.commons.QNodeTypeDefinitionImpl;
import org.apache.jackrabbit.spi.commons.value.QValueFactoryImpl;
import org.apache.jackrabbit.core.nodetype.NodeTypeManagerImpl;
import org.apache.jackrabbit.core.nodetype.NodeTypeRegistry;
import org.apache.jackrabbit.core.nodetype.InvalidNodeTypeDefException;
import org.apache.jackrabbit.core.nodetype.xml.NodeTypeReader;
import org.apache.jackrabbit.core.nodetype.xml.NodeTypeWriter;
import org.apache.jackrabbit.spi.QNodeTypeDefinition;
import org.apache.jackrabbit.spi.commons.nodetype.QDefinitionBuilderFactory;
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

    /**
     * Registers the CND's node types, re-registering those whose definition changed; returns whether anything was
     * registered. When the repository already holds every definition as the file gives it (and its namespaces), nothing
     * is written: re-registering unchanged types rewrote the registry's file and discarded every node type state at
     * each start (about a fifth of the main thread's work while a cluster node opened its repository).
     */
    public static boolean register(Session session, String classpathCnd) throws RepositoryException {
        String cnd;
        try (InputStream in = NodeTypeRegistrar.class.getClassLoader().getResourceAsStream(classpathCnd)) {
            if (in == null) {
                throw new RepositoryException("node type file missing from the class path: " + classpathCnd);
            }
            cnd = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RepositoryException("cannot read node types from " + classpathCnd + ": " + e.getMessage(), e);
        }
        if (registered(session, cnd, classpathCnd)) {
            return false;
        }
        try (Reader r = new java.io.StringReader(cnd)) {
            CndImporter.registerNodeTypes(r, classpathCnd, session.getWorkspace().getNodeTypeManager(),
                    session.getWorkspace().getNamespaceRegistry(), session.getValueFactory(), true);
            return true;
        } catch (IOException | ParseException e) {
            throw new RepositoryException("cannot register node types from " + classpathCnd + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the repository (Jackrabbit) holds every namespace and node type of {@code cnd} as it is there: same prefix
     * and URI, and every definition equal to the registered one in all it holds (names, supertypes, flags, item
     * definitions with their defaults and constraints). Anything else (another
     * repository implementation, a parse error, a missing namespace): false, and the types are registered as before.
     */
    static boolean registered(Session session, String cnd, String systemId) throws RepositoryException {
        if (!(session.getWorkspace().getNodeTypeManager() instanceof NodeTypeManagerImpl types)) {
            return false;
        }
        javax.jcr.NamespaceRegistry namespaces = session.getWorkspace().getNamespaceRegistry();
        QDefinitionBuilderFactory names = new QDefinitionBuilderFactory(); // the file's namespaces, nothing registered
        List<NodeTypeTemplate> templates;
        try {
            new CompactNodeTypeDefReader<>(new java.io.StringReader(cnd), systemId, names);
            List<String> prefixes = java.util.Arrays.asList(namespaces.getPrefixes());
            for (Map.Entry<String, String> ns : names.getNamespaceMapping().getPrefixToURIMapping().entrySet()) {
                if (!ns.getKey().isEmpty() && (!prefixes.contains(ns.getKey()) || !namespaces.getURI(ns.getKey()).equals(ns.getValue()))) {
                    return false;
                }
            }
            // the definitions as a registration would make them (NodeTypeManagerImpl: template, then Jackrabbit's form),
            // so that defaults the file leaves out compare equal
            templates = new CompactNodeTypeDefReader<>(new java.io.StringReader(cnd), systemId,
                    new TemplateBuilderFactory(types, session.getValueFactory(), namespaces)).getNodeTypeDefinitions();
        } catch (ParseException | javax.jcr.NamespaceException e) {
            return false;
        }
        NodeTypeRegistry registry = types.getNodeTypeRegistry();
        for (NodeTypeTemplate template : templates) {
            QNodeTypeDefinition def = new QNodeTypeDefinitionImpl(template, types.getNamePathResolver(), QValueFactoryImpl.getInstance());
            if (!registry.isRegistered(def.getName())
                    || !stored(registry.getNodeTypeDef(def.getName()), namespaces).equals(stored(def, namespaces))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A definition as the registry's file holds it (Jackrabbit's node type XML, written then read back). A definition
     * read from that file after a restart differs from one made from a template in what the file does not keep: no
     * default values is null there and an empty array here, and the query operators come back in another order; so
     * both sides are compared in this form, or every restart took every type for changed and registered it again.
     */
    static QNodeTypeDefinition stored(QNodeTypeDefinition def, javax.jcr.NamespaceRegistry namespaces) throws RepositoryException {
        try {
            java.io.ByteArrayOutputStream xml = new java.io.ByteArrayOutputStream();
            NodeTypeWriter.write(xml, new QNodeTypeDefinition[] {def}, namespaces);
            return NodeTypeReader.read(new java.io.ByteArrayInputStream(xml.toByteArray()))[0];
        } catch (IOException | InvalidNodeTypeDefException e) {
            throw new RepositoryException("cannot compare node type " + def.getName() + ": " + e.getMessage(), e);
        }
    }
}
