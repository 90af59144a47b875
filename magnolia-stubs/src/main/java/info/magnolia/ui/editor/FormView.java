package info.magnolia.ui.editor;

import java.util.Optional;

/**
 * Stand-in for {@code info.magnolia.ui.editor.FormView<T>}, the form of a dialog as its commit action sees it:
 * {@code Optional<Object> getPropertyValue(String)} (the field's current value). Source: IBM/magkit-tools
 * magkit-tools-t9n {@code ImportCsvAction} and its test (a commit action injected with {@code FormView<Node>},
 * reading {@code getPropertyValue("importCsv")}), merkle-open/magnolia-dynamic-builder {@code JcrNameNodeNameProvider}.
 * A subset.
 */
public interface FormView<T> {
    Optional<Object> getPropertyValue(String propertyName);
}
