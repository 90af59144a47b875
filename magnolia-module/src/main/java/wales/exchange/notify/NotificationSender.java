package wales.exchange.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.jcr.InvalidItemStateException;
import javax.jcr.ItemNotFoundException;
import javax.jcr.Node;
import javax.jcr.NodeIterator;
import javax.jcr.PathNotFoundException;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import javax.jcr.lock.LockException;
import javax.jcr.lock.LockManager;
import javax.jcr.observation.Event;
import javax.jcr.observation.EventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.lifecycle.Managed;

/**
 * Delivers the outbox ({@link Notifications}): one thread with a session of its own, woken by JCR observation when a
 * notice is saved (and at the next due retry, and every {@link Config#recheck()} in case an event was missed; no tight
 * polling).
 *
 * <p>For each due notice: <b>claim</b> it with a session-scoped JCR lock (exclusive among every session of the
 * repository, so two senders never work on the same notice; released when this session logs out, and gone after a
 * restart, so a crash leaves no stuck claim), read it again under the lock (another sender may have sent it), count the
 * attempt and save, hand it to the {@link Mailer} with a Message-ID made from the notice's id, then <b>remove</b> it and
 * save. A failure sets the next attempt after an exponential back-off (first, twice that, ... up to the maximum, with a
 * little jitter) and is logged once (WARN, one line: which notice, which template, which attempt, where, why); when
 * attempts are used up, or the mail server refused the address, the notice is kept as {@value Notifications#FAILED} with
 * its last error, logged once as ERROR.
 *
 * <p>Guarantee: at least once to the mail server, and exactly once unless the process dies between the mail server's
 * acceptance and the save that removes the notice (milliseconds); then it is sent again after the restart, with the same
 * Message-ID, so the receiving side can tell it is the same message. See docs/notifications.md.
 */
