package wales.exchange.jcr;

import java.nio.file.Path;

/**
 * The process {@link RepositoryCheckMemoryTest} starts with a small heap: opens the on-disk repository in
 * {@code args[0]}, runs the storage check and prints {@code nodes <n> damages <d>}, then each damage.
 */
public final class SmallHeapCheck {
    private SmallHeapCheck() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(Path.of(args[0]))) {
            RepositoryCheck.Report report = new RepositoryCheck(repo).checkStorage();
            System.out.println("nodes " + report.nodes() + " damages " + report.damages().size());
            report.damages().forEach(System.out::println);
        }
    }
}
