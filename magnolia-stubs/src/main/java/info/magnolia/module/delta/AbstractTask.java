package info.magnolia.module.delta;

/**
 * Stand-in for {@code info.magnolia.module.delta.AbstractTask}: holds the name and description. Source read:
 * ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/delta/AbstractTask.java (public constructor {@code (String taskName, String taskDescription)}); not
 * mirrored: its protected SLF4J {@code log} field.
 */
public abstract class AbstractTask implements Task {
    private final String name;
    private final String description;

    public AbstractTask(String taskName, String taskDescription) {
        this.name = taskName;
        this.description = taskDescription;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public String toString() {
        return "task: " + name;
    }
}
