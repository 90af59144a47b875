package wales.exchange.lifecycle;

/**
 * Something with a life: started once by a {@link Lifecycle} in registration order, stopped in reverse (Dropwizard's
 * {@code Managed} in shape). Used by the standalone server and by the Magnolia module for the same components.
 */
public interface Managed {
    void start() throws Exception;

    void stop() throws Exception;

    /** A step that only starts (nothing to release). */
    static Managed onStart(Step start) {
        return of(start, () -> { });
    }

    /** A component from two steps. */
    static Managed of(Step start, Step stop) {
        return new Managed() {
            @Override
            public void start() throws Exception {
                start.run();
            }

            @Override
            public void stop() throws Exception {
                stop.run();
            }
        };
    }

    /** One step of a start or stop, which may throw. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }
}
