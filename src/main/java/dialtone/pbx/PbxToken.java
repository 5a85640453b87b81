package dialtone.pbx;

import dialtone.security.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/** The token a SIP server presents: whose directory it may read (empty: every account) and from where (empty: anywhere). */
record PbxToken(String id, String name, Set<String> accounts, List<Cidr> sources) {

    boolean covers(String accountId) {
        return accounts.isEmpty() || accounts.contains(accountId);
    }

    boolean acceptsFrom(InetAddress address) {
        return sources.isEmpty() || sources.stream().anyMatch(block -> block.contains(address));
    }
}
