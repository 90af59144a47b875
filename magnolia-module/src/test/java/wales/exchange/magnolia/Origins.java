package wales.exchange.magnolia;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import info.magnolia.resourceloader.Resource;
import info.magnolia.resourceloader.ResourceOrigin;
import info.magnolia.resourceloader.ResourceVisitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Magnolia's resource origin at the edge, mocked with Mockito: it serves a folder of light modules (as
 * {@code magnolia.resources.dir}) through {@code traverseWith} and {@code getByPath}, and records the directories it was
 * asked to descend into.
 */
final class Origins {
    final List<String> descended = new ArrayList<>();
    final ResourceOrigin<Resource> origin;

    @SuppressWarnings("unchecked")
    private Origins(Path root) {
        origin = mock(ResourceOrigin.class);
        doAnswer(call -> {
            visit(root, root, call.getArgument(0));
            return null;
        }).when(origin).traverseWith(any(ResourceVisitor.class));
        when(origin.getByPath(any(String.class))).thenAnswer(call -> resource(root, root.resolve(((String) call.getArgument(0)).substring(1))));
    }

    /** The origin of a resources folder holding light modules (e.g. {@code ../light-modules}). */
    static Origins of(Path root) {
        return new Origins(root);
    }

    private void visit(Path root, Path p, ResourceVisitor visitor) {
        Resource r = resource(root, p);
        if (Files.isDirectory(p)) {
            if (!visitor.visitDirectory(r)) {
                return;
            }
            descended.add(r.getPath());
            try (Stream<Path> children = Files.list(p)) {
                children.sorted().forEach(c -> visit(root, c, visitor));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            visitor.visitFile(r);
        }
    }

    private static Resource resource(Path root, Path p) {
        Resource r = mock(Resource.class);
        String rel = root.relativize(p).toString().replace('\\', '/');
        when(r.getPath()).thenReturn("/" + rel);
        try {
            when(r.openStream()).thenAnswer(call -> Files.newInputStream(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }
}
