package dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which address a request comes from: the last X-Forwarded-For hop only through a trusted proxy, never a name. */
class ClientAddressesTest {

    private final ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.0/8", "2001:db8::/32"));

    @Test
    void aTrustedProxyGivesTheLastHop() throws Exception {
        assertThat(addresses.resolve(ip("10.1.2.3"), forwardedFor("198.51.100.7, 203.0.113.9")))
                .isEqualTo(ip("203.0.113.9"));
        assertThat(addresses.resolve(ip("2001:db8::1"), forwardedFor("2001:db8:ffff::42")))
                .isEqualTo(ip("2001:db8:ffff::42"));
    }

    @Test
    void anyoneElsesForwardedForIsIgnored() throws Exception {
        assertThat(addresses.resolve(ip("192.0.2.1"), forwardedFor("203.0.113.9"))).isEqualTo(ip("192.0.2.1"));
        assertThat(addresses.isTrustedProxy(ip("192.0.2.1"))).isFalse();
        assertThat(addresses.isTrustedProxy(ip("10.255.0.1"))).isTrue();
    }

    @Test
    void aNameOrGarbageInTheHeaderLeavesThePeerAndLooksNothingUp() throws Exception {
        for (String hop : List.of("localhost", "example.com", "1.2.3", "999.1.1.1.1", "::g", "", ",")) {
            assertThat(addresses.resolve(ip("10.1.2.3"), forwardedFor(hop))).as(hop).isEqualTo(ip("10.1.2.3"));
        }
    }

    private static HttpHeaders forwardedFor(String value) {
        return new DefaultHttpHeaders().add("X-Forwarded-For", value);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
