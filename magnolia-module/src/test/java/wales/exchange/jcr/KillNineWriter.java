package wales.exchange.jcr;

import java.nio.file.Path;
import java.util.UUID;
import javax.jcr.Node;
import javax.jcr.Session;

/**
 * The process {@link KillNineTest} kills: opens the on-disk repository in {@code args[0]}, then saves one node after
 * another under one parent (so the parent's bundle is rewritten on every save, as a folder's is), each with a 4 KB
 * text, and prints {@code ack <id>} only after {@code session.save()} returned: a line on stdout is an acknowledged
 * write. Runs until it is killed.
 */
public final class KillNineWriter {
    private KillNineWriter() {
    }

    public static void main(String[] args) throws Exception {
        String text = "x".repeat(4096);
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(Path.of(args[0]))) {
            Session s = repo.login();
            Node root = s.getRootNode();
            Node parent = root.hasNode("probe") ? root.getNode("probe") : root.addNode("probe", "nt:unstructured");
            s.save();
            System.out.println("ready");
            System.out.flush();
            for (long i = 0; ; i++) {
                String name = UUID.randomUUID().toString();
                Node n = parent.addNode(name, "nt:unstructured");
                n.setProperty("text", text);
                n.setProperty("n", i);
                parent.setProperty("count", i);
                s.save();
                System.out.println("ack " + name);
                System.out.flush();
            }
        }
    }
}
