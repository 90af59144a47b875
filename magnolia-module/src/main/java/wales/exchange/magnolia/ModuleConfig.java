package wales.exchange.magnolia;

import info.magnolia.context.MgnlContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.jcr.Node;
import javax.jcr.Property;
import javax.jcr.PropertyIterator;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.Value;

/**
 * The module's configuration in Magnolia: the properties of {@code /modules/exchange/config} in the {@code config}
 * workspace, one per setting ({@link wales.exchange.settings.ExchangeSettings.Option#key}, e.g. {@code corsOrigins});
 * a multi-valued property is read as its values joined by commas. Nothing there (a first install): no properties.
 */
public interface ModuleConfig {
    String WORKSPACE = "config";
    String PATH = "/modules/exchange/config";

    Map<String, String> properties() throws RepositoryException;

    /** The properties of the node at {@link #PATH} of {@code config}, without {@code jcr:} and {@code mgnl:} ones. */
    static Map<String, String> read(Session config) throws RepositoryException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!config.nodeExists(PATH)) {
            return out;
        }
        Node node = config.getNode(PATH);
        for (PropertyIterator it = node.getProperties(); it.hasNext(); ) {
            Property p = it.nextProperty();
            if (p.getName().startsWith("jcr:") || p.getName().startsWith("mgnl:")) {
                continue;
            }
            if (p.isMultiple()) {
                List<String> values = new ArrayList<>();
                for (Value v : p.getValues()) {
                    values.add(v.getString());
                }
                out.put(p.getName(), String.join(",", values));
            } else {
                out.put(p.getName(), p.getString());
            }
        }
        return out;
    }

    /**
     * Magnolia's: read with the system context's {@code config} session. Magnolia builds its main injector (and so the
     * module's settings) after its repositories are initialised, inside the system context (Magnolia 5.0 core
     * {@code ConfigLoader.load}, {@code MagnoliaServletContextListener.startServer}).
     */
    final class Jcr implements ModuleConfig {
        @Override
        public Map<String, String> properties() throws RepositoryException {
            return MgnlContext.doInSystemContext(() -> read(MgnlContext.getJCRSession(WORKSPACE)));
        }
    }
}
