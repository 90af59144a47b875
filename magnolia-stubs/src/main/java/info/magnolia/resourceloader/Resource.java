package info.magnolia.resourceloader;

import java.io.IOException;
import java.io.InputStream;

/**
 * Stand-in for {@code info.magnolia.resourceloader.Resource} (a subset): {@code getPath()} (neat-tweaks
 * ResourcesTemplatingFunctions: {@code resource.getPath()}), {@code openStream()} throwing {@link IOException}
 * (IBM/magkit, commit cfd23fc, magkit-tools-t9n AddTranslationEntryTask: {@code try (InputStream in = resource.openStream())}).
 */
public interface Resource {
    String getPath();

    InputStream openStream() throws IOException;
}
