package wales.exchange.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 over a raw socket, for requests that an HTTP client will not send (bad targets, bad headers). */
final class RawHttp {
    /** An answer: its status, headers (names in lower case), body, head (status line and headers) and whole text. */
    record Answer(int status, Map<String, String> headers, String body, String head, String text) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} (CRLF line ends; {@code Connection: close} added) and reads the answer to the end. */
    static Answer send(int port, String request) throws IOException {
        return send(port, null, request);
    }

    static Answer send(int port, String fromAddress, String request) throws IOException {
        try (Socket s = new Socket()) {
            if (fromAddress != null) {
                s.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
            }
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(20_000);
            String r = request;
            while (r.endsWith("\r\n")) {
                r = r.substring(0, r.length() - 2);
            }
            s.getOutputStream().write((r + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return parse(readAll(s.getInputStream()));
        }
    }

    /**
     * Sends {@code request} exactly as given (for fuzzing: no header added, any bytes) and returns everything read
     * until the server closes; a reset after its answer (it may close at once on a request it refuses to read) ends
     * the read.
     */
    static String exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
                    all.write(buf, 0, n);
                }
            } catch (java.net.SocketException e) {
                // reset after the answer
            }
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
    }

    static Answer parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        String[] lines = head.split("\r\n");
        int status = lines[0].isEmpty() ? -1 : Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip(), (a, b) -> a + ", " + b);
            }
        }
        return new Answer(status, headers, body, head, text);
    }
}
