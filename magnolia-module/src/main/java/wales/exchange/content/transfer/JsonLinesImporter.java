package wales.exchange.content.transfer;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import wales.exchange.content.ContentException;
import wales.exchange.content.ContentService;
import wales.exchange.content.FieldError;
import wales.exchange.content.ValidationException;

/**
 * Imports JSON lines ({@link JsonLines}) through {@link ContentService#put}: every line validated, sanitised and
 * stamped as an API write would be, saved in batches (one {@code session.save()} per {@code batchSize} items). A bad
 * line is reported to the {@link Listener} with its line number and skipped; the others are written. The input is
 * streamed: memory holds one batch, never the file.
 *
 * <p>Re-running the same input is safe: an item whose id exists is replaced when its values differ (updated) and left
 * alone when they are the same (unchanged); a line without an id gets one derived from its content. So an import
 * interrupted at any point (only the batch in progress is lost) finishes by running it again.
 */
public final class JsonLinesImporter {
    public static final int DEFAULT_BATCH = 200;
    /** The longest line read; longer ones are rejected unread (4 Mi characters, well above any valid item). */
    public static final int MAX_LINE_CHARS = 1 << 22;

    private final ContentService service;
    private final JsonLines format;
    private final int batchSize;
    private final String user;
    private KnownIds known;

