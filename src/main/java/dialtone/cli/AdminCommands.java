package dialtone.cli;

import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "admins", mixinStandardHelpOptions = true,
        description = "People who log in to the portal: operators, admins, technicians.",
        subcommands = {AdminCommands.Create.class, AdminCommands.ListAll.class, AdminCommands.Delete.class})
public final class AdminCommands extends GroupCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a portal administrator; prints a one-time password, which must be replaced at the first login.")
    static final class Create extends ApiCommand {
        @Option(names = "--username", required = true, description = "what they log in with") String username;
        @Option(names = "--role", required = true, description = "operator, admin or technician") String role;
        @Option(names = "--account", description = "the account of an admin or technician") String accountId;

        @Override
        Call request() {
            var body = object();
            put(body, "username", username);
            put(body, "role", role);
            put(body, "accountId", accountId);
            return Call.json("POST", "/administrators", body);
        }

        @Override
        void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
            super.handle(response, out);
            if (!api.json) {
                spec.commandLine().getErr().println("Give the password to its owner now: it cannot be shown again, "
                        + "and must be replaced at the first login.");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List portal administrators.")
    static final class ListAll extends ApiCommand {
        @Option(names = "--account", description = "only this account's (operator)") String accountId;
        @Mixin Paging paging;

        @Override
        Call request() {
            return Call.get("/administrators" + paging.query("accountId", accountId));
        }

        @Override
        List<String> columns() {
            return List.of("id", "username", "role", "accountId", "mustChangePassword", "createdAt");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a portal administrator.")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", description = "administrator id, as listed") String id;

        @Override
        Call request() {
            return Call.delete("/administrators/" + segment(id));
        }
    }
}
