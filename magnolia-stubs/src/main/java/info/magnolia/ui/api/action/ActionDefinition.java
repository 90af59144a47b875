package info.magnolia.ui.api.action;

/**
 * Stand-in for {@code info.magnolia.ui.api.action.ActionDefinition} (a subset: the name and the implementation class).
 * Source: shared/reference/magnolia.md section 9 ({@code AbstractAction<D extends ActionDefinition>}, R-MDYN 6.2);
 * {@code ConfiguredActionDefinition} implements it (IBM/magkit magkit-tools-t9n actions, Magnolia 6.4).
 */
public interface ActionDefinition {
    String getName();

    Class<? extends Action> getImplementationClass();
}
