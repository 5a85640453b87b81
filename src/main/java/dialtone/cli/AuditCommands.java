package dialtone.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "The audit trail (admin or operator token).",
        subcommands = {AuditCommands.ListAll.class})
public final class AuditCommands extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List audit events, newest first.")
    static final class ListAll extends ApiCommand {
        @Option(names = "--account", description = "only this account's events (operator)") String accountId;
        @Mixin Paging paging;

        @Override
        Call request() {
            return Call.get("/audit" + paging.query("accountId", accountId));
        }

        @Override
        List<String> columns() {
            return List.of("id", "at", "actor", "accountId", "action", "objectType", "objectId", "detail");
        }
    }
}