public final class NotificationSender implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
    private final Login login;
    private final Mailer mailer;
    private final Templates templates;
    private final Config config;
    private final Clock clock;
    private final String owner = "exchange-notify-" + UUID.randomUUID();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean signalled;
    /** After a failure to reach the mail server: no attempt before this, whatever is signalled (null: not paused). */
    private Instant pausedUntil;
    private volatile boolean running;
    private Session session;
    private EventListener listener;
    private Thread thread;

    /** Opens a session of the sender's own (the server: the embedded repository's login; Magnolia: a system session). */
    @FunctionalInterface
    public interface Login {
        Session login() throws RepositoryException;
    }

    /**
     * @param maxAttempts     attempts before a notice is kept as failed
     * @param firstRetry      wait after the first failed attempt; doubled after each failure
     * @param maxRetry        the longest wait between attempts
     * @param recheck         the longest the sender sleeps without an event (a safety net: events wake it at once)
     * @param messageIdDomain the right-hand side of Message-IDs ({@code <id.notice@DOMAIN>})
     */
    public record Config(int maxAttempts, Duration firstRetry, Duration maxRetry, Duration recheck, String messageIdDomain) {
        public static final int DEFAULT_MAX_ATTEMPTS = 12;
        public static final Duration DEFAULT_FIRST_RETRY = Duration.ofSeconds(30);
        public static final Duration DEFAULT_MAX_RETRY = Duration.ofHours(1);

        public Config {
            if (maxAttempts < 1 || firstRetry.isNegative() || maxRetry.compareTo(firstRetry) < 0 || recheck.isNegative()
                    || recheck.isZero()) {
                throw new IllegalArgumentException("bad notification sender settings");
            }
        }

        /** The defaults: 12 attempts over about 6 hours (30 s, 1 min, 2 min, ... up to 1 hour apart). */
        public static Config defaults(String messageIdDomain) {
            return new Config(DEFAULT_MAX_ATTEMPTS, DEFAULT_FIRST_RETRY, DEFAULT_MAX_RETRY, Duration.ofMinutes(1), messageIdDomain);
        }

        /** The wait after failed attempt number {@code attempt} (1-based), before jitter. */
        public Duration backoff(long attempt) {
            Duration d = firstRetry;
            for (long i = 1; i < attempt && d.compareTo(maxRetry) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return d.compareTo(maxRetry) > 0 ? maxRetry : d;
        }
    }

    public NotificationSender(Login login, Mailer mailer, Templates templates, Config config, Clock clock) {
        this.login = login;
        this.mailer = mailer;
        this.templates = templates;
        this.config = config;
        this.clock = clock;
    }

    /** Installs the outbox folders, registers for saved notices and starts the sending thread. */
    @Override
    public synchronized void start() throws RepositoryException {
        if (running) {
            throw new IllegalStateException("already started");
        }
        session = login.login();
        try {
            Notifications.install(session);
            listener = events -> signal();
            session.getWorkspace().getObservationManager().addEventListener(listener, Event.NODE_ADDED, Notifications.ROOT,
                    true, null, null, false);
        } catch (RepositoryException | RuntimeException e) {
            session.logout();
            throw e;
        }
        running = true;
        thread = new Thread(this::loop, "exchange-notify");
        thread.setDaemon(true);
        thread.start();
        LOG.info("notifications: sending through {}", mailer.describe());
    }

    /** Stops after the notice in hand (its mail server call is bounded by the mailer's timeouts) and logs out. */
    @Override
    public synchronized void stop() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        signal();
        thread.join();
        try {
            session.getWorkspace().getObservationManager().removeEventListener(listener);
        } catch (RepositoryException e) {
            LOG.warn("notifications: cannot remove the observation listener: {}", e.toString());
        }
        session.logout();
    }

    /** Wakes the sender to look at the outbox now (observation does this for every saved notice). */
    public void signal() {
        lock.lock();
        try {
            signalled = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (running) {
            Instant next;
            try {
                next = pass();
            } catch (InvalidItemStateException | ItemNotFoundException | PathNotFoundException e) {
                next = clock.instant(); // another sender removed a notice under the scan: scan again
            } catch (RepositoryException | RuntimeException e) {
                LOG.error("notifications: cannot read the outbox {}: {}", Notifications.ROOT, e.toString());
                next = clock.instant().plus(config.firstRetry());
            }
            lock.lock();
            try {
                Instant until = clock.instant().plus(config.recheck());
                if (next != null && next.isBefore(until)) {
                    until = next;
                }
                Instant paused = pausedUntil;
                while (running && (!signalled || paused != null && clock.instant().isBefore(paused))) {
                    long ms = Duration.between(clock.instant(), until).toMillis();
                    if (ms <= 0) {
                        break;
                    }
                    wake.await(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                signalled = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Sends every due notice; returns when the next one is due (null: none waiting). */
    private Instant pass() throws RepositoryException {
        signalledReset();
        session.refresh(false);
        Instant now = clock.instant();
        Instant next = null;
        List<Due> due = new ArrayList<>();
        if (!session.nodeExists(Notifications.ROOT)) {
            return null;
        }
        for (NodeIterator shards = session.getNode(Notifications.ROOT).getNodes(); shards.hasNext(); ) {
            for (NodeIterator it = shards.nextNode().getNodes(); it.hasNext(); ) {
                Node n = it.nextNode();
                try {
                    if (!Notifications.PENDING.equals(n.getProperty(Notifications.STATE).getString())) {
                        continue;
                    }
                    Instant at = n.getProperty(Notifications.NEXT_ATTEMPT).getDate().toInstant();
                    // a notice never tried is due at once: its time was written by the writer's clock, not this one
                    boolean fresh = n.getProperty(Notifications.ATTEMPTS).getLong() == 0;
                    if (!fresh && at.isAfter(now)) {
                        next = next == null || at.isBefore(next) ? at : next;
                    } else {
                        due.add(new Due(n.getPath(), at));
                    }
                } catch (PathNotFoundException | InvalidItemStateException | ItemNotFoundException e) {
                    // removed or being claimed by another sender meanwhile: the next scan sees it as it is then
                }
            }
        }
        due.sort(java.util.Comparator.comparing(Due::at));
        boolean busy = false;
        boolean handled = false;
        for (Due d : due) {
            if (!running) {
                break;
            }
            pausedUntil = null;
            boolean mine;
            try {
                mine = process(d.path());
            } catch (Paused p) {
                // the mail server could not take this one: the others would fail the same way, so wait for its retry
                pausedUntil = p.until;
                return p.until;
            }
            busy |= !mine;
            handled |= mine;
        }
        if (handled) { // retries were scheduled and more may have come: look again at once
            return clock.instant();
        }
        if (busy) { // another sender holds some: look again soon, they may fail and be due again
            Instant soon = clock.instant().plusSeconds(1);
            next = next == null || soon.isBefore(next) ? soon : next;
        }
        return next;
    }

    private void signalledReset() {
        lock.lock();
        try {
            signalled = false;
        } finally {
            lock.unlock();
        }
    }

    private record Due(String path, Instant at) {
    }

    /** A transient failure to send: the pass stops until {@link #until}. */
    private static final class Paused extends RuntimeException {
        final transient Instant until;

        Paused(Instant until) {
            super(null, null, false, false);
            this.until = until;
        }
    }

    /** One notice: false when another session holds its claim. */
    private boolean process(String path) throws RepositoryException {
        LockManager locks = session.getWorkspace().getLockManager();
        try {
            locks.lock(path, false, true, Long.MAX_VALUE, owner);
        } catch (LockException e) {
            return false;
        } catch (PathNotFoundException | InvalidItemStateException e) {
            return true; // sent and removed by another sender
        }
        try {
            session.refresh(false);
            if (!session.nodeExists(path)) {
                return true;
            }
            Node n = session.getNode(path);
            Instant now = clock.instant();
            boolean fresh = n.getProperty(Notifications.ATTEMPTS).getLong() == 0; // due at once (see pass)
            if (!Notifications.PENDING.equals(n.getProperty(Notifications.STATE).getString())
                    || !fresh && n.getProperty(Notifications.NEXT_ATTEMPT).getDate().toInstant().isAfter(now)) {
                return true; // handled by another sender between our look and our claim
            }
            long attempt = n.getProperty(Notifications.ATTEMPTS).getLong() + 1;
            n.setProperty(Notifications.ATTEMPTS, attempt);
            n.setProperty(Notifications.LAST_ATTEMPT, Notifications.calendar(now));
            session.save(); // counted before the attempt: a notice that kills the process cannot be tried for ever
            Notice notice;
            Email email;
            try {
                notice = Notifications.notice(n);
                Templates.Rendered r = templates.render(notice);
                email = new Email("<" + n.getName() + ".notice@" + config.messageIdDomain() + ">", notice.to(), notice.lang(),
                        r.subject(), r.body());
            } catch (IllegalArgumentException e) {
                fail(n, attempt, "cannot be rendered: " + maskAddresses(e.getMessage()), "(unreadable)");
                return true;
            }
            try {
                mailer.send(email);
            } catch (Mailer.MailException e) {
                String what = notice.template().key() + " (" + notice.lang().tag() + ") to " + mask(notice.to());
                String why = maskAddresses(e.getMessage()); // a refusal usually names the recipient
                if (e.permanent() || attempt >= config.maxAttempts()) {
                    fail(n, attempt, why, what);
                } else {
                    Duration wait = config.backoff(attempt);
                    wait = wait.plusMillis(ThreadLocalRandom.current().nextLong(wait.toMillis() / 10 + 1));
                    Instant at = clock.instant().plus(wait);
                    n.setProperty(Notifications.NEXT_ATTEMPT, Notifications.calendar(at));
                    n.setProperty(Notifications.LAST_ERROR, why);
                    session.save();
                    LOG.warn("notifications: notice {} ({}) attempt {} of {} via {} failed: {}; next attempt at {}", n.getName(),
                            what, attempt, config.maxAttempts(), mailer.describe(), why, at);
                    throw new Paused(at);
                }
                return true;
            }
            String id = n.getName();
            n.remove();
            session.save();
            LOG.info("notifications: notice {} ({} in {}) sent to {} via {}", id, notice.template().key(), notice.lang().tag(),
                    mask(notice.to()), mailer.describe());
            return true;
        } finally {
            session.refresh(false);
            try {
                if (session.nodeExists(path) && locks.isLocked(path)) {
                    locks.unlock(path);
                }
            } catch (RepositoryException e) {
                LOG.warn("notifications: cannot release the claim on {}: {} (released when the sender stops)", path, e.toString());
            }
        }
    }

    private void fail(Node n, long attempt, String why, String what) throws RepositoryException {
        n.setProperty(Notifications.STATE, Notifications.FAILED);
        n.setProperty(Notifications.FAILED_AT, Notifications.calendar(clock.instant()));
        n.setProperty(Notifications.LAST_ERROR, why);
        session.save();
        LOG.error("notifications: notice {} ({}) failed for good after {} attempt(s) via {}: {}; kept in {} as failed",
                n.getName(), what, attempt, mailer.describe(), why, Notifications.ROOT);
    }

    private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("[^\\s<>()\\[\\],;:\"'@]+@[A-Za-z0-9][A-Za-z0-9.-]*");

    /** {@code text} (an error message, for lastError and the log) with every email address in it masked as by {@link #mask}. */
    static String maskAddresses(String text) {
        return text == null ? null : ADDRESS.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(mask(m.group())));
    }

    /** An address for a log line: its first character and its domain ({@code j***@example.org}). */
    static String mask(String address) {
        int at = address.lastIndexOf('@');
        return at <= 0 ? "***" : address.charAt(0) + "***" + address.substring(at);
    }
}
