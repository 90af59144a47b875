package wales.exchange.server;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import wales.exchange.content.ContentService;
import wales.exchange.content.FieldError;
import wales.exchange.content.transfer.JsonLinesExporter;
import wales.exchange.content.transfer.JsonLinesImporter;
import wales.exchange.content.transfer.KnownIds;
import wales.exchange.i18n.Lang;
import wales.exchange.i18n.Messages;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/**
 * {@code exchange-server.jar import [--data DIR] [--strict] [--batch N] [--user NAME] FILE|-} and
 * {@code exchange-server.jar export [--data DIR] [--type T]}: bulk JSON lines (docs/import-export.md) into and out of a
 * file repository, with the server stopped. Messages go to stderr in English; export writes to stdout.
 *
 * <p>Exit codes: 0 done, every line written; 1 some lines rejected (the others written; with {@code --strict}:
 * nothing written); 2 usage error, unreadable input or repository, or the import stopped part way (run it again).
 */
public final class BulkCommand {
    public static final String IMPORT = "import";
    public static final String EXPORT = "export";
    static final String DEFAULT_USER = "import";
    /** Identifiers the filter of known ids is sized for beyond the input's lines: the repository's nodes (2 MiB). */
    static final long KNOWN_IDS_HEADROOM = 1_000_000;
    /** The memory of Jackrabbit's item state caches during an import (all caches together; its default is 16 MiB). */
    static final long IMPORT_ITEM_STATE_CACHE = 1 << 20;
    /** The most node identifiers read for an import from standard input (its length unknown): a few seconds. */
    static final long KNOWN_IDS_STDIN = 200_000;
    private static final String USAGE = """
            usage: java -jar exchange-server.jar import [--data DIR] [--strict] [--batch N] [--user NAME] FILE|-
                   java -jar exchange-server.jar export [--data DIR] [--type T] > FILE
            (DIR defaults to EXCHANGE_DATA or ./data; see docs/import-export.md)""";

    private final PrintStream out;
    private final PrintStream err;
    private final Messages messages = new Messages();

    BulkCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Whether {@code args} are an import or export command. */
    public static boolean handles(String[] args) {
        return args.length > 0 && (args[0].equals(IMPORT) || args[0].equals(EXPORT));
    }

