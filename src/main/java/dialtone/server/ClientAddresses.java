package dialtone.server;

import dialtone.security.Cidr;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.util.List;

/**
 * Decides which address a request comes from: the TCP peer, or the last X-Forwarded-For hop when
 * the peer is one of the configured trusted proxies. Anyone else's X-Forwarded-For is ignored.
 */
public final class ClientAddresses {

    private final List<Cidr> trustedProxies;

    public ClientAddresses(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(Cidr::parse).toList();
    }

    public boolean isTrustedProxy(InetAddress peer) {
        for (Cidr proxy : trustedProxies) {
            if (proxy.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    public InetAddress resolve(InetAddress peer, HttpHeaders headers) {
        if (!isTrustedProxy(peer)) {
            return peer;
        }
        String forwarded = headers.get("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        // The last hop is the one the trusted proxy added; a header of commas alone names none.
        String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
        InetAddress parsed = Cidr.parseLiteral(last);
        return parsed == null ? peer : parsed;
    }
}
