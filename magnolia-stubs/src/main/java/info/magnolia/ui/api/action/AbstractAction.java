package info.magnolia.ui.api.action;

/**
 * Stand-in for {@code info.magnolia.ui.api.action.AbstractAction<D extends ActionDefinition>}: {@code protected
 * AbstractAction(D definition)}, {@code getDefinition()}. Sources: shared/reference/magnolia.md section 9 (R-MDYN 6.2);
 * IBM/magkit (commit cfd23fc, Magnolia 6.4, jakarta.inject) magkit-tools-t9n ExportTranslationAsCsvAction
 * ({@code extends AbstractAction<ConfiguredActionDefinition>}, {@code super(definition)}).
 */
public abstract class AbstractAction<D extends ActionDefinition> implements Action {
    private final D definition;

    protected AbstractAction(D definition) {
        this.definition = definition;
    }

    public D getDefinition() {
        return definition;
    }
}
