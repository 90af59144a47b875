package wales.exchange.model;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the model: Magnolia content-type definitions ({@code contentTypes/<type>.yaml}, Magnolia's keys only) and, for
 * each, the module's own metadata ({@code exchange-model/<type>.yaml}, schema {@value #SCHEMA}: root path, options,
 * lengths, formats, facets, search, privacy, defaults), into one {@link ContentModel}. The two files must name the same
 * properties and sub-models. Every problem is reported as a {@link ModelException} naming the file and the line.
 */
public final class ModelLoader {
    /** Folder of Magnolia's content types, in the light module. */
    public static final String CONTENT_TYPES = "contentTypes";
    /** Folder of the module's metadata, in the light module (not a Magnolia definition folder). */
    public static final String MODEL = "exchange-model";
    /** The schema an {@code exchange-model} file names (docs/model.md). */
    public static final String SCHEMA = "exchange-model/1";
    /** Where the light module's content types sit on the class path (the jar packs light-modules/ at its root). */
    public static final String CLASSPATH_DIR = DefinitionFiles.MODULE + "/" + CONTENT_TYPES;
    static final int DEFAULT_MAX_LENGTH = 10_000;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*");
    private static final Pattern NODE_TYPE = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*:[a-zA-Z][a-zA-Z0-9]*");
    private static final Set<String> FORMATS = Set.of("uri", "email", "doi");
    private static final Set<String> TOP_KEYS = Set.of("datasource", "model", "class", "$type", "name");
    /** The keys of a content type's data source that Magnolia documents (6.3+: $type jcrContentTypeDatasource). */
    private static final Set<String> DATASOURCE_KEYS = Set.of("$type", "class", "workspace", "namespaces", "autoCreate");
    /** The keys Magnolia's {@code info.magnolia.types.model.PropertyDefinition} knows. */
    public static final Set<String> MAGNOLIA_PROPERTY_KEYS = Set.of("name", "type", "multiple", "required", "i18n");
    /** The module's own keys of a property, in {@code exchange-model/<type>.yaml}. */
    public static final Set<String> MODULE_PROPERTY_KEYS = Set.of("options", "maxLength", "format", "facet", "searchable",
            "private", "default");
    private static final Set<String> META_KEYS = Set.of("schema", "contentType", "rootPath", "properties", "subModels");

    private ModelLoader() {
    }

    /** Loads the model from the class path's {@code exchange/} folder (a directory or a jar). */
    public static ContentModel fromClasspath(ClassLoader loader) {
        return from(DefinitionFiles.classpath(loader));
    }

    /** Loads the model of a light module's folder on disk, e.g. {@code light-modules/exchange}. */
    public static ContentModel fromDirectory(Path moduleDir) {
        return from(DefinitionFiles.directory(moduleDir));
    }

    /** Loads every {@code contentTypes/*.yaml} with its {@code exchange-model/*.yaml} from {@code files}. */
    public static ContentModel from(DefinitionFiles files) {
        Map<String, String> types;
        Map<String, String> metas;
        try {
            types = files.list(CONTENT_TYPES, ".yaml");
            metas = files.list(MODEL, ".yaml");
        } catch (IOException e) {
            throw new ModelException("cannot read the model from " + files.describe() + ": " + e.getMessage(), e);
        }
        if (types.isEmpty()) {
            throw new ModelException("no content types found in " + files.describe() + " under " + CONTENT_TYPES);
        }
        for (String file : metas.keySet()) {
            if (!types.containsKey(file)) {
                throw new ModelException(MODEL + "/" + file + ":1: no content type " + CONTENT_TYPES + "/" + file + " to describe");
            }
        }
        List<ContentType> result = new ArrayList<>();
        for (Map.Entry<String, String> t : new java.util.TreeMap<>(types).entrySet()) {
            String meta = metas.get(t.getKey());
            if (meta == null) {
                throw new ModelException(CONTENT_TYPES + "/" + t.getKey() + ":1: no " + MODEL + "/" + t.getKey()
                        + " with the module's metadata of this content type");
            }
            result.add(parse(CONTENT_TYPES + "/" + t.getKey(), t.getValue(), MODEL + "/" + t.getKey(), meta));
        }
        return new ContentModel(result);
    }

