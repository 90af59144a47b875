package wales.exchange.jcr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.jcr.Node;
import javax.jcr.Session;
import javax.jcr.query.Query;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import wales.exchange.content.ContentService;
import wales.exchange.intake.IntakeStore;
import wales.exchange.intake.IntakeTypes;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;
import wales.exchange.model.SubModel;

/**
 * The standalone server's Jackrabbit index holds, of content nodes, only the properties the code queries by (the
 * delivery index answers every list and search itself): every model type has a rule naming exactly those, every
 * sub-model none; and the rules are in force (a value outside them finds nothing, one inside is found).
 */
@ExtendWith(JcrExtension.class)
class IndexingConfigurationTest {
    /** The properties JCR queries of the code name (RepositoryStamps, ContentService.list, ModerationService, CommentsEndpoint). */
    static final List<String> QUERIED = List.of(ContentService.LAST_MODIFIED, ContentService.CREATED,
            ContentModel.MODERATION_STATE, IntakeStore.REPORTS, IntakeTypes.TARGET);

    private static Map<String, List<String>> rules() throws Exception {
        Map<String, List<String>> out = new HashMap<>();
        try (InputStream in = IndexingConfigurationTest.class.getResourceAsStream("/wales/exchange/jcr/indexing-configuration.xml")) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            Document d = f.newDocumentBuilder().parse(in);
            NodeList rules = d.getElementsByTagName("index-rule");
            for (int i = 0; i < rules.getLength(); i++) {
                Element r = (Element) rules.item(i);
                if (r.hasAttribute("condition")) {
                    continue;
                }
                List<String> props = new ArrayList<>();
                NodeList ps = r.getElementsByTagName("property");
                for (int k = 0; k < ps.getLength(); k++) {
                    assertThat(((Element) ps.item(k)).getAttribute("nodeScopeIndex")).isEqualTo("false");
                    props.add(ps.item(k).getTextContent().trim());
                }
                out.put(r.getAttribute("nodeType"), props);
            }
        }
        return out;
    }

    @Test
    void everyTypeIndexesExactlyTheQueriedPropertiesAndSubModelsNone() throws Exception {
        Map<String, List<String>> rules = rules();
        ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
        int types = 0;
        for (ContentType t : model.types()) {
            assertThat(rules.get(t.nodeType())).as(t.nodeType()).containsExactlyInAnyOrderElementsOf(QUERIED);
            types++;
            for (SubModel sm : t.subModels().values()) {
                assertThat(rules.get(sm.nodeType())).as(sm.nodeType()).isEmpty();
            }
        }
        assertThat(types).isGreaterThanOrEqualTo(5);
    }

    @Test
    void theRulesAreInForce(Session s) throws Exception {
        ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());
        ContentType resource = model.types().stream().filter(t -> t.name().equals("resource")).findFirst().orElseThrow();
        Node n = s.getRootNode().addNode("r1", resource.nodeType());
        n.setProperty(ContentModel.MODERATION_STATE, ContentModel.PUBLISHED);
        n.setProperty("publisher", "Cardiff University");
        s.save();
        assertThat(count(s, "//element(*, " + resource.nodeType() + ")[@" + ContentModel.MODERATION_STATE + " = '"
                + ContentModel.PUBLISHED + "']")).isEqualTo(1);
        assertThat(count(s, "//element(*, " + resource.nodeType() + ")")).isEqualTo(1);
        // not queried by the code, so not indexed: neither by value nor in the full text
        assertThat(count(s, "//element(*, " + resource.nodeType() + ")[@publisher = 'Cardiff University']")).isZero();
        assertThat(count(s, "//element(*, " + resource.nodeType() + ")[jcr:contains(., 'Cardiff')]")).isZero();
    }

    /** The number of nodes an XPath query finds (also for WorkspaceConfigsTest). */
    static long count(Session s, String xpath) throws Exception {
        @SuppressWarnings("deprecation")
        Query q = s.getWorkspace().getQueryManager().createQuery(xpath, Query.XPATH);
        long c = 0;
        for (var it = q.execute().getNodes(); it.hasNext(); it.nextNode()) {
            c++;
        }
        return c;
    }
}
