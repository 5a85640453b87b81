package dialtone.cli;

import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokens", mixinStandardHelpOptions = true, description = "API tokens (admin or operator token).",
        subcommands = {TokenCommands.Create.class, TokenCommands.ListAll.class, TokenCommands.Revoke.class})
public final class TokenCommands extends GroupCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Issue a token; prints it once (only its prefix is ever shown again).")
    static final class Create extends ApiCommand {
        @Option(names = "--role", required = true, description = "operator, admin or technician") String role;
        @Option(names = "--account", description = "account the token acts for (required for admin and technician"
                + " tokens issued by the operator)") String accountId;
        @Option(names = "--name", description = "what the token is for, e.g. 'site tablet'") String name;
        @Option(names = "--expires-at", description = "when the token stops working, e.g. 2027-01-31T18:00:00Z "
                + "(default: never)") String expiresAt;

        @Override
        Call request() {
            var body = object();
            put(body, "role", role);
            put(body, "accountId", accountId);
            put(body, "name", name);
            put(body, "expiresAt", expiresAt);
            return Call.json("POST", "/tokens", body);
        }

        @Override
        void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
            super.handle(response, out);
            if (!api.json) {
                spec.commandLine().getErr().println("Store the token now: it cannot be shown again.");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List tokens (never the secrets, only their prefixes).")
    static final class ListAll extends ApiCommand {
        @Option(names = "--account", description = "only this account's tokens (operator)") String accountId;
        @Mixin Paging paging;

        @Override
        Call request() {
            return Call.get("/tokens" + paging.query("accountId", accountId));
        }

        @Override
        List<String> columns() {
            return List.of("id", "name", "role", "accountId", "prefix", "createdAt", "lastUsedAt", "revoked");
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token: it stops working at once.")
    static final class Revoke extends ApiCommand {
        @Parameters(index = "0", description = "token id, as listed") String id;

        @Override
        Call request() {
            return Call.delete("/tokens/" + segment(id));
        }
    }
}