    /** Runs the command in {@code args} ({@code import ...} or {@code export ...}); returns the exit code. */
    public static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr, Map<String, String> env) {
        BulkCommand c = new BulkCommand(stdout, stderr);
        try {
            Options o = Options.parse(args, env);
            return o.command.equals(IMPORT) ? c.importLines(o, stdin) : c.export(o);
        } catch (UsageException e) {
            stderr.println(e.getMessage());
            stderr.println(USAGE);
            return 2;
        }
    }

    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    private record Options(String command, Path data, boolean strict, int batch, String user, String type, String file) {
        static Options parse(String[] args, Map<String, String> env) throws UsageException {
            String command = args[0];
            Path data = Path.of(env.getOrDefault("EXCHANGE_DATA", "data"));
            boolean strict = false;
            int batch = JsonLinesImporter.DEFAULT_BATCH;
            String user = DEFAULT_USER;
            String type = null;
            String file = null;
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                boolean imp = command.equals(IMPORT);
                switch (a) {
                    case "--data" -> data = Path.of(value(args, ++i, a));
                    case "--strict" -> {
                        if (!imp) {
                            throw new UsageException("--strict is an import option");
                        }
                        strict = true;
                    }
                    case "--batch" -> {
                        String v = value(args, ++i, a);
                        try {
                            batch = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            batch = 0;
                        }
                        if (!imp || batch < 1 || batch > 10_000) {
                            throw new UsageException("--batch is an import option: items per save, 1..10000");
                        }
                    }
                    case "--user" -> user = value(args, ++i, a);
                    case "--type" -> {
                        if (imp) {
                            throw new UsageException("--type is an export option (an import line names its own type)");
                        }
                        type = value(args, ++i, a);
                    }
                    default -> {
                        if (a.startsWith("--") || !imp || file != null) {
                            throw new UsageException("unknown argument " + a);
                        }
                        file = a;
                    }
                }
            }
            if (command.equals(IMPORT) && file == null) {
                throw new UsageException("import needs a FILE, or - for standard input");
            }
            return new Options(command, data, strict, batch, user, type, file);
        }

        private static String value(String[] args, int i, String flag) throws UsageException {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new UsageException(flag + " needs a value");
            }
            return args[i];
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // import

    private int importLines(Options o, InputStream stdin) {
        Path file = null;
        Path spooled = null;
        try {
            if (o.file.equals("-")) {
                if (o.strict) {
                    // --strict reads the input twice (check, then write): keep standard input in a temporary file
                    spooled = Files.createTempFile("exchange-import-", ".jsonl");
                    Files.copy(stdin, spooled, StandardCopyOption.REPLACE_EXISTING);
                    file = spooled;
                }
            } else {
                file = Path.of(o.file);
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    err.println("cannot read " + o.file);
                    return 2;
                }
            }
            long total = file == null ? -1 : countLines(file);
            ContentModel model = ModelLoader.fromClasspath(BulkCommand.class.getClassLoader());
            ContentService service = new ContentService(model, Clock.systemUTC());
            JsonLinesImporter importer = new JsonLinesImporter(service, o.batch, o.user);
            try (EmbeddedRepository repo = openForImport(o.data)) {
                if (repo == null) {
                    return 2;
                }
                // the server is stopped and its index snapshot would not see these writes: never trust it again
                wales.exchange.delivery.index.FileSnapshotStore.inDataDirectory(o.data).invalidate();
                Session session = repo.login();
                try {
                    // every identifier in the workspace, so that a line with a new id is not looked up (KnownIds)
                    // (read only while that costs less than the look-ups it saves: up to twice the input's lines)
                    long listing = System.nanoTime();
                    long most = total < 0 ? KNOWN_IDS_STDIN : 2 * total + 10_000;
                    KnownIds known = new KnownIds(Math.max(total, 0) + KNOWN_IDS_HEADROOM);
                    long nodes = repo.forEachNodeId(known::add, most);
                    double listed = (System.nanoTime() - listing) / 1e9;
                    if (nodes >= 0) {
                        importer.knownIds(known);
                        err.printf(Locale.ROOT, "%,d node identifiers of the repository read in %.1f s%n", nodes, listed);
                    } else {
                        err.printf(Locale.ROOT, "more than %,d nodes in the repository: every line's id is looked up (%.1f s)%n", most, listed);
                    }
                    if (o.strict) {
                        Listener check = new Listener(new Progress(err, "checking", total));
                        JsonLinesImporter.Report r;
                        try (Reader in = reader(Files.newInputStream(file))) {
                            r = importer.check(session, in, check);
                        }
                        check.progress.done(r.lines());
                        if (r.rejected() > 0) {
                            err.printf(Locale.ROOT, "%,d of %,d lines rejected; nothing written (--strict)%n", r.rejected(), r.lines());
                            return 1;
                        }
                    }
                    Listener listener = new Listener(new Progress(err, "importing", total));
                    JsonLinesImporter.Report r;
                    try (Reader in = reader(file == null ? stdin : Files.newInputStream(file))) {
                        r = importer.run(session, in, listener);
                    } catch (IOException e) {
                        listener.progress.message(String.format(Locale.ROOT,
                                "import stopped after line %,d: %s; %,d items saved; run the same command again to finish (saved items are skipped)",
                                listener.last, e.getMessage(), listener.saved));
                        return 2;
                    }
                    listener.progress.done(r.lines());
                    double secs = listener.progress.seconds();
                    err.printf(Locale.ROOT, "%,d lines in %.1f s (%,.0f lines/s): %,d created, %,d updated, %,d unchanged (skipped), %,d rejected%n",
                            r.lines(), secs, r.lines() / Math.max(secs, 1e-3), r.created(), r.updated(), r.unchanged(), r.rejected());
                    return r.rejected() > 0 ? 1 : 0;
                } finally {
                    session.logout();
                }
            }
        } catch (IOException | RepositoryException e) {
            err.println("import failed: " + e.getMessage());
            return 2;
        } finally {
            // the repository is closed: give back what the import's many saves left as free space (StoreCompaction)
            StoreCompaction.compactAll(o.data);
            if (spooled != null) {
                try {
                    Files.deleteIfExists(spooled);
                } catch (IOException e) {
                    err.println("cannot remove " + spooled);
                }
            }
        }
    }

    /** Reports rejected lines (line number, field, English message) and drives the progress bar. */
    private final class Listener implements JsonLinesImporter.Listener {
        final Progress progress;
        long last;
        long saved;

        Listener(Progress progress) {
            this.progress = progress;
        }

        @Override
        public void line(long number) {
            last = number;
            progress.line(number);
        }

        @Override
        public void rejected(long number, List<FieldError> errors) {
            for (FieldError e : errors) {
                String message = messages.get(Lang.EN, "exchange.error." + e.code(), e.args().toArray());
                progress.message(String.format(Locale.ROOT, "line %,d: %s%s", number, e.field().isEmpty() ? "" : e.field() + ": ", message));
            }
        }

        @Override
        public void saved(int items) {
            saved += items;
        }
    }

    /** UTF-8 that fails on malformed input instead of replacing it. */
    private static Reader reader(InputStream in) {
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /** Lines in a file (a last line without a line break counts), for the progress bar's total. */
    static long countLines(Path file) throws IOException {
        long lines = 0;
        byte last = '\n';
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    last = buf.get();
                    if (last == '\n') {
                        lines++;
                    }
                }
                buf.clear();
            }
        }
        return last == '\n' ? lines : lines + 1;
    }

    // ------------------------------------------------------------------------------------------------------------
    // export

    private int export(Options o) {
        ContentModel model = ModelLoader.fromClasspath(BulkCommand.class.getClassLoader());
        List<String> types = new ArrayList<>();
        if (o.type != null) {
            if (model.find(o.type).isEmpty()) {
                err.println("unknown content type " + o.type + " (types: "
                        + model.types().stream().map(ContentType::name).collect(Collectors.joining(", ")) + ")");
                return 2;
            }
            types.add(o.type);
        }
        if (!Files.isDirectory(o.data)) {
            err.println("no repository in " + o.data.toAbsolutePath());
            return 2;
        }
        ContentService service = new ContentService(model, Clock.systemUTC());
        long t0 = System.nanoTime();
        try (EmbeddedRepository repo = open(o.data)) {
            if (repo == null) {
                return 2;
            }
            Session session = repo.login();
            try {
                Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                Map<String, Long> counts = new JsonLinesExporter(service).export(session, w, types);
                w.flush();
                long total = counts.values().stream().mapToLong(Long::longValue).sum();
                err.printf(Locale.ROOT, "exported %,d items in %.1f s (%s)%n", total, (System.nanoTime() - t0) / 1e9,
                        counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
                return out.checkError() ? 2 : 0;
            } finally {
                session.logout();
            }
        } catch (IOException | RepositoryException e) {
            err.println("export failed: " + e.getMessage());
            return 2;
        }
    }

    /**
     * {@link #open} for an import: Jackrabbit's item state caches capped at {@link #IMPORT_ITEM_STATE_CACHE}. An import
     * writes each item once and reads back little (folders, referenced items: those stay in the bundle cache), and with
     * the default 16 MiB the caches kept filling and evicting what each young collection then copied: 12-13% less time
     * in young collections and about 35 MiB less resident memory in imports of 10,000 events (docs/import-export.md,
     * "Speed"). Only the import: {@link EmbeddedRepository} is the standalone server's, never Magnolia's.
     */
    EmbeddedRepository openForImport(Path data) {
        EmbeddedRepository repo = open(data);
        if (repo != null) {
            repo.itemStateCacheMemory(IMPORT_ITEM_STATE_CACHE);
        }
        return repo;
    }

    /** The file repository in {@code data}, or null (reported) when it cannot be opened, e.g. while a server uses it. */
    private EmbeddedRepository open(Path data) {
        try {
            return EmbeddedRepository.onDisk(data);
        } catch (RepositoryException | RuntimeException e) {
            err.println("cannot open the repository in " + data.toAbsolutePath() + ": " + e.getMessage()
                    + " (is a server running on it? stop it first)");
            return null;
        }
    }
}
