package wales.exchange.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.jcr.NodeIterator;
import javax.jcr.Session;
import javax.jcr.query.Query;
import javax.jcr.query.QueryManager;
import javax.jcr.query.QueryResult;
import wales.exchange.content.ContentService;
import wales.exchange.delivery.query.Delivery;
import wales.exchange.delivery.query.ListQuery;
import wales.exchange.delivery.index.DeliveryIndex;
import wales.exchange.i18n.Lang;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.model.ContentModel;
import wales.exchange.model.ModelLoader;

/**
 * Measures the ways the delivery API could answer "published reports for teachers, newest first, 20 of them, with the
 * total": JCR-SQL2 and XPath queries on Jackrabbit 2, and the in-memory read model. Run on a data directory made by
 * {@link DataGenerator} (the server must not be running on it):
 *
 * <pre>java -cp bench/target/exchange-bench.jar wales.exchange.bench.QueryStrategyBench --data DIR [--rounds N]</pre>
 *
 * Prints one line per strategy: median and worst time per query after warm-up, and the total it found.
 */
public final class QueryStrategyBench {
    private QueryStrategyBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = null;
        int rounds = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: --data DIR [--rounds N]");
            }
        }
        if (data == null) {
            throw new IllegalArgumentException("usage: --data DIR [--rounds N]");
        }
        try (EmbeddedRepository repo = EmbeddedRepository.onDisk(data)) {
            Session s = repo.login();
            QueryManager qm = s.getWorkspace().getQueryManager();
            String sql2 = "SELECT * FROM [exchange:resource] AS r WHERE ISDESCENDANTNODE(r, '/resources')"
                    + " AND r.moderationState = $state AND r.kind = $kind AND r.audiences = $audience"
                    + " ORDER BY r.publicationDate DESC";
            String xpath = "/jcr:root/resources//element(*, exchange:resource)[@moderationState = 'published'"
                    + " and @kind = 'report' and @audiences = 'teacher'] order by @publicationDate descending";
            run("JCR-SQL2 ORDER BY, limit 20 (page only)", rounds, () -> {
                Query q = qm.createQuery(sql2, Query.JCR_SQL2);
                bind(q, s);
                q.setLimit(20);
                return count(q.execute().getNodes(), false);
            });
            run("JCR-SQL2 ORDER BY, all rows (page + total)", rounds, () -> {
                Query q = qm.createQuery(sql2, Query.JCR_SQL2);
                bind(q, s);
                return count(q.execute().getNodes(), true);
            });
            @SuppressWarnings("deprecation")
            String xpathLang = Query.XPATH;
            run("XPath order by, limit 20 (page only)", rounds, () -> {
                Query q = qm.createQuery(xpath, xpathLang);
                q.setLimit(20);
                return count(q.execute().getNodes(), false);
            });
            run("XPath order by, all rows (page + total)", rounds, () -> {
                Query q = qm.createQuery(xpath, xpathLang);
                QueryResult r = q.execute();
                return count(r.getNodes(), true);
            });
            ContentModel model = ModelLoader.fromClasspath(QueryStrategyBench.class.getClassLoader());
            ContentService service = new ContentService(model, Clock.systemUTC());
            long t0 = System.nanoTime();
            DeliveryIndex readModel = new DeliveryIndex(service, repo.login(), repo::login, List.of(model.get("resource")), Clock.systemUTC());
            readModel.start();
            Delivery delivery = new Delivery(readModel, Clock.systemUTC());
            System.out.printf("read model: %d items loaded in %d ms, heap used %d MB%n", readModel.size(),
                    (System.nanoTime() - t0) / 1_000_000, usedHeapMb());
            ListQuery lq = ListQuery.parse(model.get("resource"), Map.of("kind", List.of("report"), "audiences", List.of("teacher"),
                    "sort", List.of("-publicationDate"), "limit", List.of("20")), false);
            run("read model (page + total + facets)", rounds * 50, () -> Bench.total(delivery, lq));
            readModel.stop();
            s.logout();
        }
    }

    private static void bind(Query q, Session s) throws Exception {
        q.bindValue("state", s.getValueFactory().createValue("published"));
        q.bindValue("kind", s.getValueFactory().createValue("report"));
        q.bindValue("audience", s.getValueFactory().createValue("teacher"));
    }

    private static int count(NodeIterator it, boolean all) {
        int n = 0;
        while (it.hasNext() && (all || n < 20)) {
            it.nextNode();
            n++;
        }
        return n;
    }

    private static long usedHeapMb() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
    }

    interface Work {
        int run() throws Exception;
    }

    private static void run(String name, int rounds, Work work) throws Exception {
        for (int i = 0; i < Math.min(5, rounds); i++) {
            work.run();
        }
        List<Long> times = new ArrayList<>();
        int result = 0;
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            result = work.run();
            times.add(System.nanoTime() - t);
        }
        times.sort(Long::compare);
        System.out.printf("%-45s median %8.3f ms   worst %8.3f ms   rows %d%n", name, times.get(times.size() / 2) / 1e6,
                times.get(times.size() - 1) / 1e6, result);
    }

    /** Access to the package-private list query, for the benchmark only. */
    static final class Bench {
        private Bench() {
        }

        static int total(Delivery delivery, ListQuery q) {
            return delivery.total(q, "resource", Lang.EN);
        }
    }
}
