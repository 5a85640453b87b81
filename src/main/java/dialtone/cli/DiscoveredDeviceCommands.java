package dialtone.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "discovered-devices", mixinStandardHelpOptions = true,
        description = "Phones that asked for files but belong to no account (operator token).",
        subcommands = {DiscoveredDeviceCommands.ListAll.class, DiscoveredDeviceCommands.Adopt.class})
public final class DiscoveredDeviceCommands extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List discovered devices.")
    static final class ListAll extends ApiCommand {
        @Mixin Paging paging;

        @Override
        Call request() {
            return Call.get("/discovered-devices" + paging.query());
        }

        @Override
        List<String> columns() {
            return List.of("mac", "model", "firmware", "address", "lastSeen", "requests");
        }
    }

    @Command(name = "adopt", mixinStandardHelpOptions = true,
            description = "Make a discovered device a device of an account; prints its provisioning credentials once.")
    static final class Adopt extends ApiCommand {
        @Option(names = "--mac", required = true, description = "MAC in any notation") String mac;
        @Option(names = "--account", required = true) String accountId;
        @Option(names = "--model", description = "model id (default: the one the phone announced)") String model;
        @Option(names = "--label") String label;

        @Override
        Call request() {
            var body = object();
            put(body, "accountId", accountId);
            put(body, "model", model);
            put(body, "label", label);
            return Call.json("POST", "/discovered-devices/" + segment(mac), body);
        }
    }
}
