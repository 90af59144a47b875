package info.magnolia.ui.api.action;

/**
 * Stand-in for {@code info.magnolia.ui.api.action.ConfiguredActionDefinition} (a subset: name, label, implementation
 * class, bean setters Magnolia's definition mapping fills from YAML). Used as the definition of 6.4 actions by IBM/magkit
 * (commit cfd23fc) magkit-tools-t9n ({@code AbstractAction<ConfiguredActionDefinition>}). Not mirrored: icon,
 * description, availability, i18n basename.
 */
public class ConfiguredActionDefinition implements ActionDefinition {
    private String name;
    private String label;
    private Class<? extends Action> implementationClass;

    @Override
    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getLabel() {
        return label;
    }

    public void setLabel(String label) {
        this.label = label;
    }

    @Override
    public Class<? extends Action> getImplementationClass() {
        return implementationClass;
    }

    public void setImplementationClass(Class<? extends Action> implementationClass) {
        this.implementationClass = implementationClass;
    }
}
