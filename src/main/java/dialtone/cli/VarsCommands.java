package dialtone.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dialtone.core.Json;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "vars", mixinStandardHelpOptions = true,
        description = "Custom template variables of an account, or of one device (device values win).",
        subcommands = {VarsCommands.Get.class, VarsCommands.Set.class})
public final class VarsCommands extends GroupCommand {

    /** The account's variables, or with --mac one device's. */
    static class Target {
        @Option(names = "--account", required = true) String account;
        @Option(names = "--mac", description = "a device's variables instead of the account's") String mac;

        String path() {
            String owner = mac == null ? "" : "/devices/" + ApiCommand.segment(mac);
            return "/accounts/" + ApiCommand.segment(account) + owner + "/vars";
        }
    }

    /** Shows {@code {"vars": {...}}} as a NAME/VALUE table. */
    abstract static class VarsCall extends ApiCommand {
        @Override
        void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
            if (api.json) {
                super.handle(response, out);
                return;
            }
            ArrayNode rows = Json.MAPPER.createArrayNode();
            Json.MAPPER.readTree(response.body()).path("vars").fields().forEachRemaining(e ->
                    rows.addObject().put("name", e.getKey()).set("value", e.getValue()));
            if (rows.isEmpty()) {
                out.println("(no variables)");
            } else {
                Tables.print(out, rows, List.of("name", "value"));
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show the variables.")
    static final class Get extends VarsCall {
        @Mixin Target target;

        @Override
        Call request() {
            return Call.get(target.path());
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Replace the whole set of variables (names not given are removed).")
    static final class Set extends VarsCall {
        @Mixin Target target;
        @Option(names = "--var", paramLabel = "NAME=VALUE", description = "a variable; repeat for more")
        Map<String, String> vars = new LinkedHashMap<>();
        @Option(names = "--none", description = "remove every variable") boolean none;

        @Override
        Call request() {
            if (vars.isEmpty() == !none) {
                throw new CliException(2, "give either --var NAME=VALUE (repeatable) or --none");
            }
            var body = object();
            body.set("vars", Json.MAPPER.valueToTree(vars));
            return Call.json("PUT", target.path(), body);
        }
    }
}
