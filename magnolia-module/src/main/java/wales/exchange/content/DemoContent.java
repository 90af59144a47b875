package wales.exchange.content;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ClasspathFiles;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.PropertyType;

/**
 * Installs the demo content (the ExChange site's welcome post, LACE materials and events) from YAML files in
 * {@value #DIR} ({@code <workspace>.<path>.yaml}, in the shape of Magnolia's YAML exports). Not in Magnolia's
 * {@code mgnl-bootstrap-samples/exchange/}: Magnolia's {@code SamplesBootstrapTask} would import that folder raw, past
 * this class. Every item goes through {@link ContentService} validation; items whose id exists are skipped, so
 * installing twice changes nothing. In Magnolia the version handler runs it only when samples are enabled.
 */
@Singleton
public final class DemoContent {
    public static final String DIR = "wales/exchange/content/demo";
    private static final String USER = "bootstrap";
    private final ContentService service;

    @Inject
    public DemoContent(ContentService service) {
        this.service = service;
    }

    /** Installs the demo content only when no content type has any content yet. Returns the number of items added. */
    public int installIfEmpty(Session session) throws RepositoryException {
        for (ContentType t : service.model().types()) {
            if (session.itemExists(t.rootPath())) {
                return 0;
            }
        }
        return install(session);
    }

    /** Installs every demo item not already present. Returns the number of items added. */
    public int install(Session session) throws RepositoryException {
        Map<String, String> files;
        try {
            files = ClasspathFiles.read(DemoContent.class.getClassLoader(), DIR, ".yaml");
        } catch (IOException e) {
            throw new RepositoryException("cannot read demo content", e);
        }
        int added = 0;
        // types that reference others (case studies → resources) after the rest: references are checked on create
        List<Map.Entry<String, String>> ordered = new ArrayList<>(files.entrySet());
        ordered.sort(java.util.Comparator.comparing((Map.Entry<String, String> f) -> referencing(f.getKey())));
        for (Map.Entry<String, String> f : ordered) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(f.getValue());
            if (!(doc instanceof Map<?, ?> top)) {
                throw new RepositoryException(DIR + "/" + f.getKey() + ": not a node tree");
            }
            for (Map.Entry<?, ?> e : top.entrySet()) {
                added += walk(session, f.getKey(), "/" + e.getKey(), (Map<?, ?>) e.getValue());
            }
        }
        return added;
    }

    /**
     * The file's ({@code <workspace>.<root>.yaml}) place in the install order: 0 for a type without references, else one
     * more than the types it references (case studies → resources → contributions), so that targets come first.
     */
    private int referencing(String file) {
        String[] parts = file.split("\\.");
        String root = parts.length > 2 ? "/" + parts[1] : "";
        return service.model().types().stream().filter(t -> t.rootPath().equals(root)).mapToInt(t -> rank(t, 0)).max().orElse(0);
    }

    private int rank(ContentType type, int depth) {
        int r = 0;
        for (PropertyDef p : type.properties()) {
            if (p.type() == PropertyType.REFERENCE && !p.target().equals(type.name()) && depth < 10) {
                r = Math.max(r, 1 + rank(service.model().get(p.target()), depth + 1));
            }
        }
        return r;
    }

    private int walk(Session session, String file, String path, Map<?, ?> node) throws RepositoryException {
        Object primaryType = node.get("jcr:primaryType");
        ContentModel model = service.model();
        var type = model.byNodeType(String.valueOf(primaryType));
        if (type.isPresent()) {
            ContentType t = type.get();
            String id = String.valueOf(node.get("jcr:uuid"));
            if (service.find(session, t.name(), id).isPresent()) {
                return 0;
            }
            String parent = path.substring(0, path.lastIndexOf('/'));
            if (!parent.startsWith(t.rootPath() + "/")) {
                throw new RepositoryException(file + ": " + path + " is outside " + t.rootPath());
            }
            try {
                Item made = service.create(session, t.name(), values(t.properties(), node, t), USER,
                        new ContentService.CreateOptions(id, parent.substring(t.rootPath().length() + 1), path.substring(path.lastIndexOf('/') + 1)));
                nextMillisecond(made);
            } catch (ValidationException e) {
                throw new RepositoryException(file + ": " + path + " is not valid: " + e.errors(), e);
            }
            return 1;
        }
        int added = 0;
        for (Map.Entry<?, ?> e : node.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> child) {
                added += walk(session, file, path + "/" + e.getKey(), child);
            }
        }
        return added;
    }

    /**
     * Waits (at most 5 ms) until the wall clock has passed the millisecond {@code made} was stamped with, so that every
     * demo item has its own lastModified: lists of equal keys (undated events, for one) fall back on the default order,
     * most recently modified first, and two items stamped in the same millisecond would then be ordered by id instead,
     * differently from one installation to the next (docs/api.md shows one order).
     */
    private static void nextMillisecond(Item made) {
        if (made.lastModified() == null) {
            return;
        }
        long stamped = made.lastModified().toInstant().toEpochMilli();
        long giveUp = System.nanoTime() + 5_000_000L;
        while (System.currentTimeMillis() <= stamped && System.nanoTime() < giveUp) {
            Thread.onSpinWait();
        }
    }

    /** A node of the bootstrap file as content-service input: {@code title} + {@code title_cy} become one i18n value. */
    private static Map<String, Object> values(List<PropertyDef> props, Map<?, ?> node, ContentType type) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (PropertyDef p : props) {
            if (p.type() == PropertyType.SUB_MODEL) {
                if (node.get(p.name()) instanceof Map<?, ?> holder) {
                    List<Object> parts = new ArrayList<>();
                    for (Map.Entry<?, ?> e : holder.entrySet()) {
                        if (e.getValue() instanceof Map<?, ?> part) {
                            parts.add(values(type.subModel(p.target()).properties(), part, type));
                        }
                    }
                    out.put(p.name(), parts);
                }
            } else if (p.i18n()) {
                Map<String, Object> byLang = new LinkedHashMap<>();
                for (Lang l : Lang.values()) {
                    Object v = node.get(l.propertyName(p.name()));
                    if (v != null) {
                        byLang.put(l.tag(), v);
                    }
                }
                if (!byLang.isEmpty()) {
                    out.put(p.name(), byLang);
                }
            } else if (node.containsKey(p.name())) {
                Object v = node.get(p.name());
                out.put(p.name(), v instanceof java.util.Date d ? d.toInstant() : v);
            }
        }
        return out;
    }
}
