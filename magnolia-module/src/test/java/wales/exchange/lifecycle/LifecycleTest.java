package wales.exchange.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private final List<String> calls = new ArrayList<>();

    private Managed recording(String name, boolean failStart, boolean failStop) {
        return Managed.of(() -> {
            calls.add("start " + name);
            if (failStart) {
                throw new IllegalStateException(name + " cannot start");
            }
        }, () -> {
            calls.add("stop " + name);
            if (failStop) {
                throw new java.io.IOException(name + " cannot stop");
            }
        });
    }

    @Test
    void startsInOrderAndStopsInReverse() throws Exception {
        Lifecycle lifecycle = new Lifecycle().add("a", recording("a", false, false)).add("b", recording("b", false, false))
                .add("c", recording("c", false, false));
        lifecycle.start();
        assertThat(lifecycle.started()).containsExactly("a", "b", "c");
        lifecycle.stop();
        assertThat(calls).containsExactly("start a", "start b", "start c", "stop c", "stop b", "stop a");
        assertThat(lifecycle.started()).isEmpty();
    }

    @Test
    void aFailedStartStopsWhatHadStartedAndIsRethrownUnchanged() {
        IllegalStateException failure = new IllegalStateException("port in use");
        Lifecycle lifecycle = new Lifecycle().add("a", recording("a", false, false)).add("b", recording("b", false, false))
                .add("c", Managed.onStart(() -> {
                    calls.add("start c");
                    throw failure;
                })).add("d", recording("d", false, false));
        assertThatThrownBy(lifecycle::start).isSameAs(failure);
        assertThat(calls).containsExactly("start a", "start b", "start c", "stop b", "stop a");
        assertThat(lifecycle.started()).isEmpty();
    }

    @Test
    void aFailingStopDoesNotKeepTheOthersRunning() throws Exception {
        Lifecycle lifecycle = new Lifecycle().add("a", recording("a", false, true)).add("b", recording("b", false, true))
                .add("c", recording("c", false, false));
        lifecycle.start();
        lifecycle.stop();
        assertThat(calls).containsExactly("start a", "start b", "start c", "stop c", "stop b", "stop a");
    }

    @Test
    void aFailingStopDuringRollbackDoesNotHideTheStartFailure() {
        Lifecycle lifecycle = new Lifecycle().add("a", recording("a", false, false)).add("b", recording("b", false, true))
                .add("c", recording("c", true, false));
        assertThatThrownBy(lifecycle::start).hasMessage("c cannot start");
        assertThat(calls).containsExactly("start a", "start b", "start c", "stop b", "stop a");
    }

    @Test
    void stopStopsEachComponentOnceAndStartOnlyOnce() throws Exception {
        Lifecycle lifecycle = new Lifecycle().add("a", recording("a", false, false));
        lifecycle.start();
        lifecycle.stop();
        lifecycle.stop();
        assertThat(calls).containsExactly("start a", "stop a");
        assertThatThrownBy(lifecycle::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> lifecycle.add("b", recording("b", false, false))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nothingStartedMeansNothingStopped() {
        new Lifecycle().add("a", recording("a", false, false)).stop();
        assertThat(calls).isEmpty();
    }
}
