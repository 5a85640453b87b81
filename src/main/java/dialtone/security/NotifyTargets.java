package dialtone.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the server may send a SIP NOTIFY on an administrator's behalf. Only IP literals (no name is ever
 * looked up, so nothing tells whether an internal name resolves), only inside the operator's allowed
 * networks, and never to loopback, link-local (cloud metadata at 169.254.169.254), multicast, broadcast,
 * unspecified or reserved addresses unless the operator names such a network itself (e.g. 127.0.0.1/32
 * for a lab), since a broad block such as 0.0.0.0/0 must not open them by accident.
 */
public final class NotifyTargets {

    /**
     * Blocks refused whatever the allowed networks say: "this network", reserved and broadcast, unspecified.
     * (IPv4-mapped IPv6 literals are parsed as the IPv4 address they carry, so the IPv4 rules apply to them.)
     */
    private static final List<Cidr> NEVER = cidrs("0.0.0.0/8", "240.0.0.0/4", "::/128");
    /** Blocks refused unless an allowed network at least as narrow as the block names them. */
    private static final List<Cidr> SPECIAL = cidrs("127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "::1/128",
            "fe80::/10", "ff00::/8", "::/96");
    /** IPv6 blocks that carry an IPv4 address (NAT64, 6to4): that address must be allowed too. */
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private final List<Cidr> allowed;

    /** @throws IllegalArgumentException naming the entry that is not an address or CIDR block */
    public NotifyTargets(List<String> networks) {
        this.allowed = networks.stream().map(Cidr::parse).toList();
    }

    /** The address to send to, when {@code host} is an IP literal the rules allow; empty otherwise. */
    public Optional<InetAddress> address(String host) {
        InetAddress address = host == null ? null : Cidr.parseLiteral(host);
        return address != null && allows(address) ? Optional.of(address) : Optional.empty();
    }

    public boolean allows(InetAddress address) {
        if (NEVER.stream().anyMatch(block -> block.contains(address))) {
            return false;
        }
        if (address instanceof Inet6Address six) {
            InetAddress embedded = embeddedIpv4(six);
            if (embedded != null && !allows(embedded)) {
                return false;
            }
        }
        Cidr special = SPECIAL.stream().filter(block -> block.contains(address)).findFirst().orElse(null);
        return allowed.stream().anyMatch(network -> network.contains(address)
                && (special == null || network.prefix() >= special.prefix()));
    }

    private static InetAddress embeddedIpv4(Inet6Address address) {
        byte[] bytes = address.getAddress();
        byte[] v4;
        if (NAT64.contains(address)) {
            v4 = Arrays.copyOfRange(bytes, 12, 16);
        } else if (SIX_TO_FOUR.contains(address)) {
            v4 = Arrays.copyOfRange(bytes, 2, 6);
        } else {
            return null;
        }
        try {
            return Inet4Address.getByAddress(v4);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static List<Cidr> cidrs(String... blocks) {
        return Arrays.stream(blocks).map(Cidr::parse).toList();
    }
}