    public JsonLinesImporter(ContentService service, int batchSize, String user) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        this.service = service;
        this.format = new JsonLines(service.model());
        this.batchSize = batchSize;
        this.user = user;
    }

    /**
     * Lines whose id {@code known} has never seen are created without looking the id up ({@link KnownIds}); the ids
     * of the lines written are added to it. {@code known} must hold every node identifier of the workspace.
     */
    public JsonLinesImporter knownIds(KnownIds known) {
        this.known = known;
        return this;
    }

    /** What happens during an import; every method is optional. */
    public interface Listener {
        /** Line {@code number} has been read and handled (written to the session, or rejected). */
        default void line(long number) {
        }

        /** Line {@code number} is rejected (not written) for these reasons. */
        default void rejected(long number, List<FieldError> errors) {
        }

        /** A batch of {@code items} lines has been saved. */
        default void saved(int items) {
        }
    }

    /** Counts of one run. {@code lines} counts every line read, blank ones included. */
    public record Report(long lines, long created, long updated, long unchanged, long rejected) {
        public long written() {
            return created + updated;
        }
    }

    private record Pending(ImportLine line, ContentService.Prepared prepared, ContentService.PutResult result) {
    }

    /**
     * Lines read and prepared ahead of the writer, in input order: at most this many wait, and at most
     * {@link #READ_AHEAD_CHARS} characters of them (with the batch being written, what an import holds in memory besides
     * the repository's caches).
     */
    static final int READ_AHEAD = 256;

    /**
     * Characters of input lines read and prepared ahead of the writer at most (a line longer than this waits until the
     * queue is empty): lines may be {@link #MAX_LINE_CHARS} long, and 256 of those would be gigabytes.
     */
    static final int READ_AHEAD_CHARS = 1 << 23;

    /**
     * One line as the reading thread hands it to the writing one: prepared (parsed, converted, sanitised), rejected
     * (errors), blank ({@code line} null and no errors), or the end of the input ({@code end}, with the read failure if
     * any).
     */
    private record Read(long number, ImportLine line, ContentService.Prepared prepared, List<FieldError> errors,
                        boolean end, IOException failure, Throwable bug, int chars) {
        static final Read EOF = new Read(0, null, null, null, true, null, null, 0);
    }

    /**
     * Imports every line of {@code in}; closes nothing. Two threads: a reader parses each line, converts and sanitises
     * its values (everything that needs no repository, {@link ContentService#prepare}) and queues it; this thread
     * takes the lines in input order, checks what needs the repository (required values, references, the id), writes
     * them to the session and saves every {@code batchSize}. Rejected lines are reported by this thread in order, so
     * a report of line n means every batch before it is saved.
     */
    public Report run(Session session, Reader in, Listener listener) throws IOException, RepositoryException {
        BlockingQueue<Read> queue = new ArrayBlockingQueue<>(READ_AHEAD);
        Semaphore room = new Semaphore(READ_AHEAD_CHARS);
        Thread reader = new Thread(() -> readAhead(in, queue, room), "import-reader");
        reader.setDaemon(true);
        reader.start();
        List<Pending> batch = new ArrayList<>(batchSize);
        long[] counts = new long[4]; // created, updated, unchanged, rejected
        long n = 0;
        try {
            while (true) {
                Read r = take(queue);
                room.release(r.chars());
                if (r.end()) {
                    if (r.failure() != null) {
                        throw r.failure();
                    }
                    if (r.bug() instanceof Error e) {
                        throw e;
                    }
                    if (r.bug() != null) {
                        throw (RuntimeException) r.bug();
                    }
                    break;
                }
                n = r.number();
                if (r.errors() != null) {
                    reject(listener, counts, n, r.errors());
                } else if (r.line() != null) {
                    ImportLine line = r.line();
                    try {
                        boolean mayExist = known == null || line.id() == null || known.mayContain(line.id());
                        batch.add(new Pending(line, r.prepared(), service.put(session, r.prepared(), user, mayExist)));
                        if (known != null && line.id() != null) {
                            known.add(line.id());
                        }
                    } catch (ValidationException e) {
                        reject(listener, counts, n, e.errors());
                    } catch (ContentException e) {
                        // the session's transient state is unknown: drop it, then write the batch and this line one by one
                        session.refresh(false);
                        batch.add(new Pending(line, r.prepared(), null));
                        replay(session, batch, listener, counts);
                    }
                    if (batch.size() >= batchSize) {
                        flush(session, batch, listener, counts);
                    }
                }
                listener.line(n);
            }
            flush(session, batch, listener, counts);
        } finally {
            reader.interrupt();   // a reader still waiting to queue gives up; one blocked reading the input is a daemon
            if (session.hasPendingChanges()) {
                session.refresh(false);   // an interrupted batch is dropped whole; a re-run writes it
            }
        }
        return new Report(n, counts[0], counts[1], counts[2], counts[3]);
    }

    private static Read take(BlockingQueue<Read> queue) throws IOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("import interrupted");
        }
    }

    /**
     * The reading thread: every line of {@code in}, framed and prepared, into {@code queue}, then the end, whatever
     * ends it (an Error too: the writer waits for the end). Each line takes its length from {@code room} (at most all
     * of it) before it is prepared, and the writer gives it back when it takes the line.
     */
    private void readAhead(Reader in, BlockingQueue<Read> queue, Semaphore room) {
        Read end = Read.EOF;
        try {
            LineReader lines = new LineReader(in, MAX_LINE_CHARS);
            long n = 0;
            for (String text; (text = lines.readLine()) != null; ) {
                n++;
                int chars = Math.min(text.length() + 1, READ_AHEAD_CHARS);
                room.acquire(chars);
                queue.put(prepare(n, text, lines, chars));
            }
        } catch (IOException e) {
            end = new Read(0, null, null, null, true, e, null, 0);
        } catch (InterruptedException e) {
            return;   // the writer has stopped
        } catch (RuntimeException | Error e) {
            end = new Read(0, null, null, null, true, null, e, 0);
        }
        try {
            queue.put(end);
        } catch (InterruptedException e) {
            // the writer has stopped
        }
    }

    private Read prepare(long n, String text, LineReader lines, int chars) {
        if (lines.tooLong()) {
            return new Read(n, null, null, List.of(new FieldError("", "lineTooLong", lines.maxChars())), false, null, null, chars);
        }
        if (JsonLines.blank(text)) {
            return new Read(n, null, null, null, false, null, null, chars);
        }
        JsonLines.Parsed parsed = format.parse(n, text);
        if (!parsed.ok()) {
            return new Read(n, null, null, parsed.errors(), false, null, null, chars);
        }
        ImportLine line = parsed.line();
        return new Read(n, line, service.prepare(line.type(), line.values(), line.options()), null, false, null, null, chars);
    }

    /**
     * Validates every line of {@code in} as {@link #run} would, writing nothing (for {@code --strict}: all or nothing).
     * A reference to an item of an earlier line counts as valid. Keeps the ids of the lines (about 100 bytes each),
     * not the lines.
     */
    public Report check(Session session, Reader in, Listener listener) throws IOException {
        LineReader lines = new LineReader(in, MAX_LINE_CHARS);
        Map<String, String> typeById = new HashMap<>();
        long[] counts = new long[4];
        long n = 0;
        for (String text; (text = lines.readLine()) != null; ) {
            n++;
            ImportLine line = frame(n, text, lines, listener, counts);
            if (line != null) {
                String known = typeById.get(line.id());
                try {
                    if (known != null && !known.equals(line.type())) {
                        throw new ValidationException(List.of(new FieldError(JsonLines.ID, "idTaken")));
                    }
                    service.check(session, line.type(), line.values(), line.options(),
                            (type, id) -> type.equals(typeById.get(id)));
                    typeById.put(line.id(), line.type());
                } catch (ValidationException e) {
                    reject(listener, counts, n, e.errors());
                }
            }
            listener.line(n);
        }
        return new Report(n, 0, 0, 0, counts[3]);
    }

    /** The parsed line, or null when it is blank or rejected (reported). */
    private ImportLine frame(long n, String text, LineReader lines, Listener listener, long[] counts) {
        if (lines.tooLong()) {
            reject(listener, counts, n, List.of(new FieldError("", "lineTooLong", lines.maxChars())));
            return null;
        }
        if (JsonLines.blank(text)) {
            return null;
        }
        JsonLines.Parsed parsed = format.parse(n, text);
        if (!parsed.ok()) {
            reject(listener, counts, n, parsed.errors());
            return null;
        }
        return parsed.line();
    }

    private void flush(Session session, List<Pending> batch, Listener listener, long[] counts) throws RepositoryException {
        if (batch.isEmpty()) {
            return;
        }
        try {
            session.save();
        } catch (RepositoryException e) {
            session.refresh(false);
            replay(session, batch, listener, counts);
            return;
        }
        for (Pending p : batch) {
            count(counts, p.result());
        }
        listener.saved(batch.size());
        batch.clear();
    }

    /**
     * Writes the batch's lines again one save each, after the batch as a whole failed; reports the ones that fail. The
     * id of each line written goes into the filter of known ids, as a line written in a batch does.
     */
    private void replay(Session session, List<Pending> batch, Listener listener, long[] counts) throws RepositoryException {
        int saved = 0;
        for (Pending p : batch) {
            ImportLine line = p.line();
            try {
                ContentService.PutResult r = service.put(session, p.prepared(), user);
                session.save();
                if (known != null && line.id() != null) {
                    // the line that failed in the batch was never added: a later line with its id must look it up
                    known.add(line.id());
                }
                count(counts, r);
                saved++;
            } catch (ValidationException e) {
                session.refresh(false);
                reject(listener, counts, line.number(), e.errors());
            } catch (ContentException | RepositoryException e) {
                session.refresh(false);
                reject(listener, counts, line.number(), List.of(new FieldError("", "repository", oneLine(e))));
            }
        }
        if (saved > 0) {
            listener.saved(saved);
        }
        batch.clear();
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("\\s+", " ");
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    private static void count(long[] counts, ContentService.PutResult r) {
        counts[r == ContentService.PutResult.CREATED ? 0 : r == ContentService.PutResult.UPDATED ? 1 : 2]++;
    }

    private static void reject(Listener listener, long[] counts, long n, List<FieldError> errors) {
        counts[3]++;
        listener.rejected(n, errors);
    }
}
