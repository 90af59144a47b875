package wales.exchange.magnolia;

import info.magnolia.resourceloader.Resource;
import info.magnolia.resourceloader.ResourceOrigin;
import info.magnolia.resourceloader.ResourceVisitor;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import wales.exchange.model.DefinitionFiles;

/**
 * The module's definitions as Magnolia sees them: read through Magnolia's {@link ResourceOrigin} (its layered origin:
 * a file-system light module {@code exchange} in {@code magnolia.resources.dir}, then the jar's {@code exchange/}),
 * so that the model and the message bundles the module uses are the ones Magnolia's content types and apps use.
 */
public final class ResourceOriginFiles implements DefinitionFiles {
    @SuppressWarnings("rawtypes")
    private final ResourceOrigin origin;

    @Inject
    public ResourceOriginFiles(@SuppressWarnings("rawtypes") ResourceOrigin origin) {
        this.origin = origin;
    }

    @Override
    public Map<String, String> list(String folder, String suffix) throws IOException {
        String dir = "/" + MODULE + "/" + folder;
        Map<String, String> texts = new TreeMap<>();
        try {
            origin.traverseWith(new ResourceVisitor() {
                @Override
                public void visitFile(Resource resource) {
                    String path = resource.getPath();
                    if (path.startsWith(dir + "/") && path.endsWith(suffix) && path.indexOf('/', dir.length() + 1) < 0) {
                        texts.put(path.substring(dir.length() + 1), text(resource));
                    }
                }

                @Override
                public boolean visitDirectory(Resource resource) {
                    String path = resource.getPath();
                    // only down to the folder asked for: "/", "/exchange", "/exchange/<folder>"
                    return path.equals("/") || path.isEmpty() || (dir + "/").startsWith(path.endsWith("/") ? path : path + "/");
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return texts;
    }

    @Override
    public String read(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        String folder = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        return list(folder, name).get(name);
    }

    @Override
    public String describe() {
        return "Magnolia's resources (/" + MODULE + "/)";
    }

    private static String text(Resource resource) {
        try (InputStream in = resource.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot read " + resource.getPath() + ": " + e.getMessage(), e));
        }
    }
}
