package wales.exchange.jcr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.jcr.RepositoryException;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Keeps existing workspaces on the configuration the server ships. Jackrabbit copies the {@code <Workspace>} template
 * of the repository configuration into {@code workspaces/NAME/workspace.xml} when it creates a workspace and reads only
 * that copy afterwards, so a data directory made by an older version would keep its old persistence and search index
 * settings for ever. Before the repository opens:
 * <ul>
 * <li>the {@code PersistenceManager} and {@code SearchIndex} elements of each workspace.xml that differ from the
 * template are replaced by the template's (written to a new file, then moved over the old one);</li>
 * <li>a search index built under another indexing configuration (its fingerprint, kept in
 * {@code workspaces/NAME/index-config.sha256}, differs or is missing) is removed, so that Jackrabbit builds it again
 * from the bundles while it opens; the fingerprint is written once the repository is open
 * ({@link #indexed}), so a start killed during the rebuild rebuilds again.</li>
 * </ul>
 * Each change is returned as one line for the start's log.
 */
final class WorkspaceConfigs {
    static final String FINGERPRINT = "index-config.sha256";
    private static final String INDEXING = "/wales/exchange/jcr/indexing-configuration.xml";
    private static final List<String> SYNCED = List.of("PersistenceManager", "SearchIndex");

    private WorkspaceConfigs() {
    }

    /** Brings every existing workspace of {@code home} to the {@code <Workspace>} template of {@code config}. */
    static List<String> sync(Path home, String config) throws RepositoryException {
        Path workspaces = home.resolve("workspaces");
        List<String> changes = new ArrayList<>();
        if (!Files.isDirectory(workspaces)) {
            return changes;
        }
        try (Stream<Path> dirs = Files.list(workspaces)) {
            Element template = template(config);
            String fingerprint = fingerprint(template);
            for (Path ws : dirs.sorted().toList()) {
                Path file = ws.resolve("workspace.xml");
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                List<String> updated = update(file, template);
                if (!updated.isEmpty()) {
                    changes.add("workspace " + ws.getFileName() + ": " + String.join(" and ", updated)
                            + " configuration brought up to this version's");
                }
                Path index = ws.resolve("index");
                Path mark = ws.resolve(FINGERPRINT);
                String was = Files.isRegularFile(mark) ? Files.readString(mark).trim() : null;
                if (Files.isDirectory(index) && !fingerprint.equals(was)) {
                    deleteTree(index);
                    changes.add("workspace " + ws.getFileName() + ": search index built under "
                            + (was == null ? "an earlier" : "another") + " indexing configuration removed; it is rebuilt from the bundles now");
                }
            }
        } catch (IOException e) {
            throw new RepositoryException("cannot bring the workspace configuration under " + workspaces + " up to date: " + e.getMessage(), e);
        }
        return changes;
    }

    /** Records, once the repository is open, that each workspace's index was built under the current configuration. */
    static void indexed(Path home, String config) throws RepositoryException {
        Path workspaces = home.resolve("workspaces");
        try (Stream<Path> dirs = Files.list(workspaces)) {
            String fingerprint = fingerprint(template(config));
            for (Path ws : dirs.toList()) {
                if (Files.isDirectory(ws.resolve("index"))) {
                    Path tmp = ws.resolve(FINGERPRINT + ".tmp");
                    Files.writeString(tmp, fingerprint + "\n");
                    Files.move(tmp, ws.resolve(FINGERPRINT), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            throw new RepositoryException("cannot record the search index configuration under " + workspaces + ": " + e.getMessage(), e);
        }
    }

    /** Of the workspace template: what decides the search index's content (its settings and the indexing rules). */
    static String fingerprint(Element template) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            Element search = child(template, "SearchIndex");
            d.update(canonical(search).getBytes(StandardCharsets.UTF_8));
            try (InputStream in = WorkspaceConfigs.class.getResourceAsStream(INDEXING)) {
                if (in == null) {
                    throw new IOException(INDEXING + " is missing from the class path");
                }
                d.update(in.readAllBytes());
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> update(Path file, Element template) throws IOException {
        Document doc = parse(Files.readAllBytes(file));
        Element root = doc.getDocumentElement();
        List<String> updated = new ArrayList<>();
        for (String name : SYNCED) {
            Element want = child(template, name);
            if (want == null) {
                continue;
            }
            // Jackrabbit writes its copy with the parameters' variables as they were (${wsp.home}, ${wsp.name}, ...)
            Element copy = (Element) doc.importNode(want, true);
            Element have = child(root, name);
            if (have != null && canonical(have).equals(canonical(copy))) {
                continue;
            }
            if (have == null) {
                root.appendChild(copy);
            } else {
                root.replaceChild(copy, have);
            }
            updated.add(name.equals("SearchIndex") ? "search index" : "persistence");
        }
        if (!updated.isEmpty()) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try {
                Transformer t = TransformerFactory.newInstance().newTransformer();
                t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
                t.transform(new DOMSource(doc), new StreamResult(tmp.toFile()));
            } catch (javax.xml.transform.TransformerException e) {
                throw new IOException("cannot write " + tmp + ": " + e.getMessage(), e);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return updated;
    }

    /** The {@code <Workspace>} element of a repository configuration on the class path. */
    private static Element template(String config) throws IOException {
        try (InputStream in = WorkspaceConfigs.class.getResourceAsStream(config)) {
            if (in == null) {
                throw new IOException(config + " is missing from the class path");
            }
            Element ws = child(parse(in.readAllBytes()).getDocumentElement(), "Workspace");
            if (ws == null) {
                throw new IOException(config + " has no <Workspace> template");
            }
            return ws;
        }
    }

    /** An element's class and parameters, in order, without comments or white space. */
    static String canonical(Element e) {
        if (e == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(e.getTagName()).append('[').append(e.getAttribute("class")).append(']');
        NodeList params = e.getElementsByTagName("param");
        for (int i = 0; i < params.getLength(); i++) {
            Element p = (Element) params.item(i);
            out.append(';').append(p.getAttribute("name")).append('=').append(p.getAttribute("value"));
        }
        return out.toString();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static Document parse(byte[] xml) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // the templates name Jackrabbit's DTD: never fetched, nothing expanded
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new java.io.ByteArrayInputStream(xml));
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("cannot parse a workspace configuration: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
