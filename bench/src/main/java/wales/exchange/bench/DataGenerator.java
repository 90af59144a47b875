package wales.exchange.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.jcr.Node;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import wales.exchange.content.ContentService;
import wales.exchange.content.ValidationException;
import wales.exchange.jcr.EmbeddedRepository;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/**
 * Fills a file repository with N synthetic, bilingual {@code resource} items for the benchmark ({@code bench/run.sh}).
 *
 * <pre>java -cp bench/target/exchange-bench.jar wales.exchange.bench.DataGenerator --data DIR --count N [--seed S] [--threads T]
 *     [--folder NAME] [--max-seconds S] [--batch B] [--spread-days D]
 *     [--cluster-db-url URL --cluster-node-id ID [--cluster-db-user NAME]]</pre>
 *
 * Every item goes through {@link ContentService#create} (validation, JCR mapping, one save per item), exactly as an
 * editor's item would; with {@code --batch B} (default 1) through {@link ContentService#createUnsaved}, B items per
 * save, as the bulk import saves (a cluster node writes one journal record and takes the journal's lock once per save:
 * {@code scripts/cluster-restart.sh} loads its many items this way and its later writes one per save). Sizes are those of real library entries: title 60-100 characters, summary 300-600, body
 * 2-4 KB of {@code <p>} HTML, each in English and Welsh. Words are drawn from a Zipf-like distribution over an
 * English and a Welsh word list, so a few words (care, foster, children / gofal, maeth, plant) are in most items and
 * the tail is rare, as in real text. Kind, audiences, topics and publication date (2000-2025) come from a
 * {@link Random} seeded from the seed and the item's number: the same seed gives the same content, whatever the number
 * of threads. 95% of items are {@code published}, 5% {@code draft}. Items are put in folders {@code bench/NNN} of
 * 250 items each (item i in folder i / 250); {@code --folder} names another folder than {@code bench}, to add items to a
 * repository that has some; {@code --max-seconds} stops saving after that long (the items saved so far stay, the
 * repository is closed cleanly). With {@code --spread-days D} the items' {@code mgnl:lastModified} (and creation date)
 * are spread evenly over the D days before the start, item i of N at {@code start - (N - i) * D / N}, as a library's
 * items were edited over time (the start's catch-up reads again only the last hour's before the newest:
 * {@code scripts/cluster-restart.sh}); without it every item is stamped when it is saved.
 *
 * <p>With {@code --cluster-db-url} (password in {@code EXCHANGE_CLUSTER_DB_PASSWORD}) the repository is a node of a
 * cluster on PostgreSQL ({@link EmbeddedRepository#cluster}; its id must not be one of the servers'), so that the items
 * reach the running nodes through the journal ({@code scripts/cluster-restart.sh}). It prints the id of the last
 * published item it saved (with one thread: the last write).
 *
 * <p>Saving is dominated by Jackrabbit's synchronous Lucene indexing; T writer threads (default: the number of
 * processors, at most 4), each with its own session and its own folders, keep the cores busy.
 */
public final class DataGenerator {
    static final int PER_FOLDER = 250;
    static final int PROGRESS_EVERY = 5000;
    /** A fresh session now and then keeps the transient item cache of one long-lived session from growing. */
    static final int SESSION_EVERY = 2500;
    static final String FOLDER_ROOT = "bench";
    static final String ROOT_PATH = "/resources";

