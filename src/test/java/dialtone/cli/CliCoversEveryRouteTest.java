package dialtone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.Main;
import dialtone.testing.TestDialtone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Guards "the CLI covers every admin API operation": each route the admin API's router holds must be the
 * request of at least one command. A new route without a command fails here.
 */
class CliCoversEveryRouteTest {


    /** Commands that refuse to send without one of several optional options: what to add. */
    private static final Map<String, List<String>> NEEDS = Map.of(
            "vars set", List.of("--var", "a=b"),
            "users e911 set", List.of("--confirmed", "true"));

    @TempDir
    Path dir;

    @Test
    void everyRouteHasACommand() throws Exception {
        List<String> routes;
        try (TestDialtone dialtone = new TestDialtone(dir.resolve("server"))) {
            routes = dialtone.adminRoutes().stream().map(Object::toString).toList();
        }
        List<String> requests = new ArrayList<>();
        CommandLine tree = Main.commandLine();
        collect(tree, tree, List.of(), requests);

        assertThat(routes).as("routes of the admin API").hasSizeGreaterThan(40);
        // The API's description (GET /api/v1/openapi.json) and Swagger UI (/api/docs/) are documentation, not
        // operations: they are answered before the router, without a token, and need no command.
        assertThat(routes).as("documentation is exempt").doesNotContain("GET /openapi.json")
                .noneMatch(route -> route.contains("/docs"));
        List<String> uncovered = routes.stream().filter(route -> requests.stream().noneMatch(r -> matches(route, r)))
                .toList();
        assertThat(uncovered).as("routes without a CLI command").isEmpty();
    }

    /** Every leaf command's request, built from placeholder values: with its required options, then with all. */
    private void collect(CommandLine tree, CommandLine command, List<String> path, List<String> requests)
            throws Exception {
        if (!command.getSubcommands().isEmpty()) {
            for (var sub : command.getSubcommands().entrySet()) {
                List<String> next = new ArrayList<>(path);
                next.add(sub.getKey());
                collect(tree, sub.getValue(), next, requests);
            }
            return;
        }
        if (!(command.getCommand() instanceof ApiCommand)) {
            return;
        }
        for (boolean all : new boolean[] {false, true}) {
            List<String> args = new ArrayList<>(path);
            args.addAll(NEEDS.getOrDefault(String.join(" ", path), List.of()));
            for (OptionSpec option : command.getCommandSpec().options()) {
                boolean flag = option.arity().max() == 0;
                boolean connection = List.of("--server", "--token", "--cacert").contains(option.longestName());
                if (!connection && !flag && (option.required() || all) && !args.contains(option.longestName())) {
                    args.add(option.longestName());
                    args.add(placeholder(option));
                }
            }
            for (ArgSpec positional : command.getCommandSpec().positionalParameters()) {
                args.add(placeholder(positional));
            }
            tree.parseArgs(args.toArray(String[]::new));
            ApiCommand.Call call = ((ApiCommand) command.getCommand()).request();
            requests.add(call.method() + " " + call.path().replaceAll("\\?.*", ""));
        }
    }

    private String placeholder(ArgSpec arg) throws Exception {
        Class<?> type = arg.type();
        if (type == Path.class) {
            return Files.writeString(Files.createTempFile(dir, "arg", ".bin"), "x").toString();
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true";
        }
        if (type == Integer.class || type == int.class) {
            return "1";
        }
        return Map.class.isAssignableFrom(type) ? "a=b" : "x";
    }

    private static boolean matches(String route, String request) {
        String[] r = route.split(" ", 2);
        String[] q = request.split(" ", 2);
        String[] pattern = r[1].split("/");
        String[] path = q[1].split("/");
        if (!r[0].equals(q[0]) || pattern.length != path.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            boolean placeholder = pattern[i].startsWith("{") && pattern[i].endsWith("}");
            if (!(placeholder ? !path[i].isEmpty() : pattern[i].equals(path[i]))) {
                return false;
            }
        }
        return true;
    }
}
