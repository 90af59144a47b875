package info.magnolia.ui;

import java.util.Optional;
import java.util.stream.Stream;

/**
 * Stand-in for {@code info.magnolia.ui.ValueContext<T>} (a subset): {@code Optional<T> getSingle()} and
 * {@code Stream<T> get()}, the selected items an action works on. Source: IBM/magkit (commit cfd23fc, Magnolia 6.4)
 * magkit-tools-t9n ExportTranslationAsCsvAction ({@code ValueContext<Node>} injected; {@code getSingle().isEmpty()},
 * {@code get().collect(...)}); shared/reference/magnolia.md section 9.
 */
public interface ValueContext<T> {
    Optional<T> getSingle();

    Stream<T> get();
}
