package wales.exchange.intake;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import wales.exchange.delivery.Exchange;
import wales.exchange.lifecycle.Managed;

/**
 * What a reader typed into the contribution form when it came back with field errors (docs/pages.md), so that the
 * page can show it again without JavaScript and without putting it into the address: kept in memory only, never on
 * disk and never logged, under a random single-use key (128 bits) that the intake's 303 names ({@code &form=<key>}),
 * for at most {@link #TTL}. Bounded: at most {@link #MAX_ENTRIES} forms and {@link #MAX_CHARS} characters of values
 * together; beyond, the oldest go first. Not the file (a browser never shows a chosen file again) and never the
 * honeypot or the form token: the intake keeps only the type's fields.
 *
 * <p>Plain Java, bound as a singleton by both hosts: the intake writes, the page that renders the form takes. A key
 * lives in one process: behind a load balancer without sticky sessions the form may come back empty (still with its
 * errors, which are in the address). Started by both hosts' lifecycles ({@link Managed}): a daemon thread
 * {@linkplain #sweep() sweeps out} expired forms every {@link #SWEEP_EVERY}, so that on a quiet server nothing typed
 * stays in memory much past {@link #TTL} (without it, forms expired only when another was kept or taken).
 */
@Singleton
public final class FormDrafts implements Managed {
    public static final Duration TTL = Duration.ofMinutes(15);
    public static final int MAX_ENTRIES = 1000;
    /** Characters of values kept at once, all forms together (each form is at most the body cap of 64 KiB). */
    public static final long MAX_CHARS = 8L * 1024 * 1024;
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{22}");
    /** How often the expired forms are swept out: a form is in memory at most {@link #TTL} and this. */
    public static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The form's values by field (a repeatable field has several), each field's error code, and when the reader first
     * opened the form: the issue instant of the form token of a post that was a person's (an empty honeypot and sent no
     * sooner than the minimum fill time after its token), or null. The form that comes back carries a token issued
     * at that instant, so that the time to fill it in counts from when the reader first opened it, not from when it
     * came back (a reader who ticks one box and sends at once is not a bot). A bot's post never carries it: its form
     * comes back with a token issued now.
     */
    public record Draft(Map<String, List<String>> values, Map<String, String> errors, Instant formIssued) {
        public Draft {
            values = Map.copyOf(values);
            errors = Map.copyOf(errors);
        }

        public Draft(Map<String, List<String>> values, Map<String, String> errors) {
            this(values, errors, null);
        }

        /** The field's first value, or null. */
        public String first(String field) {
            List<String> v = values.get(field);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private record Kept(Draft draft, Instant until, long chars) {
    }

    private final Clock clock;
    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>();
    private long chars;
    private ScheduledExecutorService sweeper;

    @Inject
    public FormDrafts(@Exchange Clock clock) {
        this.clock = clock;
    }

    @Override
    public void start() {
        start(SWEEP_EVERY);
    }

    /** Starts sweeping every {@code every} (a test's shorter period); once. */
    synchronized void start(Duration every) {
        if (sweeper != null) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "exchange-form-drafts");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        ScheduledExecutorService s;
        synchronized (this) {
            s = sweeper;
            sweeper = null;
        }
        if (s != null) {
            s.shutdownNow();
            s.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Drops the expired forms now; returns how many (the sweeper's run; cannot throw). */
    public synchronized int sweep() {
        int before = kept.size();
        expire();
        return before - kept.size();
    }

    /** Forms in memory now, expired or not (what {@link #sweep} has not dropped yet; for tests). */
    public synchronized int held() {
        return kept.size();
    }

    /** Keeps the draft; returns its key. */
    public synchronized String keep(Draft draft) {
        long size = 0;
        for (Map.Entry<String, List<String>> e : draft.values().entrySet()) {
            for (String v : e.getValue()) {
                size += e.getKey().length() + v.length();
            }
        }
        expire();
        Iterator<Map.Entry<String, Kept>> oldest = kept.entrySet().iterator();
        while (oldest.hasNext() && (kept.size() >= MAX_ENTRIES || chars + size > MAX_CHARS)) {
            chars -= oldest.next().getValue().chars();
            oldest.remove();
        }
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        if (size <= MAX_CHARS) {
            kept.put(key, new Kept(draft, clock.instant().plus(TTL), size));
            chars += size;
        }
        return key;
    }

    /** The draft under {@code key}, once: taking it forgets it. Empty when unknown, taken or expired. */
    public synchronized Optional<Draft> take(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        expire();
        Kept k = kept.remove(key);
        if (k == null) {
            return Optional.empty();
        }
        chars -= k.chars();
        return Optional.of(k.draft());
    }

    /** Forms kept now (for tests and the bound). */
    public synchronized int size() {
        expire();
        return kept.size();
    }

    /** Drops expired forms: they are in order of keeping, so the expired ones are first. */
    private void expire() {
        Instant now = clock.instant();
        Iterator<Map.Entry<String, Kept>> it = kept.entrySet().iterator();
        while (it.hasNext()) {
            Kept k = it.next().getValue();
            if (k.until().isAfter(now)) {
                return;
            }
            chars -= k.chars();
            it.remove();
        }
    }
}
