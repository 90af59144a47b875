package wales.exchange.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of PostgreSQL that makes a commit in doubt: once {@link #arm armed}, the first answer of the
 * database that reports a committed transaction (the CommandComplete tag "COMMIT") is not passed on: the proxy closes
 * that connection instead. The client sees an I/O error on its COMMIT although the database committed. Every other
 * byte is passed through unchanged. (The answer, not the request, is watched: pgjdbc sends a connection's COMMIT as a
 * server-prepared statement after a few, without its text.) {@link #arm(String, boolean)} cuts at another answer, and
 * can take the database out of reach through the proxy from that moment ({@link #down()} until {@link #up()}).
 */
final class CommitCuttingProxy implements AutoCloseable {
    /** The CommandComplete tag of a COMMIT that committed (a failed one answers "ROLLBACK"). */
    private static final String COMMIT = "COMMIT";
    /** The longest tag {@link #arm(String, boolean)} takes. */
    private static final int MAX_TAG = 32;

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicBoolean armed = new AtomicBoolean();
    /** The tag of the answer to cut, NUL-terminated. */
    private volatile byte[] cutAt;
    private volatile boolean downAfterCut;
    private volatile boolean down;
    private final AtomicInteger cuts = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    CommitCuttingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "commit-cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next commit any connection makes is committed by the database and its answer cut. */
    void arm() {
        arm(COMMIT, false);
    }

    /**
     * The next answer of the database carrying the CommandComplete tag {@code tag} (such as "INSERT 0 1") is not passed
     * on: the proxy closes that connection; with {@code thenDown}, it is {@link #down()} from then on.
     */
    void arm(String tag, boolean thenDown) {
        if (tag.length() >= MAX_TAG) {
            throw new IllegalArgumentException("tag over " + MAX_TAG + " characters: " + tag);
        }
        cutAt = (tag + "\0").getBytes(StandardCharsets.US_ASCII);
        downAfterCut = thenDown;
        armed.set(true);
    }

    /** The database is out of reach through the proxy: every connection is closed, new ones as soon as they come. */
    void down() {
        down = true;
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    /** The database can be reached through the proxy again. */
    void up() {
        down = false;
    }

    /** How many commits were cut so far. */
    int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (down) {
                    client.close();
                    continue;
                }
                Socket db = new Socket();
                db.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                sockets.add(client);
                sockets.add(db);
                Connection c = new Connection(client, db);
                start(() -> c.clientToDatabase());
                start(() -> c.databaseToClient());
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "commit-cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private final class Connection {
        final Socket client;
        final Socket db;
        /** The last bytes seen from the database, so that a tag split over two reads is found. */
        final byte[] tail = new byte[MAX_TAG];
        int tailLength;

        Connection(Socket client, Socket db) {
            this.client = client;
            this.db = db;
        }

        void clientToDatabase() {
            byte[] buf = new byte[1 << 16];
            try (InputStream in = client.getInputStream(); OutputStream out = db.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeBoth();
            }
        }

        void databaseToClient() {
            byte[] buf = new byte[1 << 16];
            try (InputStream in = db.getInputStream(); OutputStream out = client.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (containsCut(buf, n) && armed.compareAndSet(true, false)) {
                        cuts.incrementAndGet();
                        if (downAfterCut) {
                            down();
                        }
                        return;   // the database has answered (a COMMIT: it is committed); the client never hears it
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeBoth();
            }
        }

        /**
         * Whether the answer just read ends the tag to cut at. A tag that ended in an earlier read (still in the tail:
         * the COMMIT of the connection's last transaction) was that answer's, already passed on: it does not count, or
         * the next answer on this connection, whatever it is (a read), would be cut instead.
         */
        private boolean containsCut(byte[] buf, int n) {
            byte[] tag = cutAt;
            int earlier = tailLength;
            byte[] joined = new byte[earlier + n];
            System.arraycopy(tail, 0, joined, 0, earlier);
            System.arraycopy(buf, 0, joined, earlier, n);
            int keep = Math.min(tail.length, joined.length);
            System.arraycopy(joined, joined.length - keep, tail, 0, keep);
            tailLength = keep;
            if (tag == null) {
                return false;
            }
            outer:
            for (int i = Math.max(0, earlier - tag.length + 1); i + tag.length <= joined.length; i++) {
                for (int j = 0; j < tag.length; j++) {
                    if (joined[i + j] != tag[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        private void closeBoth() {
            closeQuietly(client);
            closeQuietly(db);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