    /**
     * Parses one content type ({@code source}, Magnolia's keys only; its file name gives the type its name) with the
     * module's metadata of it ({@code metaSource}).
     */
    public static ContentType parse(String source, String yamlText, String metaSource, String metaText) {
        String fileName = source.substring(source.lastIndexOf('/') + 1);
        String typeName = fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - 5) : fileName;
        Node root = compose(source, yamlText);
        if (!(root instanceof MappingNode top)) {
            throw new ModelException(source + ":1: a content type must be a YAML mapping with datasource and model");
        }
        if (!NAME.matcher(typeName).matches()) {
            throw fail(source, root, "file name must be a content-type name (letters and digits), not '" + typeName + "'");
        }
        Meta meta = meta(metaSource, compose(metaSource, metaText), typeName);
        Map<String, Node> topMap = mapping(source, top, TOP_KEYS);
        MappingNode ds = asMapping(source, require(source, top, topMap, "datasource"), "datasource");
        Map<String, Node> dsMap = mapping(source, ds, DATASOURCE_KEYS);
        String workspace = scalar(source, require(source, ds, dsMap, "workspace"), "datasource.workspace");
        String rootPath = meta.rootPath;
        if (!rootPath.startsWith("/") || rootPath.contains("//") || (rootPath.length() > 1 && !rootPath.substring(1).matches("[a-z0-9-]+(/[a-z0-9-]+)*"))) {
            throw fail(metaSource, meta.rootPathNode, "rootPath must be an absolute path of lower-case names");
        }
        Map<String, String> namespaces = new LinkedHashMap<>();
        if (dsMap.containsKey("namespaces")) {
            mapping(source, asMapping(source, dsMap.get("namespaces"), "datasource.namespaces"), null)
                    .forEach((k, v) -> namespaces.put(k, scalar(source, v, "datasource.namespaces." + k)));
        }
        MappingNode model = asMapping(source, require(source, top, topMap, "model"), "model");
        Map<String, Node> modelMap = mapping(source, model, Set.of("nodeType", "properties", "subModels", "class", "$type"));
        String nodeType = modelMap.containsKey("nodeType") ? scalar(source, modelMap.get("nodeType"), "model.nodeType") : "mgnl:content";
        if (!NODE_TYPE.matcher(nodeType).matches()) {
            throw fail(source, modelMap.get("nodeType"), "model.nodeType must be prefix:name, not '" + nodeType + "'");
        }
        Map<String, Node> subModelNodes = new LinkedHashMap<>();
        if (modelMap.containsKey("subModels")) {
            for (Node n : namedList(source, modelMap.get("subModels"), "model.subModels")) {
                MappingNode m = asMapping(source, n, "subModel");
                subModelNodes.put(scalar(source, require(source, m, mapping(source, m, null), "name"), "subModel name"), m);
            }
        }
        for (Map.Entry<String, MappingNode> e : meta.subModels.entrySet()) {
            if (!subModelNodes.containsKey(e.getKey())) {
                throw fail(metaSource, e.getValue(), "sub-model " + e.getKey() + " is not in " + source);
            }
        }
        Map<String, SubModel> subModels = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : subModelNodes.entrySet()) {
            MappingNode m = (MappingNode) e.getValue();
            if (m.getValue().stream().anyMatch(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("subModels"))) {
                throw fail(source, m, "a sub-model cannot have sub-models");
            }
            Map<String, Node> sm = mapping(source, m, Set.of("name", "nodeType", "properties"));
            String smType = sm.containsKey("nodeType") ? scalar(source, sm.get("nodeType"), "subModel nodeType") : "mgnl:contentNode";
            MappingNode smMeta = meta.subModels.get(e.getKey());
            if (smMeta == null) {
                throw fail(source, m, "sub-model " + e.getKey() + " has no entry under subModels in " + metaSource);
            }
            List<PropertyDef> props = properties(source, require(source, m, sm, "properties"), Set.of(), true,
                    metaSource, smMeta);
            subModels.put(e.getKey(), new SubModel(e.getKey(), smType, props, index(props)));
        }
        List<PropertyDef> props = properties(source, require(source, model, modelMap, "properties"), subModels.keySet(), false,
                metaSource, meta.properties);
        return new ContentType(typeName, source, workspace, rootPath, nodeType, Map.copyOf(namespaces), props, index(props),
                Collections.unmodifiableMap(subModels));
    }

    /** An {@code exchange-model} file: its root path, and the mapping of property metadata of the type and each sub-model. */
    private record Meta(String rootPath, Node rootPathNode, MappingNode properties, Map<String, MappingNode> subModels) {
    }

    private static Meta meta(String source, Node root, String typeName) {
        if (!(root instanceof MappingNode top)) {
            throw new ModelException(source + ":1: the module's metadata must be a YAML mapping (schema " + SCHEMA + ")");
        }
        Map<String, Node> m = mapping(source, top, META_KEYS);
        String schema = scalar(source, require(source, top, m, "schema"), "schema");
        if (!schema.equals(SCHEMA)) {
            throw fail(source, m.get("schema"), "schema must be " + SCHEMA + ", not '" + schema + "'");
        }
        String contentType = scalar(source, require(source, top, m, "contentType"), "contentType");
        if (!contentType.equals(typeName)) {
            throw fail(source, m.get("contentType"), "contentType must be " + typeName + " (the file's name), not '" + contentType + "'");
        }
        Node rootPathNode = m.getOrDefault("rootPath", top);
        String rootPath = m.containsKey("rootPath") ? scalar(source, m.get("rootPath"), "rootPath") : "/";
        MappingNode properties = asMapping(source, require(source, top, m, "properties"), "properties");
        Map<String, MappingNode> subModels = new LinkedHashMap<>();
        if (m.containsKey("subModels")) {
            mapping(source, asMapping(source, m.get("subModels"), "subModels"), null)
                    .forEach((k, v) -> subModels.put(k, asMapping(source, v, "subModels." + k)));
        }
        return new Meta(rootPath, rootPathNode, properties, subModels);
    }

    private static Node compose(String source, String yamlText) {
        try (Reader r = new java.io.StringReader(yamlText)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setCodePointLimit(1_000_000);
            return new Yaml(options).compose(r);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ModelException(source + ":" + (m == null ? "?" : m.getLine() + 1) + ": YAML syntax error: "
                    + e.getProblem(), e);
        } catch (IOException | RuntimeException e) {
            throw new ModelException(source + ": cannot parse YAML: " + e.getMessage(), e);
        }
    }

    private static Map<String, PropertyDef> index(List<PropertyDef> props) {
        Map<String, PropertyDef> m = new LinkedHashMap<>();
        props.forEach(p -> m.put(p.name(), p));
        return Collections.unmodifiableMap(m);
    }

    private static List<PropertyDef> properties(String source, Node node, Set<String> subModelNames, boolean inSubModel,
                                                String metaSource, MappingNode metaProperties) {
        List<PropertyDef> result = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        Map<String, Node> metaByName = mapping(metaSource, metaProperties, null);
        for (Node n : namedList(source, node, "properties")) {
            MappingNode pm = asMapping(source, n, "property");
            Map<String, Node> ct = mapping(source, pm, MAGNOLIA_PROPERTY_KEYS);
            String name = scalar(source, require(source, pm, ct, "name"), "property name");
            Node metaNode = metaByName.get(name);
            if (metaNode == null) {
                throw fail(source, ct.get("name"), "property " + name + " has no entry in " + metaSource);
            }
            // one view of the property: Magnolia's keys from the content type, the module's from its metadata
            Map<String, Node> p = new LinkedHashMap<>(ct);
            p.putAll(mapping(metaSource, asMapping(metaSource, metaNode, "properties." + name), MODULE_PROPERTY_KEYS));
            if (!NAME.matcher(name).matches()) {
                throw fail(source, p.get("name"), "property name '" + name + "' must be letters and digits only");
            }
            if (name.matches(".*_[a-z]{2}$")) {
                throw fail(source, p.get("name"), "property name '" + name + "' ends like a language suffix");
            }
            if (!seen.add(name)) {
                throw fail(source, p.get("name"), "property " + name + " is defined twice");
            }
            String typeText = p.containsKey("type") ? scalar(source, p.get("type"), name + ".type") : "String";
            PropertyType type = PropertyType.builtIn(typeText);
            String target = null;
            if (type == null) {
                if (typeText.startsWith("reference:")) {
                    type = PropertyType.REFERENCE;
                    target = typeText.substring("reference:".length());
                } else if (subModelNames.contains(typeText)) {
                    type = PropertyType.SUB_MODEL;
                    target = typeText;
                } else {
                    throw fail(source, p.get("type"), "property " + name + " has unknown type '" + typeText
                            + "' (expected String, richText, Boolean, Long, Double, Decimal, Date, asset, reference:<type>"
                            + (subModelNames.isEmpty() ? "" : " or a sub-model: " + subModelNames) + ")");
                }
            }
            if (inSubModel && type == PropertyType.SUB_MODEL) {
                throw fail(source, pm, "a sub-model property cannot itself be a sub-model");
            }
            boolean multiple = bool(source, p, "multiple");
            boolean i18n = bool(source, p, "i18n");
            if (i18n && !type.isText()) {
                throw fail(source, p.get("i18n"), "property " + name + ": only String and richText properties can be i18n");
            }
            if (i18n && multiple) {
                throw fail(source, p.get("i18n"), "property " + name + ": an i18n property cannot also be multiple");
            }
            List<String> options = new ArrayList<>();
            if (p.containsKey("options")) {
                if (!(p.get("options") instanceof SequenceNode seq)) {
                    throw fail(metaSource, p.get("options"), "property " + name + ": options must be a list of values");
                }
                for (Node o : seq.getValue()) {
                    String v = scalar(metaSource, o, name + ".options");
                    if (!v.matches("[a-z0-9][a-z0-9-]*")) {
                        throw fail(metaSource, o, "property " + name + ": option '" + v + "' must be lower-case letters, digits and -");
                    }
                    options.add(v);
                }
                if (type != PropertyType.STRING || i18n) {
                    throw fail(metaSource, p.get("options"), "property " + name + ": options need a plain String property");
                }
            }
            int maxLength = DEFAULT_MAX_LENGTH;
            if (p.containsKey("maxLength")) {
                try {
                    maxLength = Integer.parseInt(scalar(metaSource, p.get("maxLength"), name + ".maxLength"));
                } catch (NumberFormatException e) {
                    throw fail(metaSource, p.get("maxLength"), "property " + name + ": maxLength must be a whole number");
                }
                if (maxLength < 1) {
                    throw fail(metaSource, p.get("maxLength"), "property " + name + ": maxLength must be at least 1");
                }
            }
            String format = p.containsKey("format") ? scalar(metaSource, p.get("format"), name + ".format") : null;
            if (format != null && !FORMATS.contains(format)) {
                throw fail(metaSource, p.get("format"), "property " + name + ": format must be one of " + FORMATS);
            }
            Object defaultValue = null;
            if (p.containsKey("default")) {
                String d = scalar(metaSource, p.get("default"), name + ".default");
                if (type == PropertyType.BOOLEAN) {
                    if (!d.equals("true") && !d.equals("false")) {
                        throw fail(metaSource, p.get("default"), "property " + name + ": default must be true or false");
                    }
                    defaultValue = Boolean.valueOf(d);
                } else if (type == PropertyType.STRING && !i18n && !multiple) {
                    if (!options.isEmpty() && !options.contains(d)) {
                        throw fail(metaSource, p.get("default"), "property " + name + ": default '" + d + "' is not one of its options");
                    }
                    defaultValue = d;
                } else {
                    throw fail(metaSource, p.get("default"), "property " + name + ": defaults are for single Boolean and String properties");
                }
            }
            if (bool(metaSource, p, "private") && (bool(metaSource, p, "searchable") || bool(metaSource, p, "facet"))) {
                throw fail(metaSource, p.get("private"), "property " + name + ": a private property cannot be searchable or a facet");
            }
            result.add(new PropertyDef(name, type, target, multiple, bool(source, p, "required"), i18n, List.copyOf(options),
                    maxLength, format, bool(metaSource, p, "facet"), bool(metaSource, p, "searchable"), bool(metaSource, p, "private"),
                    defaultValue));
        }
        if (result.isEmpty()) {
            throw fail(source, node, "a model needs at least one property");
        }
        for (Map.Entry<String, Node> e : metaByName.entrySet()) {
            if (!seen.contains(e.getKey())) {
                throw fail(metaSource, metaProperties, "property " + e.getKey() + " is not in " + source);
            }
        }
        return List.copyOf(result);
    }

    /** A list of mappings, or a map keyed by name (Magnolia accepts both); map keys become the {@code name}. */
    private static List<Node> namedList(String source, Node node, String what) {
        if (node instanceof SequenceNode seq) {
            return seq.getValue();
        }
        if (node instanceof MappingNode map) {
            List<Node> out = new ArrayList<>();
            for (NodeTuple t : map.getValue()) {
                String key = scalar(source, t.getKeyNode(), what);
                MappingNode value = asMapping(source, t.getValueNode(), what + "." + key);
                if (value.getValue().stream().noneMatch(x -> x.getKeyNode() instanceof ScalarNode s && s.getValue().equals("name"))) {
                    value.getValue().add(new NodeTuple(new ScalarNode(org.yaml.snakeyaml.nodes.Tag.STR, "name",
                            t.getKeyNode().getStartMark(), t.getKeyNode().getEndMark(), org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN),
                            t.getKeyNode()));
                }
                out.add(value);
            }
            return out;
        }
        throw fail(source, node, what + " must be a list or a map");
    }

    private static boolean bool(String source, Map<String, Node> p, String key) {
        if (!p.containsKey(key)) {
            return false;
        }
        String v = scalar(source, p.get(key), key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw fail(source, p.get(key), key + " must be true or false, not '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private static Node require(String source, Node parent, Map<String, Node> map, String key) {
        Node n = map.get(key);
        if (n == null) {
            throw fail(source, parent, "missing required key '" + key + "'");
        }
        return n;
    }

    private static MappingNode asMapping(String source, Node n, String what) {
        if (n instanceof MappingNode m) {
            return m;
        }
        throw fail(source, n, what + " must be a mapping");
    }

    private static Map<String, Node> mapping(String source, MappingNode node, Set<String> allowed) {
        Map<String, Node> m = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            String key = scalar(source, t.getKeyNode(), "key");
            if (allowed != null && !allowed.contains(key)) {
                throw fail(source, t.getKeyNode(), "unknown key '" + key + "' (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
            if (m.put(key, t.getValueNode()) != null) {
                throw fail(source, t.getKeyNode(), "duplicate key '" + key + "'");
            }
        }
        return m;
    }

    private static String scalar(String source, Node n, String what) {
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        throw fail(source, n, what + " must be a single value");
    }

    private static ModelException fail(String source, Node at, String message) {
        return new ModelException(source + ":" + (at.getStartMark().getLine() + 1) + ": " + message);
    }
}
