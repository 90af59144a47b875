package wales.exchange.server;

import io.undertow.server.HttpServerExchange;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wales.exchange.delivery.DeliveryConfig;
import wales.exchange.delivery.index.TypeIndex;
import wales.exchange.model.ContentType;
import wales.exchange.model.PropertyDef;

/**
 * The JIT warm-up (docs/operations.md, "Warm-up"): once the server is ready, one background thread asks the public list
 * routes (and, every other request, an item a list answer named) over a loopback connection, at most {@code count}
 * requests and {@link #MAX_MILLIS}, with the queries changing on every request (each delivered type, filters on its
 * enumerated properties, every sort property in both directions, both languages, a few offsets), so that the code of
 * the first clients' requests is compiled before they come (the first run after a start reached about 40 % of a warm
 * run's throughput). Its requests are the server's own: neither rate-limited
 * nor in the access log (EdgeHandler, AccessLog ask {@link #own}). Logged once, when it ends.
 */
final class WarmUp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    /** The warm-up stops after this long, whatever its count. */
    static final long MAX_MILLIS = 30_000;
    /** Distinct queries per type at most (the warm-up asks them round-robin over the types, then from the start again). */
    static final int PER_TYPE = 2_000;
    /**
     * Items asked at most: every other request is an item that an earlier list answer named, while there is one, so
     * that the item route's code is compiled too (a cold item right after a start cost about twice a later one).
     */
    static final int MAX_ITEMS = 1_000;
    /** A list answer longer than this is not searched for items. */
    static final int MAX_BODY = 1 << 20;
    /**
     * Local addresses (address and port) of the warm-up's connections (registered before a connect, removed before a
     * close): a connection is the warm-up's only when its peer is exactly one of them, not merely from a port of the
     * same number on another of this host's addresses.
     */
    private static final Set<InetSocketAddress> OWN = ConcurrentHashMap.newKeySet();

    private final List<String> targets;
    private final String host;
    private final InetSocketAddress server;
    private final int count;
    /** The warm-up waits while clients are being served: their requests compile the same code. */
    private final ClientActivity activity;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Socket socket;
    private volatile int asked;
    private volatile int notOk;

    private volatile long pausedMillis;
    /** Type name → the path its items are under (the list route), for the items the list answers name. */
    private final java.util.Map<String, String> itemRoutes;
    /** Items named by list answers, not asked yet (at most {@link #MAX_ITEMS} ever queued). */
    private final java.util.ArrayDeque<String> items = new java.util.ArrayDeque<>();
    private final Set<String> queued = new java.util.HashSet<>();
    private int lists;
    private volatile int itemsAsked;
    /** The body of the last list answer, when it was read whole ({@link #MAX_BODY} bytes at most), else null. */
    private byte[] body;

    private WarmUp(List<String> targets, java.util.Map<String, String> itemRoutes, ClientActivity activity, String host,
                   InetSocketAddress server, int count) {
        this.itemRoutes = itemRoutes;
        this.activity = activity;
        this.targets = targets;
        this.host = host;
        this.server = server;
        this.count = count;
        this.thread = new Thread(this::run, "warm-up");
        this.thread.setDaemon(true);
        this.thread.setPriority(Thread.MIN_PRIORITY);
    }

    /** Starts the warm-up's thread; {@code count} 0 starts nothing (null). */
    static WarmUp start(int count, ClientActivity activity, String bind, int port, List<ContentType> types, DeliveryConfig config) {
        if (count <= 0) {
            return null;
        }
        InetAddress address;
        try {
            InetAddress b = InetAddress.getByName(bind);
            address = b.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : b;
        } catch (IOException e) {
            address = InetAddress.getLoopbackAddress();
        }
        WarmUp w = new WarmUp(targets(types, config), itemRoutes(types, config), activity, host(config, port), new InetSocketAddress(address, port), count);
        w.thread.start();
        return w;
    }

    /** True for a request on one of the warm-up's own connections (its peer is the address and port a warm-up socket holds). */
    static boolean own(HttpServerExchange exchange) {
        if (OWN.isEmpty() || exchange.getConnection() == null) {
            return false;
        }
        InetSocketAddress peer = exchange.getConnection().getPeerAddress(InetSocketAddress.class);
        return peer != null && OWN.contains(peer);
    }

    /**
     * The warm-up's paths, in the order they are asked: for each type, its first page, then pages with one filter on an
     * enumerated property (every option in turn), a sort property (each, ascending and descending), a language and an
     * offset, the types taking turns.
     */
    static List<String> targets(List<ContentType> types, DeliveryConfig config) {
        List<List<String>> perType = new ArrayList<>();
        for (ContentType type : types) {
            String base = ExchangeServer.API_PATH + config.segment(type);
            List<String[]> filters = new ArrayList<>();
            List<String> sorts = new ArrayList<>(List.of(wales.exchange.model.Fields.TITLE, "lastModified"));
            for (PropertyDef p : type.properties()) {
                if (TypeIndex.filterable(p) && p.enumerated()) {
                    for (String o : p.options()) {
                        filters.add(new String[] {p.name(), o});
                    }
                }
                if (TypeIndex.sortable(p) && !sorts.contains(p.name())) {
                    sorts.add(p.name());
                }
            }
            List<String> paths = new ArrayList<>();
            paths.add(base);
            // every combination once, the filter changing fastest: (filters + none) x sorts x 2 directions x 2 languages x 25 offsets
            int f = filters.size() + 1;
            int n = Math.min(PER_TYPE, f * sorts.size() * 2 * 2 * 25);
            for (int i = 0; i < n; i++) {
                StringBuilder q = new StringBuilder(base).append('?');
                if (i % f < filters.size()) {
                    String[] filter = filters.get(i % f);
                    q.append(encode(filter[0])).append('=').append(encode(filter[1])).append('&');
                }
                int s = (i / f) % (2 * sorts.size());
                q.append("sort=").append(s < sorts.size() ? "" : "-").append(sorts.get(s % sorts.size()));
                q.append("&lang=").append((i / (f * 2 * sorts.size())) % 2 == 0 ? "en" : "cy");
                q.append("&limit=20");
                int offset = 20 * ((i / (f * 2 * sorts.size() * 2)) % 25);
                if (offset > 0) {
                    q.append("&offset=").append(offset);
                }
                paths.add(q.toString());
            }
            perType.add(paths);
        }
        List<String> all = new ArrayList<>();
        for (int i = 0; ; i++) {
            boolean any = false;
            for (List<String> paths : perType) {
                if (i < paths.size()) {
                    all.add(paths.get(i));
                    any = true;
                }
            }
            if (!any) {
                return all;
            }
        }
    }

    /** Each delivered type's name → the path of its list route, under which its items are. */
    static java.util.Map<String, String> itemRoutes(List<ContentType> types, DeliveryConfig config) {
        java.util.Map<String, String> routes = new java.util.HashMap<>();
        for (ContentType type : types) {
            routes.put(type.name(), ExchangeServer.API_PATH + config.segment(type));
        }
        return routes;
    }

    /** An item of a list answer: its id and its type's name, as the summaries begin. */
    private static final java.util.regex.Pattern ITEM =
            java.util.regex.Pattern.compile("\\{\"id\":\"([0-9a-fA-F-]{36})\",\"type\":\"([A-Za-z0-9_-]{1,64})\"");

    /** Queues the items a list answer names (each once, {@link #MAX_ITEMS} in all). */
    private void queueItems(byte[] answer) {
        java.util.regex.Matcher m = ITEM.matcher(new String(answer, StandardCharsets.UTF_8));
        while (m.find() && queued.size() < MAX_ITEMS) {
            String route = itemRoutes.get(m.group(2));
            if (route != null && queued.add(m.group(1))) {
                items.add(route + "/" + m.group(1));
            }
        }
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The Host header of the warm-up's requests: a host the server trusts (the public URL's, else an allowed one). */
    static String host(DeliveryConfig config, int port) {
        if (config.publicUrl() != null) {
            return URI.create(config.publicUrl()).getRawAuthority();
        }
        if (config.allowedHosts().contains("localhost") || config.allowedHosts().isEmpty()) {
            return "localhost:" + port;
        }
        return config.allowedHosts().stream().filter(h -> !h.equals("*")).sorted().findFirst().orElse("localhost") + ":" + port;
    }

    private void run() {
        long t0 = System.nanoTime();
        long deadline = t0 + MAX_MILLIS * 1_000_000;
        String failure = null;
        try {
            while (!stopping && asked < count && System.nanoTime() < deadline) {
                // clients first: while they are being served the warm-up waits (within its time limit)
                pausedMillis += activity.awaitQuiet(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
                if (stopping || System.nanoTime() >= deadline) {
                    break;
                }
                if (socket == null) {
                    connect();
                }
                boolean item = (asked & 1) == 1 && !items.isEmpty();
                String path = item ? items.poll() : targets.get(lists++ % targets.size());
                int status = ask(path, !item && queued.size() < MAX_ITEMS);
                asked++;
                if (item) {
                    itemsAsked++;
                }
                if (status != 200) {
                    notOk++;
                } else if (body != null) {
                    queueItems(body);
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e.toString();
        } finally {
            disconnect();
            items.clear(); // the ids are not needed once it ends (the server keeps this object)
            queued.clear();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (stopping) {
            return; // the server stops: nothing to report
        }
        if (failure != null) {
            LOG.warn("warm-up: stopped after {} requests in {} ms: {}", asked, ms, failure);
        } else {
            LOG.info("warm-up: {} requests ({} lists, {} items) in {} ms ({} not 200){}{}", asked, asked - itemsAsked, itemsAsked, ms, notOk,
                    pausedMillis > 0 ? ", " + pausedMillis + " ms of it waiting while clients were served" : "",
                    asked < count ? ", stopped at its time limit" : "");
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.bind(new InetSocketAddress(server.getAddress(), 0));
        OWN.add((InetSocketAddress) s.getLocalSocketAddress());
        socket = s;
        s.connect(server, 5_000);
        s.setSoTimeout(10_000);
    }

    private void disconnect() {
        Socket s = socket;
        socket = null;
        if (s != null) {
            OWN.remove((InetSocketAddress) s.getLocalSocketAddress());
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    /**
     * One GET on the connection; the status. The body is read and dropped, but with {@code keep} a whole answer of known
     * length up to {@link #MAX_BODY} is kept in {@link #body}. A closing answer closes the connection.
     */
    private int ask(String path, boolean keep) throws IOException {
        body = null;
        Socket s = socket;
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\nUser-Agent: exchange-warm-up\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
            String value = h.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        if (chunked) {
            for (long n = Long.parseLong(line(in).split(";")[0].strip(), 16); n > 0; n = Long.parseLong(line(in).split(";")[0].strip(), 16)) {
                skip(in, n);
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
        } else if (length >= 0 && keep && length <= MAX_BODY) {
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new IOException("the answer ended early");
            }
        } else if (length >= 0) {
            skip(in, length);
        } else {
            close = true; // read to the end
            while (in.read() >= 0) {
                // drop
            }
        }
        if (in.available() > 0) {
            close = true; // more than one answer: never expected; start afresh
        }
        if (close) {
            disconnect();
        }
        return status;
    }

    private static void skip(InputStream in, long n) throws IOException {
        byte[] b = new byte[8192];
        while (n > 0) {
            int r = in.read(b, 0, (int) Math.min(b.length, n));
            if (r < 0) {
                throw new IOException("the answer ended early");
            }
            n -= r;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection closed mid-answer");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** The local address of the warm-up's connection now, null when it has none (tests). */
    java.net.InetSocketAddress localAddress() {
        Socket s = socket;
        return s == null || !s.isConnected() ? null : (InetSocketAddress) s.getLocalSocketAddress();
    }

    /** Milliseconds the warm-up has waited so far while clients were being served. */
    long pausedMillis() {
        return pausedMillis;
    }

    /** Item requests asked so far (items that list answers named). */
    int itemsAsked() {
        return itemsAsked;
    }

    /** Requests asked so far. */
    int asked() {
        return asked;
    }

    /** Answers that were not 200 so far. */
    int notOk() {
        return notOk;
    }

    /** Waits for the warm-up to end (tests). */
    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    boolean done() {
        return !thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.interrupt(); // ends a wait while clients are being served (ClientActivity.awaitQuiet)
        disconnect(); // unblocks a read
        thread.join(5_000);
    }
}
