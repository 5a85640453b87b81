package dialtone.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "accounts", mixinStandardHelpOptions = true, description = "Accounts (tenants).",
        subcommands = {AccountCommands.Create.class, AccountCommands.ListAll.class, AccountCommands.Get.class,
                AccountCommands.Update.class, AccountCommands.Resync.class, AccountCommands.Delete.class})
public final class AccountCommands extends GroupCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an account (operator token).")
    static final class Create extends ApiCommand {
        @Option(names = "--name", required = true, description = "account name")
        String name;

        @Override
        Call request() {
            var body = object();
            put(body, "name", name);
            return Call.json("POST", "/accounts", body);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts the token may see.")
    static final class ListAll extends ApiCommand {
        @Mixin
        Paging paging;

        @Override
        Call request() {
            return Call.get("/accounts" + paging.query());
        }

        @Override
        List<String> columns() {
            return List.of("id", "name", "autoResync", "createdAt");
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one account.")
    static final class Get extends ApiCommand {
        @Parameters(index = "0", description = "account id")
        String id;

        @Override
        Call request() {
            return Call.get("/accounts/" + segment(id));
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Rename an account or set its auto-resync.")
    static final class Update extends ApiCommand {
        @Parameters(index = "0", description = "account id")
        String id;
        @Option(names = "--name", description = "new account name")
        String name;
        @Option(names = "--auto-resync", arity = "1",
                description = "true or false: notify phones whenever a change alters their files")
        Boolean autoResync;

        @Override
        Call request() {
            var body = object();
            put(body, "name", name);
            put(body, "autoResync", autoResync);
            return Call.json("PATCH", "/accounts/" + segment(id), body);
        }
    }

    @Command(name = "resync", mixinStandardHelpOptions = true,
            description = "Ask every phone of the account to fetch its files again, at the configured pace.")
    static final class Resync extends ApiCommand {
        @Parameters(index = "0", description = "account id")
        String id;

        @Override
        Call request() {
            return Call.post("/accounts/" + segment(id) + "/resync");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an account (operator token); one with users or devices needs --force.")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", description = "account id")
        String id;
        @Option(names = "--force", description = "also delete the account's users, devices, locations and tokens")
        boolean force;

        @Override
        Call request() {
            return Call.delete("/accounts/" + segment(id) + (force ? "?force=true" : ""));
        }
    }
}