    private DataGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Path data = null;
        int count = -1;
        long seed = 42L;
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        String folderRoot = FOLDER_ROOT;
        int maxSeconds = 0;
        int batch = 1;
        int spreadDays = 0;
        String clusterUrl = null;
        String clusterNode = null;
        String clusterUser = "exchange";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                usage(null);
            }
            if (i + 1 >= args.length) {
                usage("missing value for " + a);
            }
            switch (a) {
                case "--data" -> data = Path.of(args[++i]);
                case "--count" -> count = parseInt(args[++i]);
                case "--seed" -> seed = parseLong(args[++i]);
                case "--threads" -> threads = Math.max(1, parseInt(args[++i]));
                case "--folder" -> folderRoot = args[++i];
                case "--max-seconds" -> maxSeconds = parseInt(args[++i]);
                case "--batch" -> batch = Math.max(1, parseInt(args[++i]));
                case "--spread-days" -> spreadDays = parseInt(args[++i]);
                case "--cluster-db-url" -> clusterUrl = args[++i];
                case "--cluster-node-id" -> clusterNode = args[++i];
                case "--cluster-db-user" -> clusterUser = args[++i];
                default -> usage("unknown argument " + a);
            }
        }
        if (data == null || count < 0) {
            usage("--data and --count are required");
        }
        if (spreadDays < 0 || spreadDays > 36_500) {
            usage("--spread-days must be 0 to 36500, got " + spreadDays);
        }
        if ((clusterUrl == null) != (clusterNode == null)) {
            usage("--cluster-db-url and --cluster-node-id go together");
        }
        if (!folderRoot.matches("[a-z0-9][a-z0-9-]{0,40}")) {
            usage("--folder must be a lower-case name, got " + folderRoot);
        }
        long t0 = System.nanoTime();
        Stats stats;
        String password = System.getenv("EXCHANGE_CLUSTER_DB_PASSWORD");
        if (clusterUrl != null && (password == null || password.isEmpty())) {
            usage("--cluster-db-url needs the password in EXCHANGE_CLUSTER_DB_PASSWORD");
        }
        try (EmbeddedRepository repo = clusterUrl == null ? EmbeddedRepository.onDisk(data)
                : EmbeddedRepository.cluster(data, new EmbeddedRepository.Cluster(clusterUrl, clusterUser, password, clusterNode,
                        EmbeddedRepository.Cluster.DEFAULT_SYNC_DELAY_MILLIS, 0))) {
            System.out.printf(Locale.ROOT, "repository opened at %s in %.1f s; %,d items, seed %d, %d threads, %d items per save%n",
                    data.toAbsolutePath(), secs(t0, System.nanoTime()), count, seed, threads, batch);
            StampClock clock = new StampClock(Instant.now(), java.time.Duration.ofDays(spreadDays), count);
            ContentService service = new ContentService(
                    ModelLoader.fromClasspath(DataGenerator.class.getClassLoader()), clock);
            stats = new Generator(repo, service, count, seed, threads, folderRoot, maxSeconds, batch, clock).run();
            System.out.printf(Locale.ROOT, "%,d items saved in %.1f s (%.0f items/s)%s; shutting the repository down%n",
                    stats.done.get(), stats.seconds, stats.done.get() / Math.max(stats.seconds, 1e-9),
                    stats.done.get() < count ? ", stopped after --max-seconds " + maxSeconds : "");
        } catch (AlreadyGenerated e) {
            System.err.println("the repository already holds generated items under " + ROOT_PATH + "/" + folderRoot
                    + "; remove the data directory to generate again, or give another --folder");
            System.exit(2);
            return;
        }
        double total = secs(t0, System.nanoTime());
        System.out.printf(Locale.ROOT, "done: %,d items (%,d published, %,d draft) in %.1f s, %.0f items/s overall%n",
                stats.done.get(), stats.published.get(), stats.draft.get(), total, stats.done.get() / Math.max(total, 1e-9));
        System.out.println("last published: " + stats.lastPublished.get());
    }

    private static final class Stats {
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger published = new AtomicInteger();
        final AtomicInteger draft = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicReference<String> lastPublished = new java.util.concurrent.atomic.AtomicReference<>();
        volatile double seconds;
    }

    private static final class Generator {
        private final EmbeddedRepository repo;
        private final ContentService service;
        private final int count;
        private final long seed;
        private final int threads;
        private final String folderRoot;
        private final boolean timed;
        private final long deadline;
        private final int batch;
        private final StampClock clock;
        private final Stats stats = new Stats();
        private final Object progressLock = new Object();
        private long start;
        private long lastMark;
        private int lastDone;

        Generator(EmbeddedRepository repo, ContentService service, int count, long seed, int threads, String folderRoot, int maxSeconds,
                int batch, StampClock clock) {
            this.batch = batch;
            this.clock = clock;
            this.repo = repo;
            this.service = service;
            this.count = count;
            this.seed = seed;
            this.threads = threads;
            this.folderRoot = folderRoot;
            this.timed = maxSeconds > 0;
            this.deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        }

        Stats run() throws Exception {
            prepareFolders();
            start = System.nanoTime();
            lastMark = start;
            int folders = (count + PER_FOLDER - 1) / PER_FOLDER;
            int workers = Math.max(1, Math.min(threads, folders));
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    int worker = w;
                    futures.add(pool.submit(() -> {
                        work(worker, workers);
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        for (Future<?> other : futures) {
                            other.cancel(true);
                        }
                        throw e.getCause() instanceof Exception x ? x : e;
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            stats.seconds = secs(start, System.nanoTime());
            return stats;
        }

        /**
         * Creates /resources/bench/NNN up front, the way ContentService would (mgnl:folder), so that writer threads
         * never add children to the same node at the same time.
         */
        private void prepareFolders() throws RepositoryException {
            Session session = repo.login();
            try {
                Node root = session.getRootNode();
                Node resources = root.hasNode(ROOT_PATH.substring(1)) ? root.getNode(ROOT_PATH.substring(1))
                        : root.addNode(ROOT_PATH.substring(1), ContentService.FOLDER_TYPE);
                if (resources.hasNode(folderRoot) && resources.getNode(folderRoot).hasNodes()) {
                    throw new AlreadyGenerated();
                }
                Node bench = resources.hasNode(folderRoot) ? resources.getNode(folderRoot)
                        : resources.addNode(folderRoot, ContentService.FOLDER_TYPE);
                for (int f = 0; f * PER_FOLDER < count; f++) {
                    bench.addNode(folderName(f), ContentService.FOLDER_TYPE);
                }
                session.save();
            } finally {
                session.logout();
            }
        }

        /**
         * Worker w of n writes the folders f with f % n == w, each folder's items in order, {@link #batch} items per
         * save (a batch never spans two folders; the items of a batch are counted once it is saved).
         */
        private void work(int w, int n) throws RepositoryException {
            ContentType type = service.model().get("resource");
            Session session = repo.login();
            int sinceLogin = 0;
            List<Node> pending = new ArrayList<>();
            List<Boolean> pendingPublished = new ArrayList<>();
            try {
                for (int f = w; f * PER_FOLDER < count; f += n) {
                    String folder = folderRoot + "/" + folderName(f);
                    int end = Math.min(count, (f + 1) * PER_FOLDER);
                    for (int i = f * PER_FOLDER; i < end; i++) {
                        if (Thread.currentThread().isInterrupted() || (timed && System.nanoTime() - deadline > 0)) {
                            session.refresh(false);   // an unsaved part batch is dropped: the figures are for saved items
                            return;
                        }
                        if (pending.isEmpty() && sinceLogin >= SESSION_EVERY) {
                            session.logout();
                            session = repo.login();
                            sinceLogin = 0;
                        }
                        sinceLogin++;
                        Map<String, Object> values = new Text(new Random(itemSeed(seed, i))).item();
                        ContentService.CreateOptions where = new ContentService.CreateOptions(null, folder, null);
                        clock.item(i);
                        try {
                            if (batch == 1) {
                                wales.exchange.content.Item saved = service.create(session, "resource", values, "generator", where);
                                counted(values, saved.id());
                                continue;
                            }
                            pending.add(service.createUnsaved(session, "resource", values, "generator", where));
                            pendingPublished.add(values.get("moderationState").equals("published"));
                        } catch (ValidationException e) {
                            throw new IllegalStateException("generated item " + i + " is not valid: " + e.errors(), e);
                        }
                        if (pending.size() >= batch || i == end - 1) {
                            session.save();
                            for (int k = 0; k < pending.size(); k++) {
                                counted(pendingPublished.get(k), service.toItem(type, pending.get(k)).id());
                            }
                            pending.clear();
                            pendingPublished.clear();
                        }
                    }
                }
            } finally {
                session.logout();
            }
        }

        private void counted(Map<String, Object> values, String id) {
            counted(values.get("moderationState").equals("published"), id);
        }

        private void counted(boolean published, String id) {
            if (published) {
                stats.published.incrementAndGet();
                stats.lastPublished.set(id);
            } else {
                stats.draft.incrementAndGet();
            }
            progress(stats.done.incrementAndGet());
        }

        private void progress(int done) {
            if (done % PROGRESS_EVERY != 0 && done != count) {
                return;
            }
            synchronized (progressLock) {
                long now = System.nanoTime();
                int recent = done - lastDone;
                System.out.printf(Locale.ROOT, "%,d / %,d items, %.1f s, %.0f items/s (last %,d: %.0f items/s)%n",
                        done, count, secs(start, now), done / Math.max(secs(start, now), 1e-9),
                        recent, recent / Math.max(secs(lastMark, now), 1e-9));
                lastMark = now;
                lastDone = done;
            }
        }
    }

    static String folderName(int f) {
        return String.format(Locale.ROOT, "%03d", f);
    }

    /** A well-mixed seed for item i (SplitMix64 finaliser), so neighbouring items do not share random streams. */
    static long itemSeed(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static final class AlreadyGenerated extends RuntimeException {
        AlreadyGenerated() {
            super(null, null, false, false);
        }
    }

    private static double secs(long from, long to) {
        return (to - from) / 1e9;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.replace("_", ""));
        } catch (NumberFormatException e) {
            usage("not a number: " + s);
            return -1;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.replace("_", ""));
        } catch (NumberFormatException e) {
            usage("not a number: " + s);
            return -1;
        }
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println(problem);
        }
        System.err.println("usage: DataGenerator --data DIR --count N [--seed S] [--threads T] [--folder NAME]"
                + " [--max-seconds S] [--batch B] [--spread-days D] [--cluster-db-url URL --cluster-node-id ID [--cluster-db-user NAME]] (password in EXCHANGE_CLUSTER_DB_PASSWORD)");
        System.exit(problem == null ? 0 : 64);
    }

    /**
     * The content service's clock: the wall clock, or with a spread ({@code --spread-days}) the stamp of the item the
     * calling thread is about to save ({@link #item}), item i of N at {@code start - (N - i) * spread / N}.
     */
    static final class StampClock extends Clock {
        private final Instant start;
        private final java.time.Duration spread;
        private final int count;
        private final ThreadLocal<Instant> stamp = new ThreadLocal<>();

        StampClock(Instant start, java.time.Duration spread, int count) {
            this.start = start;
            this.spread = spread;
            this.count = Math.max(1, count);
        }

        /** The calling thread's next saves are item {@code i}'s. */
        void item(int i) {
            if (!spread.isZero()) {
                stamp.set(start.minus(spread.multipliedBy(count - (long) i).dividedBy(count)));
            }
        }

        @Override
        public Instant instant() {
            Instant t = stamp.get();
            return t != null ? t : Instant.now();
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("a generator's clock is UTC");
        }
    }

    /** Synthetic bilingual content from word lists; deterministic for a given {@link Random}. */
    static final class Text {
        static final List<String> KINDS = List.of("academic-literature", "policy-report", "best-practice-example",
                "training-material", "report", "film", "artwork", "music", "other");
        static final List<String> AUDIENCES = List.of("practitioner", "social-worker", "foster-carer", "teacher",
                "researcher", "care-experienced-young-person", "parent");
        static final List<String> TOPICS = List.of("foster-care", "education", "wellbeing", "mental-health",
                "leaving-care", "kinship-care", "adoption", "residential-care", "attainment", "trauma-informed-practice",
                "attachment", "corporate-parenting", "participation", "welsh-language", "relationships", "transitions",
                "placement-stability", "siblings", "family-contact", "early-years", "higher-education", "employment",
                "housing", "children-rights", "advocacy", "poverty", "disability", "safeguarding", "social-pedagogy",
                "creative-arts", "youth-justice", "identity", "workforce", "supervision", "school-exclusion",
                "research-methods", "health", "unaccompanied-asylum-seekers", "virtual-schools", "play");
        static final List<String> FIRST = List.of("Siân", "Rhys", "Ffion", "Dafydd", "Megan", "Gethin", "Eleri", "Owain",
                "Catrin", "Iwan", "Nia", "Gwenllian", "Huw", "Elin", "Aled", "Sarah", "James", "Emma", "David", "Louise",
                "Mark", "Rachel", "Tom", "Alyson", "Dylan", "Lowri", "Bethan", "Gareth", "Mali", "Ioan");
        static final List<String> LAST = List.of("Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes",
                "Lewis", "Morgan", "Griffiths", "Owen", "Price", "Rees", "Jenkins", "Powell", "Pritchard", "ap Gwilym",
                "Llewelyn", "Bowen", "Parry", "Mellor", "Staines", "Pugh", "Vaughan", "Edwards");
        static final List<String> PUBLISHERS = List.of("CASCADE, Cardiff University", "Welsh Government",
                "Llywodraeth Cymru", "Voices from Care Cymru", "The Fostering Network in Wales", "Children in Wales",
                "Plant yng Nghymru", "Social Care Wales", "Gofal Cymdeithasol Cymru", "Prifysgol Bangor",
                "Swansea University", "Barnardo's Cymru", "NSPCC Cymru", "Adoption UK Cymru", "Estyn");
        static final List<String> LICENCES = List.of("CC BY 4.0", "CC BY-NC 4.0", "CC BY-NC-ND 4.0",
                "Open Government Licence v3.0", "All rights reserved");

        /**
         * English words, roughly most frequent first (the rank sets the Zipf weight): a few function words, then the
         * vocabulary of care, education and research.
         */
        static final String[] EN = words("""
                the of and to in for with care children young people foster support on is their
                education school carers are practice experience this that learning family wellbeing social
                as by from research was we have services local authority who at be our an
                placement teachers staff work health what can it they were these how will
                report study findings policy evidence looked after care-experienced relationships trauma
                attachment professionals outcomes needs mental stability home adults looked-after welsh wales
                community communities training resource guide practitioners workers parents carer
                kinship residential adoption adoptive birth siblings contact leaving transitions
                independence housing employment university college attainment exclusion attendance
                curriculum classroom pupils pupil teacher headteacher designated lead virtual
                participation voice rights advocacy listening engagement consultation involvement
                trust belonging identity resilience confidence aspiration aspirations hope
                safeguarding protection risk neglect harm abuse early intervention prevention
                strengths-based relationship-based restorative nurturing therapeutic informed
                approach approaches model framework programme project pilot evaluation review
                survey interviews focus groups qualitative quantitative mixed methods data
                analysis themes participants sample cohort longitudinal national regional rural
                urban valleys north south west east across between within through during
                year years month months week time first new good better best important
                key main high low more most less many some all each every other
                different similar several specific general shared common clear strong
                positive negative significant particular current recent previous future early
                later long short successful effective meaningful appropriate available
                help helps helped helping develop developed developing improve improved improving
                provide provided providing ensure ensuring understand understanding explore
                explored exploring describe described describes identify identified show shows
                suggest suggests recommend recommendations consider considered include includes
                including based using used need needed make made take taken give given
                feel felt know knew say said told think thought want wanted
                life lives everyday day stories story voices words film music art artwork
                creative arts drama poetry photography songs workshop workshops session sessions
                group groups team teams network networks partnership partners agencies
                organisations sector statutory third sector government minister strategy
                legislation act guidance standards regulation inspection quality
                funding budget cost costs resources capacity workforce recruitment retention
                supervision reflection reflective learning-from cpd course module
                online digital toolkit booklet leaflet video podcast webinar
                child's children's people's carers' family's councils council
                """);

        /**
         * Welsh words, roughly most frequent first, with the mutated forms real Welsh text is full of (gofal, ofal,
         * ngofal; plant, blant, mhlant, phlant; cymorth, gymorth, nghymorth, chymorth) and ŵ, ŷ, â, ô, ê, î.
         */
        static final String[] CY = words("""
                y yr a ac i o yn ar gyda mewn am gan bod ei eu
                gofal plant pobl ifanc maeth cymorth addysg ysgol gofalwyr ymarfer profiad
                teulu lles dysgu cymunedol gwasanaethau awdurdod lleol sydd oedd hyn hynny
                ofal ngofal blant mhlant phlant bobl gymorth nghymorth chymorth faeth
                addysgu ysgolion athrawon athro athrawes staff gwaith iechyd beth sut
                adroddiad astudiaeth canfyddiadau polisi tystiolaeth perthnasoedd perthynas trawma
                ymlyniad gweithwyr proffesiynol canlyniadau anghenion meddwl sefydlogrwydd cartref
                oedolion cymraeg cymru nghymru gymru chymru cymuned gymuned nghymuned chymuned
                hyfforddiant adnodd canllaw ymarferwyr rhieni rieni rhiant riant gofalwr ofalwr
                perthnasau preswyl mabwysiadu fabwysiadu mabwysiadol geni brodyr chwiorydd
                cyswllt gadael pontio annibyniaeth tai cyflogaeth prifysgol coleg cyrhaeddiad
                gwaharddiad presenoldeb cwricwlwm ystafell ddosbarth disgyblion disgybl
                pennaeth dynodedig arweinydd rhithwir cyfranogiad llais lais hawliau eiriolaeth
                gwrando ymgysylltu ymgynghori cynnwys ymddiriedaeth perthyn hunaniaeth gwydnwch
                hyder dyheadau gobaith diogelu amddiffyn risg esgeulustod niwed camdriniaeth
                ymyrraeth gynnar atal seiliedig ar gryfderau adferol meithrin therapiwtig
                dull dulliau model fframwaith rhaglen prosiect peilot gwerthusiad adolygiad
                arolwg cyfweliadau grwpiau ffocws ansoddol meintiol data dadansoddiad themâu
                cyfranogwyr sampl carfan hydredol cenedlaethol rhanbarthol gwledig trefol
                cymoedd gogledd de gorllewin dwyrain ar draws rhwng o fewn trwy drwy yn ystod
                blwyddyn blynedd mis wythnos amser cyntaf newydd da gwell gorau pwysig
                allweddol prif uchel isel mwy mwyaf llai llawer rhai pob pawb arall
                gwahanol tebyg penodol cyffredinol cyffredin clir cryf cadarnhaol negyddol
                arwyddocaol presennol diweddar blaenorol dyfodol hwyrach hir byr llwyddiannus
                effeithiol ystyrlon priodol ar gael helpu helpodd datblygu datblygwyd
                gwella gwellodd darparu darparwyd sicrhau deall dealltwriaeth archwilio
                disgrifio nodi dangos awgrymu argymell argymhellion ystyried cynnwys
                seiliedig defnyddio angen gwneud wneud cymryd rhoi roi teimlo gwybod dweud
                meddwl eisiau bywyd bywydau bob dydd diwrnod straeon stori lleisiau geiriau
                ffilm cerddoriaeth celf gwaith celf creadigol celfyddydau drama barddoniaeth
                ffotograffiaeth caneuon cân gân chân gweithdy gweithdai sesiwn sesiynau
                grŵp grwpiau tîm dîm nhîm thîm rhwydwaith rhwydweithiau partneriaeth
                partneriaid asiantaethau sefydliadau sector statudol trydydd llywodraeth
                gweinidog strategaeth deddfwriaeth deddf canllawiau safonau rheoleiddio
                arolygu ansawdd cyllid cyllideb cost costau adnoddau capasiti gweithlu
                recriwtio cadw goruchwyliaeth myfyrio myfyriol cwrs modiwl ar-lein digidol
                pecyn cymorth llyfryn taflen fideo podlediad gweminar tŷ dŷ nhŷ thŷ
                gŵr gwŷr dŵr gŵyl ŵyl hŷn iâ tân dân glân lân mân siâp côr gôr sgîl
                pêl bêl ffôn â â'r i'r o'r a'r yw mae mai nad nid ni chi nhw
                ni'n ein eich fy fyn gyda'i gyda'u am ei wrth heb dros dan
                """);

        private static final double[] EN_CUM = zipf(EN.length);
        private static final double[] CY_CUM = zipf(CY.length);
        private static final double[] TOPIC_CUM = zipf(TOPICS.size());
        private final Random rnd;

        Text(Random rnd) {
            this.rnd = rnd;
        }

        Map<String, Object> item() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("title", Map.of("en", title(EN, EN_CUM), "cy", title(CY, CY_CUM)));
            v.put("summary", Map.of("en", prose(EN, EN_CUM, between(300, 600), false),
                    "cy", prose(CY, CY_CUM, between(300, 600), false)));
            v.put("body", Map.of("en", prose(EN, EN_CUM, between(2048, 4096), true),
                    "cy", prose(CY, CY_CUM, between(2048, 4096), true)));
            v.put("kind", KINDS.get(rnd.nextInt(KINDS.size())));
            v.put("audiences", pick(AUDIENCES, 1 + rnd.nextInt(3)));
            v.put("topics", pickZipf(TOPICS, 1 + rnd.nextInt(4)));
            List<String> authors = new ArrayList<>();
            for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
                authors.add(FIRST.get(rnd.nextInt(FIRST.size())) + " " + LAST.get(rnd.nextInt(LAST.size())));
            }
            v.put("authors", authors);
            v.put("publisher", PUBLISHERS.get(rnd.nextInt(PUBLISHERS.size())));
            LocalDate from = LocalDate.of(2000, 1, 1);
            int days = (int) (LocalDate.of(2025, 12, 31).toEpochDay() - from.toEpochDay());
            v.put("publicationDate", from.plusDays(rnd.nextInt(days + 1)).toString());
            v.put("originalLanguage", rnd.nextInt(5) == 0 ? "cy" : "en");
            v.put("licence", LICENCES.get(rnd.nextInt(LICENCES.size())));
            if (rnd.nextInt(3) == 0) {
                v.put("link", "https://example.org/library/" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36));
            }
            v.put("moderationState", rnd.nextInt(100) < 95 ? "published" : "draft");
            return v;
        }

        /** A bilingual event: 1-2 KB descriptions, 1-3 speakers, dates 2015-2026, 95% published. */
        Map<String, Object> event() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("title", Map.of("en", title(EN, EN_CUM), "cy", title(CY, CY_CUM)));
            v.put("summary", Map.of("en", prose(EN, EN_CUM, between(200, 400), false),
                    "cy", prose(CY, CY_CUM, between(200, 400), false)));
            v.put("description", Map.of("en", prose(EN, EN_CUM, between(1024, 2048), true),
                    "cy", prose(CY, CY_CUM, between(1024, 2048), true)));
            java.time.LocalDateTime start = LocalDate.of(2015, 1, 1).plusDays(rnd.nextInt(12 * 365))
                    .atTime(9 + rnd.nextInt(8), rnd.nextBoolean() ? 0 : 30);
            v.put("startDate", start.toString());
            v.put("endDate", start.plusMinutes(60L + 30L * rnd.nextInt(6)).toString());
            v.put("status", rnd.nextInt(20) == 0 ? "postponed" : "scheduled");
            String mode = List.of("online", "in-person", "mixed").get(rnd.nextInt(3));
            v.put("attendanceMode", mode);
            if (!mode.equals("online")) {
                v.put("venue", Map.of("en", "Cardiff University, Glamorgan Building", "cy", "Prifysgol Caerdydd, Adeilad Morgannwg"));
            }
            if (!mode.equals("in-person")) {
                v.put("onlineLink", "https://example.org/join/" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36));
            }
            v.put("registrationLink", "https://example.org/register/" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36));
            List<Object> speakers = new ArrayList<>();
            for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
                speakers.add(Map.of("name", FIRST.get(rnd.nextInt(FIRST.size())) + " " + LAST.get(rnd.nextInt(LAST.size())),
                        "affiliation", Map.of("en", "Cardiff University", "cy", "Prifysgol Caerdydd"),
                        "role", i == 1 ? "chair" : "presenter"));
            }
            v.put("speakers", speakers);
            v.put("organizer", PUBLISHERS.get(rnd.nextInt(PUBLISHERS.size())));
            v.put("series", "ExChange " + (2015 + rnd.nextInt(12)));
            v.put("free", rnd.nextInt(10) != 0);
            v.put("languages", rnd.nextInt(3) == 0 ? List.of("en") : List.of("en", "cy"));
            v.put("audiences", pick(AUDIENCES, 1 + rnd.nextInt(3)));
            v.put("topics", pickZipf(TOPICS, 1 + rnd.nextInt(4)));
            v.put("moderationState", rnd.nextInt(100) < 95 ? "published" : "draft");
            return v;
        }

        private int between(int lo, int hi) {
            return lo + rnd.nextInt(hi - lo + 1);
        }

        private String title(String[] words, double[] cum) {
            int target = between(60, 100);
            StringBuilder sb = new StringBuilder();
            while (true) {
                String w = word(words, cum);
                if (sb.length() + 1 + w.length() > 100) {
                    if (sb.length() >= 60) {
                        break;
                    }
                    continue;
                }
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(w);
                if (sb.length() >= target) {
                    break;
                }
            }
            return capitalise(sb.toString());
        }

        /** Sentences up to about {@code target} characters; as {@code <p>} paragraphs of 3-6 sentences if html. */
        private String prose(String[] words, double[] cum, int target, boolean html) {
            StringBuilder sb = new StringBuilder(target + 200);
            while (sb.length() < target) {
                if (html) {
                    sb.append("<p>");
                }
                int sentences = html ? 3 + rnd.nextInt(4) : Integer.MAX_VALUE;
                for (int s = 0; s < sentences && sb.length() < target; s++) {
                    if (s > 0 || (!html && sb.length() > 0)) {
                        sb.append(' ');
                    }
                    sb.append(sentence(words, cum, html));
                }
                if (html) {
                    sb.append("</p>");
                }
            }
            return sb.toString();
        }

        private String sentence(String[] words, double[] cum, boolean html) {
            int n = 6 + rnd.nextInt(14);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(i == n / 2 && rnd.nextInt(4) == 0 ? ", " : " ");
                }
                String w = word(words, cum);
                if (html && rnd.nextInt(60) == 0) {
                    sb.append("<strong>").append(w).append("</strong>");
                } else {
                    sb.append(w);
                }
            }
            return capitalise(sb.toString()) + ".";
        }

        private String word(String[] words, double[] cum) {
            int i = Arrays.binarySearch(cum, rnd.nextDouble());
            return words[Math.min(i < 0 ? -i - 1 : i, words.length - 1)];
        }

        private List<String> pick(List<String> from, int n) {
            List<String> copy = new ArrayList<>(from);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n && !copy.isEmpty(); i++) {
                out.add(copy.remove(rnd.nextInt(copy.size())));
            }
            return out;
        }

        private List<String> pickZipf(List<String> from, int n) {
            double[] cum = from == TOPICS ? TOPIC_CUM : zipf(from.size());
            List<String> out = new ArrayList<>();
            for (int tries = 0; out.size() < n && tries < 50; tries++) {
                int i = Arrays.binarySearch(cum, rnd.nextDouble());
                String t = from.get(Math.min(i < 0 ? -i - 1 : i, from.size() - 1));
                if (!out.contains(t)) {
                    out.add(t);
                }
            }
            return out;
        }

        /** Cumulative Zipf (s = 1) probabilities over n ranks. */
        private static double[] zipf(int n) {
            double[] cum = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1.0 / (i + 1);
                cum[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cum[i] /= sum;
            }
            return cum;
        }

        private static String capitalise(String s) {
            if (s.startsWith("<strong>")) {
                return "<strong>" + capitalise(s.substring(8));
            }
            int cp = s.codePointAt(0);
            return new StringBuilder().appendCodePoint(Character.toUpperCase(cp))
                    .append(s, Character.charCount(cp), s.length()).toString();
        }

        private static String[] words(String block) {
            return block.strip().split("\\s+");
        }
    }
}
