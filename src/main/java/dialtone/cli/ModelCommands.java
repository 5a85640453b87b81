package dialtone.cli;

import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "models", mixinStandardHelpOptions = true, description = "Phone models Dialtone knows.",
        subcommands = {ModelCommands.ListAll.class})
public final class ModelCommands extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every model of every family.")
    static final class ListAll extends ApiCommand {
        @Override
        Call request() {
            return Call.get("/models");
        }

        @Override
        List<String> columns() {
            return List.of("id", "vendor", "model", "family");
        }
    }
}
