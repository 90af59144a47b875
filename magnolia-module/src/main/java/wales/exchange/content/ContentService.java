package wales.exchange.content;

import wales.exchange.delivery.Exchange;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Pattern;
import javax.jcr.ImportUUIDBehavior;
import javax.jcr.InvalidItemStateException;
import javax.jcr.ItemNotFoundException;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.Property;
import javax.jcr.PropertyType;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.Value;
import javax.jcr.ValueFactory;
import javax.jcr.query.Query;
import javax.jcr.query.QueryManager;
import org.apache.jackrabbit.util.ISO9075;
import org.apache.jackrabbit.util.Text;
import wales.exchange.i18n.Lang;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;
import wales.exchange.model.SubModel;
import wales.exchange.moderation.State;

/**
 * Create, read, update, delete and list items of every content type on a {@code javax.jcr.Session}, driven entirely
 * by the {@link ContentModel} loaded from the content-type YAML. Writes are validated first and saved at once, or not
 * at all; a write based on a stale revision is refused with {@link ConflictException}.
 */
@Singleton
public final class ContentService {
    public static final String REVISION = "exchange:revision";
    public static final String CREATED = "mgnl:created";
    public static final String CREATED_BY = "mgnl:createdBy";
    public static final String LAST_MODIFIED = "mgnl:lastModified";
    public static final String LAST_MODIFIED_BY = "mgnl:lastModifiedBy";
    /**
     * Who edited the item's content (not its workflow state) since it was last published, multi-valued: none of them
     * may approve it (four-eyes). Appended by {@link #update} and {@link #put}, cleared by a publication.
     */
    public static final String EDITORS = "exchange:editors";
    public static final String FOLDER_TYPE = "mgnl:folder";
    public static final String CONTENT_NODE_TYPE = "mgnl:contentNode";
    public static final int MAX_LIST = 100;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,59}");
    private static final Pattern FOLDER = Pattern.compile("[a-z0-9][a-z0-9-]{0,59}(/[a-z0-9][a-z0-9-]{0,59}){0,3}");
    private static final Object[] LOCKS = new Object[64];

    static {
        for (int i = 0; i < LOCKS.length; i++) {
            LOCKS[i] = new Object();
        }
    }

    private final ContentModel model;
    private final Clock clock;

    @Inject
    public ContentService(ContentModel model, @Exchange Clock clock) {
        this.model = model;
        this.clock = clock;
    }

    public ContentModel model() {
        return model;
    }

    /**
     * Where and as what to create an item. All optional: {@code id} fixes the JCR identifier (demo content, imports),
     * {@code folder} is relative to the type's root path (default {@code yyyy/MM} of creation), {@code name} the node
     * name (default: a slug of the title).
     */
    public record CreateOptions(String id, String folder, String name) {
        public static final CreateOptions NONE = new CreateOptions(null, null, null);
    }

    public Item create(Session session, String typeName, Map<String, ?> input, String user) {
        return create(session, typeName, input, user, CreateOptions.NONE);
    }

    public Item create(Session session, String typeName, Map<String, ?> input, String user, CreateOptions options) {
        ContentType type = type(typeName);
        List<FieldError> errors = new ArrayList<>();
        checkOptions(options, errors);
        Map<String, Object> values = validate(session, type, input, true, errors, NO_PENDING);
        try {
            Node node = addItem(session, type, values, user, options, false);
            session.save();
            return toItem(type, node);
        } catch (RepositoryException e) {
            discard(session);
            throw new ContentException("cannot create " + typeName + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard(session);
            throw e;
        }
    }

    /**
     * As {@link #create}, into the session's transient space: <b>the caller saves</b> (with whatever else belongs to the
     * same change, in one {@code session.save()}) or discards. Returns the new item's node.
     */
    public Node createUnsaved(Session session, String typeName, Map<String, ?> input, String user, CreateOptions options) {
        ContentType type = type(typeName);
        List<FieldError> errors = new ArrayList<>();
        checkOptions(options, errors);
        Map<String, Object> values = validate(session, type, input, true, errors, NO_PENDING);
        try {
            return addItem(session, type, values, user, options, false);
        } catch (RepositoryException e) {
            throw new ContentException("cannot create " + typeName + ": " + e.getMessage(), e);
        }
    }

    /** An item id as the service accepts it: a lower-case UUID. */
    public static boolean isId(String id) {
        return Values.isId(id);
    }

    /** A folder path ({@link CreateOptions#folder()}) as the service accepts it. */
    public static boolean isFolder(String folder) {
        return folder != null && FOLDER.matcher(folder).matches();
    }

    /** A node name ({@link CreateOptions#name()}) as the service accepts it. */
    public static boolean isNodeName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** What {@link #put} did with an item. */
    public enum PutResult { CREATED, UPDATED, UNCHANGED }

    /**
     * Writes one whole item for a bulk import, into the session's transient space: <b>the caller saves</b>
     * ({@code session.save()} once per batch) or discards ({@code session.refresh(false)}). Validation, sanitising,
     * defaults, audit stamps and revision are those of {@link #create} and {@link #update}: {@code input} is the item's
     * complete value set (a property it does not name is removed from an existing item). With an {@code options.id()}
     * of an existing item of this type, the item is replaced when its values differ ({@link PutResult#UPDATED}: revision
     * + 1, last-modified stamps) and left alone when they are the same ({@link PutResult#UNCHANGED}); an existing item
     * keeps its folder and name. An invalid input throws {@link ValidationException} before anything is changed, so
     * the batch's other items stay pending; a {@link ContentException} leaves the session to be discarded.
     */
    public PutResult put(Session session, String typeName, Map<String, ?> input, String user, CreateOptions options) {
        return put(session, prepare(typeName, input, options), user);
    }

    /**
     * A line of a bulk import checked as far as it can be without the repository: options, every value converted and
     * sanitised, defaults applied; the errors found so far kept, not thrown. Needs no session and touches no state, so
     * an importer prepares the next lines on another thread while this one writes; {@link #put(Session, Prepared, String)}
     * then adds what needs the repository (required values, references) and reports all errors in the order
     * {@link #put(Session, String, Map, String, CreateOptions)} gives them.
     */
    public Prepared prepare(String typeName, Map<String, ?> input, CreateOptions options) {
        ContentType type = type(typeName);
        List<FieldError> errors = new ArrayList<>();
        checkOptions(options, errors);
        Map<String, Object> values = convert(type, input, true, errors);
        return new Prepared(type, options, values, errors);
    }

    /** The result of {@link #prepare}: opaque to callers. */
    public static final class Prepared {
        private final ContentType type;
        private final CreateOptions options;
        private final Map<String, Object> values;
        private final List<FieldError> errors;

        private Prepared(ContentType type, CreateOptions options, Map<String, Object> values, List<FieldError> errors) {
            this.type = type;
            this.options = options;
            this.values = values;
            this.errors = List.copyOf(errors);
        }
    }

    /** {@link #put(Session, String, Map, String, CreateOptions)} of a {@link #prepare prepared} line. */
    public PutResult put(Session session, Prepared prepared, String user) {
        return put(session, prepared, user, true);
    }

    /**
     * As {@link #put(Session, Prepared, String)}; {@code mayExist} false says the caller knows that no node has the
     * line's id (a bulk import's filter of the repository's identifiers), so it is not looked up.
     */
    public PutResult put(Session session, Prepared prepared, String user, boolean mayExist) {
        ContentType type = prepared.type;
        CreateOptions options = prepared.options;
        String typeName = type.name();
        Map<String, Object> values = prepared.values;
        finish(session, type, values, new ArrayList<>(prepared.errors), NO_PENDING);
        try {
            if (options.id() != null && mayExist) {
                // one look-up by id: an item of this type is replaced or kept, anything else with the id is taken
                Node found = byId(session, options.id());
                if (found != null && isItem(found, type)) {
                    Node node = found;
                    if (sameValues(readValues(type.properties(), node, type), values)) {
                        return PutResult.UNCHANGED;
                    }
                    long revision = node.hasProperty(REVISION) ? node.getProperty(REVISION).getLong() : 0L;
                    write(session, node, type, values);
                    node.setProperty(LAST_MODIFIED, GregorianCalendar.from(ZonedDateTime.now(clock).withZoneSameInstant(ContentModel.ZONE)));
                    node.setProperty(LAST_MODIFIED_BY, user(user));
                    node.setProperty(REVISION, revision + 1);
                    addEditor(node, user(user));
                    return PutResult.UPDATED;
                }
                if (found != null) {
                    throw new ValidationException(List.of(new FieldError("id", "idTaken")));
                }
            }
            addItem(session, type, values, user, options, true);
            return PutResult.CREATED;
        } catch (RepositoryException e) {
            throw new ContentException("cannot write " + typeName + " " + options.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Validates {@code input} and {@code options} exactly as {@link #put} would, writing nothing. A reference is
     * accepted when its item exists or {@code pending} says it will (an earlier line of the same import); an id that
     * exists as anything other than an item of this type is taken. Throws {@link ValidationException}.
     */
    public void check(Session session, String typeName, Map<String, ?> input, CreateOptions options, PendingItems pending) {
        ContentType type = type(typeName);
        List<FieldError> errors = new ArrayList<>();
        checkOptions(options, errors);
        validate(session, type, input, true, errors, pending);
        try {
            if (options.id() != null && !pending.has(typeName, options.id())) {
                Node found = byId(session, options.id());
                if (found != null && !isItem(found, type)) {
                    throw new ValidationException(List.of(new FieldError("id", "idTaken")));
                }
            }
        } catch (RepositoryException e) {
            throw new ContentException("cannot check " + options.id() + ": " + e.getMessage(), e);
        }
    }

    /** Items not saved yet but about to be (earlier lines of an import): valid targets of references. */
    @FunctionalInterface
    public interface PendingItems {
        boolean has(String typeName, String id);
    }

    private static final PendingItems NO_PENDING = (type, id) -> false;

    private static void checkOptions(CreateOptions options, List<FieldError> errors) {
        if (options.id() != null && !Values.isId(options.id())) {
            errors.add(new FieldError("id", "id"));
        }
        if (options.folder() != null && !FOLDER.matcher(options.folder()).matches()) {
            errors.add(new FieldError("folder", "nodeName"));
        }
        if (options.name() != null && !NAME.matcher(options.name()).matches()) {
            errors.add(new FieldError("name", "nodeName"));
        }
    }

    /**
     * Adds a new item node with its values and creation stamps, revision 1 (no save). {@code idChecked}: the caller has
     * just found no node with {@code options.id()} in this session (so it is not looked up again).
     */
    private Node addItem(Session session, ContentType type, Map<String, Object> values, String user, CreateOptions options,
            boolean idChecked) throws RepositoryException {
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ContentModel.ZONE);
        String folderPath = options.folder() != null ? options.folder()
                : String.format(Locale.ROOT, "%04d/%02d", now.getYear(), now.getMonthValue());
        Node folder = ensureFolders(session, type.rootPath(), folderPath);
        String name = uniqueName(folder, options.name() != null ? options.name() : slug(titleOf(values)));
        Node node;
        if (options.id() != null) {
            if (!idChecked && exists(session, options.id())) {
                throw new ValidationException(List.of(new FieldError("id", "idTaken")));
            }
            node = addWithIdentifier(session, folder, name, type.nodeType(), options.id());
        } else {
            node = folder.addNode(name, type.nodeType());
        }
        write(session, node, type, values);
        Calendar stamp = GregorianCalendar.from(now);
        node.setProperty(CREATED, stamp);
        node.setProperty(CREATED_BY, user(user));
        node.setProperty(LAST_MODIFIED, stamp);
        node.setProperty(LAST_MODIFIED_BY, user(user));
        node.setProperty(REVISION, 1L);
        return node;
    }

    /**
     * Whether two canonical value maps hold the same values as stored: dates to the millisecond (what JCR keeps),
     * decimals by value (1.0 = 1.00).
     */
    static boolean sameValues(Object a, Object b) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (!ma.keySet().equals(mb.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!sameValues(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!sameValues(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof OffsetDateTime da && b instanceof OffsetDateTime db) {
            return da.toInstant().toEpochMilli() == db.toInstant().toEpochMilli();
        }
        if (a instanceof BigDecimal da && b instanceof BigDecimal db) {
            return da.compareTo(db) == 0;
        }
        return java.util.Objects.equals(a, b);
    }

    public Item read(Session session, String typeName, String id) {
        return find(session, typeName, id).orElseThrow(() -> new NotFoundException(typeName, id));
    }

    public Optional<Item> find(Session session, String typeName, String id) {
        ContentType type = type(typeName);
        try {
            return node(session, type, id).map(n -> {
                try {
                    return toItem(type, n);
                } catch (RepositoryException e) {
                    throw new ContentException("cannot read " + id, e);
                }
            });
        } catch (RepositoryException e) {
            throw new ContentException("cannot read " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies {@code changes} to the item at {@code expectedRevision}: a key with a value replaces that property, a
     * key with null removes it; an i18n value merges per language ({@code {"cy": null}} removes the Welsh text).
     */
    public Item update(Session session, String typeName, String id, long expectedRevision, Map<String, ?> changes,
                       String user) {
        return update(session, typeName, id, expectedRevision, changes, user, false);
    }

    /**
     * A workflow transition's write (only {@code moderationState} changes, by {@code user}): not an edit, so it does not
     * add to {@value #EDITORS}; a publication clears that list. Only the moderation service calls it.
     */
    public Item updateState(Session session, String typeName, String id, long expectedRevision, String state, String user) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put(ContentModel.MODERATION_STATE, state);
        return update(session, typeName, id, expectedRevision, change, user, true);
    }

    /** The people in {@value #EDITORS} of {@code node}. */
    public static List<String> editors(Node node) throws RepositoryException {
        List<String> out = new ArrayList<>();
        if (node.hasProperty(EDITORS)) {
            for (Value v : node.getProperty(EDITORS).getValues()) {
                out.add(v.getString());
            }
        }
        return out;
    }

    private static void addEditor(Node node, String user) throws RepositoryException {
        List<String> editors = editors(node);
        if (!editors.contains(user)) {
            editors.add(user);
            node.setProperty(EDITORS, editors.toArray(new String[0]));
        }
    }

    private Item update(Session session, String typeName, String id, long expectedRevision, Map<String, ?> changes,
                        String user, boolean transition) {
        ContentType type = type(typeName);
        synchronized (lock(id)) {
            try {
                Node node = atRevision(session, type, id, expectedRevision);
                Map<String, Object> merged = new LinkedHashMap<>(readValues(type.properties(), node));
                if (!transition && type.property(ContentModel.MODERATION_STATE) != null
                        && !changes.containsKey(ContentModel.MODERATION_STATE)
                        && State.APPROVED.tag().equals(merged.get(ContentModel.MODERATION_STATE))) {
                    // an approved item edited goes back to review: what was approved is no longer what would be published
                    merged.put(ContentModel.MODERATION_STATE, State.IN_REVIEW.tag());
                }
                for (Map.Entry<String, ?> e : changes.entrySet()) {
                    PropertyDef p = type.property(e.getKey());
                    if (p != null && p.i18n() && e.getValue() instanceof Map<?, ?> patch && merged.get(p.name()) instanceof Map<?, ?> old) {
                        Map<Object, Object> m = new LinkedHashMap<>(old);
                        patch.forEach((k, v) -> {
                            if (v == null) {
                                m.remove(k);
                            } else {
                                m.put(k, v);
                            }
                        });
                        merged.put(e.getKey(), m.isEmpty() ? null : m);
                    } else {
                        merged.put(e.getKey(), e.getValue());
                    }
                }
                merged.values().removeIf(java.util.Objects::isNull);
                List<FieldError> errors = new ArrayList<>();
                Map<String, Object> values = validate(session, type, merged, false, errors, NO_PENDING);
                write(session, node, type, values);
                node.setProperty(LAST_MODIFIED, GregorianCalendar.from(ZonedDateTime.now(clock).withZoneSameInstant(ContentModel.ZONE)));
                node.setProperty(LAST_MODIFIED_BY, user(user));
                node.setProperty(REVISION, expectedRevision + 1);
                if (!transition) {
                    addEditor(node, user(user));
                } else if (State.PUBLISHED.tag().equals(values.get(ContentModel.MODERATION_STATE)) && node.hasProperty(EDITORS)) {
                    node.getProperty(EDITORS).remove();
                }
                session.save();
                return toItem(type, node);
            } catch (InvalidItemStateException e) {
                discard(session);
                throw new ConflictException(id, expectedRevision, -1);
            } catch (RepositoryException e) {
                discard(session);
                throw new ContentException("cannot update " + id + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                discard(session);
                throw e;
            }
        }
    }

    public void delete(Session session, String typeName, String id, long expectedRevision) {
        ContentType type = type(typeName);
        synchronized (lock(id)) {
            try {
                atRevision(session, type, id, expectedRevision).remove();
                session.save();
            } catch (InvalidItemStateException e) {
                discard(session);
                throw new ConflictException(id, expectedRevision, -1);
            } catch (RepositoryException e) {
                discard(session);
                throw new ContentException("cannot delete " + id + ": " + e.getMessage(), e);
            }
        }
    }

    /** The item's node, if it is still at {@code expectedRevision}; else NotFound or Conflict. */
    private Node atRevision(Session session, ContentType type, String id, long expectedRevision) throws RepositoryException {
        Node node = node(session, type, id).orElseThrow(() -> new NotFoundException(type.name(), id));
        long current = node.getProperty(REVISION).getLong();
        if (current != expectedRevision) {
            throw new ConflictException(id, expectedRevision, current);
        }
        return node;
    }

    /**
     * The most recently modified items of a type, newest first: a path-scoped, limited XPath query (Jackrabbit 2 sorts
     * XPath {@code order by} in the index, not in memory as it does for JCR-SQL2).
     */
    public List<Item> list(Session session, String typeName, int offset, int limit) {
        ContentType type = type(typeName);
        if (offset < 0 || limit < 1 || limit > MAX_LIST) {
            throw new IllegalArgumentException("offset must be >= 0 and limit 1.." + MAX_LIST);
        }
        try {
            QueryManager qm = session.getWorkspace().getQueryManager();
            @SuppressWarnings("deprecation")
            Query q = qm.createQuery("/jcr:root" + ISO9075.encodePath(type.rootPath()) + "//element(*, " + type.nodeType()
                    + ") order by @mgnl:lastModified descending", Query.XPATH);
            q.setOffset(offset);
            q.setLimit(limit);
            List<Item> out = new ArrayList<>();
            for (NodeIterator it = q.execute().getNodes(); it.hasNext(); ) {
                out.add(toItem(type, it.nextNode()));
            }
            return out;
        } catch (RepositoryException e) {
            throw new ContentException("cannot list " + typeName + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // validation

    private Map<String, Object> validate(Session session, ContentType type, Map<String, ?> input, boolean create,
                                         List<FieldError> errors, PendingItems pending) {
        Map<String, Object> out = convert(type, input, create, errors);
        finish(session, type, out, errors, pending);
        return out;
    }

    /** The part of validation that needs no repository: values converted and sanitised, defaults (errors collected). */
    private Map<String, Object> convert(ContentType type, Map<String, ?> input, boolean create, List<FieldError> errors) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : input.entrySet()) {
            PropertyDef p = type.property(e.getKey());
            if (p == null) {
                errors.add(new FieldError(Values.safeName(e.getKey()), "unknownField"));
                continue;
            }
            Object v = Values.convert(p, e.getValue(), p.name(), type::subModel, errors);
            if (v != null) {
                out.put(p.name(), v);
            }
        }
        if (create) {
            for (PropertyDef p : type.properties()) {
                if (!out.containsKey(p.name()) && p.defaultValue() != null && !input.containsKey(p.name())) {
                    out.put(p.name(), p.defaultValue());
                }
            }
        }
        return out;
    }

    /**
     * The rest of validation, on the repository: required values and references, per property in model order (as one
     * pass always reported them); throws {@link ValidationException} with every error.
     */
    private void finish(Session session, ContentType type, Map<String, Object> out, List<FieldError> errors,
                        PendingItems pending) {
        for (PropertyDef p : type.properties()) {
            if (p.required() && !out.containsKey(p.name()) && errors.stream().noneMatch(x -> x.field().startsWith(p.name()))) {
                errors.add(new FieldError(p.name(), "required"));
            }
            if (p.type() == wales.exchange.model.PropertyType.REFERENCE && out.get(p.name()) != null) {
                checkReferences(session, p, out.get(p.name()), errors, pending);
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    private void checkReferences(Session session, PropertyDef p, Object value, List<FieldError> errors, PendingItems pending) {
        ContentType target = model.get(p.target());
        List<?> ids = value instanceof List<?> l ? l : List.of(value);
        for (int i = 0; i < ids.size(); i++) {
            String field = p.multiple() ? p.name() + "[" + i + "]" : p.name();
            try {
                if (!pending.has(target.name(), (String) ids.get(i)) && node(session, target, (String) ids.get(i)).isEmpty()) {
                    errors.add(new FieldError(field, "reference", p.target()));
                }
            } catch (RepositoryException e) {
                throw new ContentException("cannot check reference " + ids.get(i), e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // JCR mapping

    private void write(Session session, Node node, ContentType type, Map<String, Object> values) throws RepositoryException {
        writeProperties(session, node, type.properties(), values, type);
    }

    private void writeProperties(Session session, Node node, List<PropertyDef> props, Map<String, Object> values,
                                 ContentType type) throws RepositoryException {
        ValueFactory vf = session.getValueFactory();
        for (PropertyDef p : props) {
            Object v = values.get(p.name());
            if (p.type() == wales.exchange.model.PropertyType.SUB_MODEL) {
                if (node.hasNode(p.name())) {
                    node.getNode(p.name()).remove();
                }
                if (v != null) {
                    SubModel sm = type.subModel(p.target());
                    Node holder = node.addNode(p.name(), CONTENT_NODE_TYPE);
                    int i = 0;
                    for (Object part : (List<?>) v) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> partValues = (Map<String, Object>) part;
                        writeProperties(session, holder.addNode(Integer.toString(i++), sm.nodeType()), sm.properties(), partValues, type);
                    }
                }
                continue;
            }
            if (p.i18n()) {
                Map<?, ?> byLang = v == null ? Map.of() : (Map<?, ?>) v;
                for (Lang l : Lang.values()) {
                    set(node, l.propertyName(p.name()), byLang.get(l.tag()) == null ? null : vf.createValue((String) byLang.get(l.tag())));
                }
            } else if (p.multiple()) {
                if (v == null) {
                    set(node, p.name(), (Value) null);
                } else {
                    List<?> list = (List<?>) v;
                    Value[] vs = new Value[list.size()];
                    for (int i = 0; i < vs.length; i++) {
                        vs[i] = value(vf, list.get(i));
                    }
                    if (node.hasProperty(p.name()) && !node.getProperty(p.name()).isMultiple()) {
                        node.getProperty(p.name()).remove();
                    }
                    node.setProperty(p.name(), vs);
                }
            } else {
                set(node, p.name(), v == null ? null : value(vf, v));
            }
        }
    }

    private static void set(Node node, String name, Value value) throws RepositoryException {
        if (node.hasProperty(name)) {
            Property existing = node.getProperty(name);
            if (value == null || existing.isMultiple()) {
                existing.remove();
            }
        }
        if (value != null) {
            node.setProperty(name, value);
        }
    }

    private static Value value(ValueFactory vf, Object v) {
        if (v instanceof String s) {
            return vf.createValue(s);
        }
        if (v instanceof Boolean b) {
            return vf.createValue(b);
        }
        if (v instanceof Long l) {
            return vf.createValue(l);
        }
        if (v instanceof Double d) {
            return vf.createValue(d);
        }
        if (v instanceof BigDecimal d) {
            return vf.createValue(d);
        }
        if (v instanceof OffsetDateTime d) {
            return vf.createValue(calendar(d));
        }
        throw new IllegalStateException("no JCR value for " + v.getClass());
    }

    static Calendar calendar(OffsetDateTime d) {
        GregorianCalendar c = new GregorianCalendar(TimeZone.getTimeZone(ContentModel.ZONE), Locale.ROOT);
        c.setTimeInMillis(d.toInstant().toEpochMilli());
        return c;
    }

    public Item toItem(ContentType type, Node node) throws RepositoryException {
        return new Item(type.name(), node.getIdentifier(), node.getPath(), node.getName(),
                node.hasProperty(REVISION) ? node.getProperty(REVISION).getLong() : 0L,
                date(node, CREATED), string(node, CREATED_BY), date(node, LAST_MODIFIED), string(node, LAST_MODIFIED_BY),
                readValues(type.properties(), node, type));
    }

    private Map<String, Object> readValues(List<PropertyDef> props, Node node) throws RepositoryException {
        return readValues(props, node, null);
    }

    /** The model's values of {@code node}; a property stored with the wrong JCR type is skipped, never guessed. */
    public Map<String, Object> readValues(List<PropertyDef> props, Node node, ContentType type) throws RepositoryException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (PropertyDef p : props) {
            if (p.type() == wales.exchange.model.PropertyType.SUB_MODEL) {
                if (node.hasNode(p.name())) {
                    ContentType owner = type != null ? type : model.types().stream()
                            .filter(t -> t.subModel(p.target()) != null).findFirst().orElseThrow();
                    SubModel sm = owner.subModel(p.target());
                    List<Map<String, Object>> parts = new ArrayList<>();
                    for (NodeIterator it = node.getNode(p.name()).getNodes(); it.hasNext(); ) {
                        parts.add(readValues(sm.properties(), it.nextNode(), owner));
                    }
                    if (!parts.isEmpty()) {
                        out.put(p.name(), List.copyOf(parts));
                    }
                }
            } else if (p.i18n()) {
                Map<String, String> byLang = new LinkedHashMap<>();
                for (Lang l : Lang.values()) {
                    String name = l.propertyName(p.name());
                    if (node.hasProperty(name) && !node.getProperty(name).isMultiple()) {
                        byLang.put(l.tag(), node.getProperty(name).getString());
                    }
                }
                if (!byLang.isEmpty()) {
                    out.put(p.name(), byLang);
                }
            } else if (node.hasProperty(p.name())) {
                Property prop = node.getProperty(p.name());
                if (prop.isMultiple()) {
                    List<Object> vs = new ArrayList<>();
                    for (Value v : prop.getValues()) {
                        vs.add(javaValue(p, v));
                    }
                    out.put(p.name(), p.multiple() ? List.copyOf(vs) : vs.isEmpty() ? null : vs.get(0));
                } else {
                    Object v = javaValue(p, prop.getValue());
                    out.put(p.name(), p.multiple() ? List.of(v) : v);
                }
                out.values().removeIf(java.util.Objects::isNull);
            }
        }
        return out;
    }

    private static Object javaValue(PropertyDef p, Value v) throws RepositoryException {
        switch (p.type()) {
            case BOOLEAN:
                return v.getBoolean();
            case LONG:
                return v.getLong();
            case DOUBLE:
                return v.getDouble();
            case DECIMAL:
                return v.getDecimal();
            case DATE:
                return v.getType() == PropertyType.DATE ? Values.date(v.getDate()) : Values.date(v.getString());
            default:
                return v.getString();
        }
    }

    private static OffsetDateTime date(Node node, String name) throws RepositoryException {
        return node.hasProperty(name) ? Values.date(node.getProperty(name).getDate()) : null;
    }

    private static String string(Node node, String name) throws RepositoryException {
        return node.hasProperty(name) ? node.getProperty(name).getString() : null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    private ContentType type(String typeName) {
        return model.find(typeName).orElseThrow(() -> new IllegalArgumentException("unknown content type " + typeName));
    }

    /** The item node of {@code type} with this identifier; empty for a malformed id, another type or no node. */
    public Optional<Node> node(Session session, ContentType type, String id) throws RepositoryException {
        if (!Values.isId(id)) {
            return Optional.empty();
        }
        Node n = byId(session, id);
        return n != null && isItem(n, type) ? Optional.of(n) : Optional.empty();
    }

    /** The node with this identifier, whatever it is, or null. */
    private static Node byId(Session session, String id) throws RepositoryException {
        try {
            return session.getNodeByIdentifier(id);
        } catch (ItemNotFoundException e) {
            return null;
        }
    }

    /** Whether {@code n} is an item of {@code type} (its node type, below its root). */
    private static boolean isItem(Node n, ContentType type) throws RepositoryException {
        return n.isNodeType(type.nodeType()) && n.getPath().startsWith(type.rootPath() + "/");
    }

    private static boolean exists(Session session, String id) throws RepositoryException {
        try {
            session.getNodeByIdentifier(id);
            return true;
        } catch (ItemNotFoundException e) {
            return false;
        }
    }

    /** Creates a node with a given identifier through a System View import, the portable JCR way (no save). */
    private static Node addWithIdentifier(Session session, Node folder, String name, String nodeType, String id)
            throws RepositoryException {
        if (folder instanceof org.apache.jackrabbit.core.NodeImpl jackrabbit) {
            // Jackrabbit's own node (the server, the tests): the same node without an XML parser and import handler per
            // item, which was 7% of a bulk import's time (docs/import-export.md). Magnolia's wrapped nodes take the portable way.
            return jackrabbit.addNodeWithUuid(name, nodeType, id);
        }
        String xml = "<sv:node xmlns:sv=\"http://www.jcp.org/jcr/sv/1.0\" sv:name=\"" + name + "\">"
                + "<sv:property sv:name=\"jcr:primaryType\" sv:type=\"Name\"><sv:value>" + nodeType + "</sv:value></sv:property>"
                + "<sv:property sv:name=\"jcr:uuid\" sv:type=\"String\"><sv:value>" + id + "</sv:value></sv:property>"
                + "</sv:node>";
        try {
            session.importXML(folder.getPath(), new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                    ImportUUIDBehavior.IMPORT_UUID_COLLISION_THROW);
        } catch (java.io.IOException e) {
            throw new RepositoryException(e);
        }
        return folder.getNode(name);
    }

    private static Node ensureFolders(Session session, String rootPath, String relative) throws RepositoryException {
        Node n = session.getRootNode();
        List<String> parts = new ArrayList<>(List.of(rootPath.substring(1).split("/")));
        parts.addAll(List.of(relative.split("/")));
        for (String part : parts) {
            String name = Text.escapeIllegalJcrChars(part);
            n = n.hasNode(name) ? n.getNode(name) : n.addNode(name, FOLDER_TYPE);
        }
        return n;
    }

    private static String uniqueName(Node folder, String base) throws RepositoryException {
        String name = base;
        for (int i = 2; folder.hasNode(name); i++) {
            String suffix = "-" + i;
            name = (base.length() + suffix.length() > 60 ? base.substring(0, 60 - suffix.length()) : base) + suffix;
        }
        return name;
    }

    private static String titleOf(Map<String, Object> values) {
        Object t = values.get("title");
        if (t instanceof Map<?, ?> m) {
            Object en = m.get(Lang.EN.tag());
            return String.valueOf(en != null ? en : m.values().iterator().next());
        }
        return t == null ? "item" : t.toString();
    }

    /** A node name from a title: ASCII lower-case letters, digits and hyphens (ŵ becomes w), at most 60 characters. */
    public static String slug(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 60) {
            s = s.substring(0, 60).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "item" : s;
    }

    private static String user(String user) {
        return user == null || user.isBlank() ? "anonymous" : user.strip().substring(0, Math.min(100, user.strip().length()));
    }

    private static Object lock(String id) {
        return LOCKS[Math.floorMod(id.hashCode(), LOCKS.length)];
    }

    private static void discard(Session session) {
        try {
            session.refresh(false);
        } catch (RepositoryException e) {
            // the session is broken; the caller sees the original failure
        }
    }
}
