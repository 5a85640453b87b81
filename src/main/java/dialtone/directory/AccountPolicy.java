package dialtone.directory;

import dialtone.security.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * How an account's phones may prove themselves: the accepted proofs ({@code certificate}, {@code digest},
 * {@code basic}), the source addresses they may come from (empty: anywhere), and whether their files
 * without secrets may be served over plain HTTP.
 */
public record AccountPolicy(Set<String> proofs, List<String> allowedSources, boolean plainHttp) {

    public static final String CERTIFICATE = "certificate";
    public static final String DIGEST = "digest";
    public static final String BASIC = "basic";
    public static final Set<String> ALL_PROOFS = Set.of(CERTIFICATE, DIGEST, BASIC);
    public static final AccountPolicy DEFAULT = new AccountPolicy(ALL_PROOFS, List.of(), false);

    public AccountPolicy {
        proofs = Set.copyOf(proofs);
        allowedSources = List.copyOf(allowedSources);
    }

    public boolean accepts(String proof) {
        return proofs.contains(proof);
    }

    public boolean allowsSource(InetAddress address) {
        return allowedSources.isEmpty() || allowedSources.stream().anyMatch(c -> Cidr.parse(c).contains(address));
    }
}
