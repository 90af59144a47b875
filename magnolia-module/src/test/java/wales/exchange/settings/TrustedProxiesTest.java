package wales.exchange.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void addressesAndCidrsAreMatched() throws Exception {
        TrustedProxies p = TrustedProxies.parse("10.0.0.0/8, 192.0.2.1,2001:db8::/32");
        assertThat(p.trusts(ip("10.200.3.4"))).isTrue();
        assertThat(p.trusts(ip("11.0.0.1"))).isFalse();
        assertThat(p.trusts(ip("192.0.2.1"))).isTrue();
        assertThat(p.trusts(ip("192.0.2.2"))).isFalse();
        assertThat(p.trusts(ip("2001:db8:1::5"))).isTrue();
        assertThat(p.trusts(ip("2001:db9::5"))).isFalse();
        assertThat(TrustedProxies.NONE.trusts(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void onlyIpLiteralsAreAccepted() {
        for (String bad : List.of("proxy.example", "10.0.0.0/33", "10.0.0/8", "256.1.1.1", "::1/129", "1.2.3.4/x")) {
            assertThatThrownBy(() -> TrustedProxies.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        assertThat(TrustedProxies.isAddressLiteral("localhost")).isFalse();
        assertThat(TrustedProxies.isAddressLiteral("::")).isTrue();
    }

    @Test
    void theClientIsTheRightMostUntrustedHopAndOnlyBehindATrustedPeer() throws Exception {
        TrustedProxies p = TrustedProxies.parse("10.0.0.0/8");
        InetAddress proxy = ip("10.0.0.1");
        InetAddress stranger = ip("198.51.100.9");
        // an untrusted peer's forwarding headers are ignored
        assertThat(p.client(stranger, List.of("for=192.0.2.5"), List.of("192.0.2.5"))).isEqualTo(stranger);
        // behind a trusted proxy: the right-most address that is not a trusted proxy; forged entries to its left do not count
        assertThat(p.client(proxy, List.of(), List.of("203.0.113.1, 192.0.2.5, 10.0.0.2"))).isEqualTo(ip("192.0.2.5"));
        assertThat(p.client(proxy, List.of(), List.of("203.0.113.1", "192.0.2.5"))).isEqualTo(ip("192.0.2.5"));
        // only the configured header counts: a client's own Forwarded passes through an X-Forwarded-For proxy untouched
        assertThat(p.client(proxy, List.of("for=198.51.100.77"), List.of("192.0.2.5"))).isEqualTo(ip("192.0.2.5"));
        TrustedProxies rfc = p.withHeader("Forwarded");
        assertThat(rfc.client(proxy, List.of("for=\"[2001:db8::7]:4711\";proto=https"), List.of("192.0.2.5"))).isEqualTo(ip("2001:db8::7"));
        assertThat(rfc.client(proxy, List.of("for=192.0.2.6:80, for=10.0.0.3"), List.of())).isEqualTo(ip("192.0.2.6"));
        assertThat(rfc.client(proxy, List.of(), List.of("192.0.2.5"))).isEqualTo(proxy);
        // no header, a garbage entry, or only proxies
        assertThat(p.client(proxy, List.of(), List.of())).isEqualTo(proxy);
        assertThat(p.client(proxy, List.of(), List.of("unknown"))).isEqualTo(proxy);
        assertThat(rfc.client(proxy, List.of("for=_hidden"), List.of())).isEqualTo(proxy);
        assertThat(p.client(proxy, List.of(), List.of("10.0.0.9, 10.0.0.8"))).isEqualTo(ip("10.0.0.9"));
    }
}
