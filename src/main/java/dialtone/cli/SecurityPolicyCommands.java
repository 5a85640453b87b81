package dialtone.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "security-policy", mixinStandardHelpOptions = true,
        description = "How an account's phones must prove who they are, and from where (admin token).",
        subcommands = {SecurityPolicyCommands.Get.class, SecurityPolicyCommands.Set.class})
public final class SecurityPolicyCommands extends GroupCommand {

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show an account's security policy.")
    static final class Get extends ApiCommand {
        @Option(names = "--account", required = true) String account;

        @Override
        Call request() {
            return Call.get("/accounts/" + segment(account) + "/security-policy");
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Replace an account's security policy.", "Parts not given take their default: every proof,"
                    + " any source, no plain HTTP."})
    static final class Set extends ApiCommand {
        @Option(names = "--proofs", split = ",", description = "accepted proofs: certificate, digest, basic")
        List<String> proofs;
        @Option(names = "--allowed-sources", split = ",", description = "CIDR blocks phones may fetch from, e.g."
                + " 192.0.2.0/24,2001:db8::/32") List<String> allowedSources;
        @Option(names = "--plain-http", arity = "1", description = "true or false: may phones use the plain-HTTP"
                + " listener") Boolean plainHttp;
        @Option(names = "--account", required = true) String account;

        @Override
        Call request() {
            var body = object();
            put(body, "proofs", proofs);
            put(body, "allowedSources", allowedSources);
            put(body, "plainHttp", plainHttp);
            return Call.json("PUT", "/accounts/" + segment(account) + "/security-policy", body);
        }
    }
}
