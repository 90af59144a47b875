package wales.exchange.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts {@link Managed} components in the order they were added and stops the started ones in reverse. A start that
 * fails stops what had started (in reverse) and is then rethrown unchanged; a stop that fails is logged once, one line
 * naming the component, and the others are stopped all the same. {@link #stop()} stops each component at most once.
 */
public final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
    private final List<Named> components = new ArrayList<>();
    private final Deque<Named> started = new ArrayDeque<>();
    private boolean starting;

    private record Named(String name, Managed managed) {
    }

    /** Adds a component, started after those added before it. */
    public synchronized Lifecycle add(String name, Managed managed) {
        if (starting) {
            throw new IllegalStateException("add components before start(): " + name);
        }
        components.add(new Named(name, managed));
        return this;
    }

    /** The names of the components that are started, in start order. */
    public synchronized List<String> started() {
        List<String> names = new ArrayList<>();
        started.descendingIterator().forEachRemaining(n -> names.add(n.name()));
        return names;
    }

    /**
     * Starts every component in order. If one fails, the components started before it are stopped in reverse and its
     * exception is thrown for the caller to report (once).
     */
    public synchronized void start() throws Exception {
        if (starting) {
            throw new IllegalStateException("already started");
        }
        starting = true;
        for (Named c : components) {
            long t0 = System.nanoTime();
            try {
                c.managed().start();
            } catch (Exception | Error e) {
                // not logged here: the exception goes to the caller, which reports it once (the server: one line on
                // stderr, such as a port in use); the name is kept in the debug log
                LOG.debug("{} failed to start: {}", c.name(), String.valueOf(e));
                stop();
                throw e;
            }
            started.push(c);
            LOG.debug("{} started in {} ms", c.name(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Stops the started components in reverse order; a failure is logged with the component's name and the rest go on. */
    public synchronized void stop() {
        for (Named c; (c = started.poll()) != null; ) {
            try {
                c.managed().stop();
            } catch (Exception | Error e) {
                LOG.error("{} failed to stop: {}", c.name(), String.valueOf(e));
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
