package wales.exchange.jcr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.jcr.Session;
import org.apache.jackrabbit.core.nodetype.NodeTypeManagerImpl;
import org.apache.jackrabbit.core.nodetype.NodeTypeRegistry;
import org.apache.jackrabbit.core.nodetype.NodeTypeRegistryListener;
import org.apache.jackrabbit.spi.Name;
import org.junit.jupiter.api.Test;

/** A start registers the node types only when the file differs from what the repository holds. */
class NodeTypeRegistrarTest {
    private static final String CND = "<ex='https://exchange.wales/test/1.0'>\n"
            + "[ex:probe] > nt:unstructured\n  - ex:title (string)\n";

    @Test
    void unchangedTypesAreNotRegisteredAgainAndChangedOnesAre() throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.inMemory()) {
            Session s = repo.login();
            try {
                NodeTypeRegistry registry = ((NodeTypeManagerImpl) s.getWorkspace().getNodeTypeManager()).getNodeTypeRegistry();
                List<String> events = new ArrayList<>();
                NodeTypeRegistryListener listener = new NodeTypeRegistryListener() {
                    @Override
                    public void nodeTypeRegistered(Name name) {
                        events.add("registered " + name.getLocalName());
                    }

                    @Override
                    public void nodeTypeReRegistered(Name name) {
                        events.add("re-registered " + name.getLocalName());
                    }

                    @Override
                    public void nodeTypesUnregistered(Collection<Name> names) {
                        events.add("unregistered " + names);
                    }
                };
                registry.addListener(listener); // held weakly by the registry: this test keeps it until the end
                // the repository's own files, registered when it started: the same again changes nothing
                assertThat(NodeTypeRegistrar.register(s, NodeTypeRegistrar.MAGNOLIA_STANDIN_CND)).isFalse();
                assertThat(NodeTypeRegistrar.register(s, NodeTypeRegistrar.EXCHANGE_CND)).isFalse();
                assertThat(events).isEmpty();

                assertThat(NodeTypeRegistrar.registered(s, CND, "probe")).as("namespace not there yet").isFalse();
                assertThat(registerText(s, CND)).isTrue();
                assertThat(events).containsExactly("registered probe");
                assertThat(NodeTypeRegistrar.registered(s, CND, "probe")).isTrue();

                String changed = CND + "  - ex:summary (string)\n";
                assertThat(NodeTypeRegistrar.registered(s, changed, "probe")).as("a property more").isFalse();
                assertThat(NodeTypeRegistrar.registered(s, CND.replace("(string)", "(string) = 'untitled'"), "probe"))
                        .as("only a default value").isFalse();
                assertThat(NodeTypeRegistrar.registered(s, CND.replace("(string)", "(string) mandatory"), "probe"))
                        .as("only a flag").isFalse();
                assertThat(registerText(s, changed)).isTrue();
                assertThat(events).containsExactly("registered probe", "re-registered probe");
                assertThat(NodeTypeRegistrar.registered(s, changed, "probe")).isTrue();
                assertThat(s.getWorkspace().getNodeTypeManager().getNodeType("ex:probe").getPropertyDefinitions())
                        .extracting(d -> d.getName()).contains("ex:summary");
                registry.removeListener(listener);
            } finally {
                s.logout();
            }
        }
    }

    /**
     * A restart finds the node types as the previous start left them and writes nothing: Jackrabbit reads them back
     * from its file, where no default values and the order of query operators differ from a definition made from the
     * CND, and every start took them for changed (the registry's file rewritten, 1.7 s at 100k items).
     */
    @Test
    void aRestartDoesNotRegisterTheTypesAgain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(dir)) {
            repo.login().logout();
        }
        java.nio.file.Path file = dir.resolve("repository/nodetypes/custom_nodetypes.xml");
        assertThat(file).exists();
        byte[] before = java.nio.file.Files.readAllBytes(file);
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(86_400_000L);
        java.nio.file.Files.setLastModifiedTime(file, old);
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(dir)) {
            Session s = repo.login();
            try {
                assertThat(NodeTypeRegistrar.register(s, NodeTypeRegistrar.MAGNOLIA_STANDIN_CND)).isFalse();
                assertThat(NodeTypeRegistrar.register(s, NodeTypeRegistrar.EXCHANGE_CND)).isFalse();
            } finally {
                s.logout();
            }
        }
        assertThat(java.nio.file.Files.getLastModifiedTime(file)).as("the registry's file was not written again").isEqualTo(old);
        assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(before);
    }

    /** As {@link NodeTypeRegistrar#register} does with a file's text: nothing when registered, else registered. */
    private static boolean registerText(Session s, String cnd) throws Exception {
        if (NodeTypeRegistrar.registered(s, cnd, "probe")) {
            return false;
        }
        org.apache.jackrabbit.commons.cnd.CndImporter.registerNodeTypes(new java.io.StringReader(cnd), "probe",
                s.getWorkspace().getNodeTypeManager(), s.getWorkspace().getNamespaceRegistry(), s.getValueFactory(), true);
        return true;
    }
}
