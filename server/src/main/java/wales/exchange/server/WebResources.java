package wales.exchange.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Every file under a classpath folder (the module's {@code exchange/webresources/}), read once into memory, by its path
 * relative to that folder ({@code assets/site.css}). Works for a folder on disk (tests, IDE) and inside a jar.
 */
final class WebResources {
    /** Files larger than this are not web resources of ours: refused at start. */
    static final int MAX_FILE = 2 * 1024 * 1024;

    private WebResources() {
    }

    static Map<String, byte[]> load(ClassLoader loader, String root) {
        URL url = loader.getResource(root);
        if (url == null) {
            throw new IllegalStateException("web resources missing from the classpath: " + root);
        }
        Map<String, byte[]> files = new TreeMap<>();
        try {
            if (url.getProtocol().equals("file")) {
                Path dir = Path.of(url.toURI());
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                        put(files, dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                    }
                }
            } else if (url.getProtocol().equals("jar")) {
                JarURLConnection c = (JarURLConnection) url.openConnection();
                c.setUseCaches(false);
                try (JarFile jar = c.getJarFile()) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        JarEntry entry = e.nextElement();
                        if (!entry.isDirectory() && entry.getName().startsWith(root)) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                put(files, entry.getName().substring(root.length()), in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                throw new IllegalStateException("web resources at an unsupported location: " + url);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read web resources " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    private static void put(Map<String, byte[]> files, String name, byte[] bytes) {
        if (bytes.length > MAX_FILE) {
            throw new IllegalStateException("web resource too large: " + name);
        }
        files.put(name, bytes);
    }
}
