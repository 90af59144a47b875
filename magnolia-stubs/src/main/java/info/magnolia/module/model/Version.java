package info.magnolia.module.model;

/**
 * Stand-in for {@code info.magnolia.module.model.Version} (the type only, and {@code parseVersion(String)}). Source read:
 * ekirkilevics/Magnolia (Magnolia 5.0 core, commit 340aeab), magnolia-core/src/main/java/info/magnolia/module/model/Version.java.
 */
public class Version {
    private final String text;

    protected Version(String text) {
        this.text = text;
    }

    public static Version parseVersion(String versionStr) {
        return new Version(versionStr);
    }

    @Override
    public String toString() {
        return text;
    }
}
