package wales.exchange.settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose forwarding headers are believed ({@code --trusted-proxies}: addresses and CIDRs). Only when
 * the direct peer is one of them is the client taken from {@code Forwarded: for=} or else {@code X-Forwarded-For}: the
 * right-most address that is not itself a trusted proxy (everything left of it was written by the client and can be
 * forged). From any other peer those headers are ignored and the client is the peer.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), "", false);
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private final List<byte[][]> ranges; // {network, mask}
    private final String text;
    private final boolean forwardedHeader;

    private TrustedProxies(List<byte[][]> ranges, String text, boolean forwardedHeader) {
        this.ranges = ranges;
        this.text = text;
        this.forwardedHeader = forwardedHeader;
    }

    /**
     * Which header the proxies write: {@code x-forwarded-for} (the default, what nginx's
     * {@code proxy_add_x_forwarded_for} appends to) or {@code forwarded} (RFC 7239). The other one is ignored: a proxy
     * passes a client's own copy of it through untouched, so reading it would let any client choose its address.
     */
    public TrustedProxies withHeader(String header) {
        return switch (header.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "x-forwarded-for" -> new TrustedProxies(ranges, text, false);
            case "forwarded" -> new TrustedProxies(ranges, text, true);
            default -> throw new IllegalArgumentException("must be x-forwarded-for or forwarded, got '" + header + "'");
        };
    }

    /** Parses a comma list of addresses and CIDRs ({@code 10.0.0.0/8, ::1}); throws with the bad entry named. */
    public static TrustedProxies parse(String list) {
        List<byte[][]> ranges = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String raw : list.split(",")) {
            String s = raw.strip();
            if (s.isEmpty()) {
                continue;
            }
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            InetAddress a = literal(addr);
            if (a == null) {
                throw new IllegalArgumentException("must be IP addresses or CIDRs such as 10.0.0.0/8, got '" + s + "'");
            }
            byte[] net = a.getAddress();
            int bits = net.length * 8;
            if (slash >= 0) {
                String p = s.substring(slash + 1);
                if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > net.length * 8) {
                    throw new IllegalArgumentException("has a bad prefix length in '" + s + "' (0 to " + net.length * 8 + ")");
                }
                bits = Integer.parseInt(p);
            }
            byte[] mask = new byte[net.length];
            for (int i = 0; i < mask.length; i++) {
                int b = Math.max(0, Math.min(8, bits - 8 * i));
                mask[i] = (byte) (0xff << (8 - b));
                net[i] &= mask[i];
            }
            ranges.add(new byte[][] {net, mask});
            names.add(s);
        }
        return new TrustedProxies(List.copyOf(ranges), String.join(",", names), false);
    }

    /** True for an IPv4 or IPv6 literal (never a host name: nothing here asks DNS). */
    public static boolean isAddressLiteral(String s) {
        return literal(s) != null;
    }

    static InetAddress literal(String s) {
        if (s == null || !(IPV4.matcher(s).matches() || IPV6.matcher(s).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(s); // a literal: parsed, not looked up
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean trusts(InetAddress a) {
        if (a == null) {
            return false;
        }
        byte[] b = a.getAddress();
        for (byte[][] r : ranges) {
            if (r[0].length != b.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < b.length && match; i++) {
                match = (b[i] & r[1][i]) == r[0][i];
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client of a request from {@code peer}: the peer itself unless it is trusted; else the right-most untrusted
     * address of {@code forwarded} ({@code Forwarded} header values) or {@code xForwardedFor}, whichever
     * {@link #withHeader} chose (the other is ignored). A malformed
     * entry at that place means a misconfigured proxy: then the peer is the client.
     */
    public InetAddress client(InetAddress peer, List<String> forwarded, List<String> xForwardedFor) {
        if (!trusts(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        if (forwardedHeader) {
            for (String v : forwarded) {
                for (String element : v.split(",")) {
                    String forValue = null;
                    for (String pair : element.split(";")) {
                        int eq = pair.indexOf('=');
                        if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
                            forValue = pair.substring(eq + 1).strip();
                        }
                    }
                    hops.add(forValue == null ? "" : forwardedNode(forValue));
                }
            }
        } else if (xForwardedFor != null) { // only the configured header counts
            for (String v : xForwardedFor) {
                for (String h : v.split(",")) {
                    hops.add(h.strip());
                }
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress a = literal(hops.get(i));
            if (a == null) {
                return client;
            }
            client = a;
            if (!trusts(a)) {
                return a;
            }
        }
        return client; // every hop was a trusted proxy: the left-most one
    }

    /** {@code "[2001:db8::1]:4711"} → {@code 2001:db8::1}; {@code 192.0.2.1:80} → {@code 192.0.2.1}. */
    private static String forwardedNode(String v) {
        String s = v.startsWith("\"") && v.endsWith("\"") && v.length() > 1 ? v.substring(1, v.length() - 1) : v;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end > 0 ? s.substring(1, end) : "";
        }
        int colon = s.indexOf(':');
        return colon > 0 && s.indexOf(':', colon + 1) < 0 ? s.substring(0, colon) : s;
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "none" : text;
    }
}
