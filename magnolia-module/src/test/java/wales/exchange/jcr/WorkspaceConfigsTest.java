package wales.exchange.jcr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.jcr.Node;
import javax.jcr.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wales.exchange.model.ContentModel;

/**
 * A data directory made by an earlier version (its workspace.xml without today's settings, its search index built
 * with every property) is brought up to date at start: the file takes the template's settings and the index is built
 * again under the current rules, once.
 */
class WorkspaceConfigsTest {
    private static final String OLD_WORKSPACE = """
            <?xml version="1.0" encoding="UTF-8"?><Workspace name="exchange">
                <FileSystem class="org.apache.jackrabbit.core.fs.local.LocalFileSystem">
                    <param name="path" value="${wsp.home}"/>
                </FileSystem>
                <PersistenceManager class="org.apache.jackrabbit.core.persistence.pool.H2PersistenceManager">
                    <param name="url" value="jdbc:h2:file:${wsp.home}/db/itemState;WRITE_DELAY=0"/>
                    <param name="schemaObjectPrefix" value="b_"/>
                </PersistenceManager>
                <SearchIndex class="org.apache.jackrabbit.core.query.lucene.SearchIndex">
                    <param name="path" value="${wsp.home}/index"/>
                    <param name="supportHighlighting" value="false"/>
                </SearchIndex>
            </Workspace>
            """;

    @Test
    void anOldWorkspaceXmlTakesTheTemplatesSettingsOnce(@TempDir Path data) throws Exception {
        Path ws = data.resolve("workspaces").resolve(EmbeddedRepository.WORKSPACE);
        try (EmbeddedRepository r = EmbeddedRepository.onDisk(data)) {
            Session s = r.login();
            Node n = s.getRootNode().addNode("r1", "exchange:resource");
            n.setProperty(ContentModel.MODERATION_STATE, ContentModel.PUBLISHED);
            s.save();
            s.logout();
        }
        assertThat(ws.resolve(WorkspaceConfigs.FINGERPRINT)).exists();
        assertThat(Files.readString(ws.resolve("workspace.xml"))).contains("indexingConfiguration");

        // the settings as an earlier version wrote them; the index itself is current (its fingerprint matches)
        Files.writeString(ws.resolve("workspace.xml"), OLD_WORKSPACE);
        assertThat(WorkspaceConfigs.sync(data, "repository-file.xml"))
                .containsExactly("workspace exchange: persistence and search index configuration brought up to this version's");
        assertThat(ws.resolve("index")).isDirectory();
        String xml = Files.readString(ws.resolve("workspace.xml"));
        assertThat(xml).contains("indexingConfiguration").contains("CACHE_SIZE").contains("name=\"exchange\"")
                .contains("${wsp.home}/index");
        long modified = Files.getLastModifiedTime(ws.resolve("workspace.xml")).toMillis();
        assertThat(WorkspaceConfigs.sync(data, "repository-file.xml")).isEmpty();
        assertThat(Files.getLastModifiedTime(ws.resolve("workspace.xml")).toMillis()).isEqualTo(modified);
        try (EmbeddedRepository r = EmbeddedRepository.onDisk(data)) {
            Session s = r.login();
            assertThat(IndexingConfigurationTest.count(s, "//element(*, exchange:resource)[@" + ContentModel.MODERATION_STATE + " = 'published']")).isEqualTo(1);
            s.logout();
        }
    }

    @Test
    void anIndexWithoutFingerprintIsRebuiltUnderTheCurrentRules(@TempDir Path data) throws Exception {
        Path ws = data.resolve("workspaces").resolve(EmbeddedRepository.WORKSPACE);
        // an index built with every property: the old settings from the first start on
        Files.createDirectories(ws);
        Files.writeString(ws.resolve("workspace.xml"), OLD_WORKSPACE);
        try (EmbeddedRepository r = startWithoutSync(data)) {
            Session s = r.login();
            Node n = s.getRootNode().addNode("r1", "exchange:resource");
            n.setProperty("publisher", "Cardiff University");
            s.save();
            assertThat(IndexingConfigurationTest.count(s, "//element(*, exchange:resource)[@publisher = 'Cardiff University']")).isEqualTo(1);
            s.logout();
        }
        assertThat(ws.resolve(WorkspaceConfigs.FINGERPRINT)).doesNotExist();
        assertThat(WorkspaceConfigs.sync(data, "repository-file.xml"))
                .anyMatch(c -> c.contains("search index configuration brought up"))
                .anyMatch(c -> c.contains("rebuilt from the bundles"));
        assertThat(ws.resolve("index")).doesNotExist();
        try (EmbeddedRepository r = EmbeddedRepository.onDisk(data)) {
            Session s = r.login();
            assertThat(IndexingConfigurationTest.count(s, "//element(*, exchange:resource)")).isEqualTo(1);
            assertThat(IndexingConfigurationTest.count(s, "//element(*, exchange:resource)[@publisher = 'Cardiff University']")).isZero();
            s.logout();
        }
        assertThat(ws.resolve(WorkspaceConfigs.FINGERPRINT)).exists();
    }

    /** Opens the repository as an earlier version did: workspace.xml as it is, no fingerprint. */
    private static EmbeddedRepository startWithoutSync(Path data) throws Exception {
        return EmbeddedRepository.openAsIs(data);
    }
}
