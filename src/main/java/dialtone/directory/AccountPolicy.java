package dialtone.directory;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dialtone.security.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How an account's phones may prove themselves: the accepted proofs ({@code certificate}, {@code digest},
 * {@code basic}), the source addresses they may come from (empty: anywhere), and whether their files
 * without secrets may be served over plain HTTP. The source blocks are parsed once, when the policy is made.
 */
@JsonPropertyOrder({"proofs", "allowedSources", "plainHttp"})
public final class AccountPolicy {

    public static final String CERTIFICATE = "certificate";
    public static final String DIGEST = "digest";
    public static final String BASIC = "basic";
    public static final Set<String> ALL_PROOFS = Set.of(CERTIFICATE, DIGEST, BASIC);
    public static final AccountPolicy DEFAULT = new AccountPolicy(ALL_PROOFS, List.of(), false);

    private final Set<String> proofs;
    private final List<String> allowedSources;
    private final boolean plainHttp;
    private final List<Cidr> sourceBlocks;

    /** @throws IllegalArgumentException if an allowed source is not an address or CIDR block */
    public AccountPolicy(Set<String> proofs, List<String> allowedSources, boolean plainHttp) {
        this.proofs = Set.copyOf(proofs);
        this.allowedSources = List.copyOf(allowedSources);
        this.plainHttp = plainHttp;
        this.sourceBlocks = this.allowedSources.stream().map(Cidr::parse).toList();
    }

    @JsonProperty
    public Set<String> proofs() {
        return proofs;
    }

    @JsonProperty
    public List<String> allowedSources() {
        return allowedSources;
    }

    @JsonProperty
    public boolean plainHttp() {
        return plainHttp;
    }

    public boolean accepts(String proof) {
        return proofs.contains(proof);
    }

    public boolean allowsSource(InetAddress address) {
        return sourceBlocks.isEmpty() || sourceBlocks.stream().anyMatch(c -> c.contains(address));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AccountPolicy that && proofs.equals(that.proofs)
                && allowedSources.equals(that.allowedSources) && plainHttp == that.plainHttp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(proofs, allowedSources, plainHttp);
    }

    @Override
    public String toString() {
        return "AccountPolicy[proofs=" + proofs + ", allowedSources=" + allowedSources + ", plainHttp=" + plainHttp + "]";
    }
}
