package dialtone.cli;

import java.util.Locale;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.core.Json;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * One admin API call as a command: subclasses say which request to send and which columns to show.
 * Exit codes: 0 done, 1 refused (the server's reason is printed), 2 usage.
 */
public abstract class ApiCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    /** The request this command sends. */
    record Call(String method, String path, byte[] body, String contentType) {
        static Call get(String path) {
            return new Call("GET", path, null, null);
        }

        /** A POST without a body: actions such as rotate or resync. */
        static Call post(String path) {
            return new Call("POST", path, null, null);
        }

        static Call delete(String path) {
            return new Call("DELETE", path, null, null);
        }

        static Call json(String method, String path, ObjectNode body) {
            return new Call(method, path, Json.bytes(body), "application/json");
        }
    }

    abstract Call request() throws Exception;

    /** Columns for the table view (JSON field paths such as {@code lastSeen.at}); empty shows key/value lines. */
    List<String> columns() {
        return List.of();
    }

    /**
     * One path segment: characters a segment may hold (RFC 3986 pchar, which covers IDs, MACs in any notation
     * and upload names) pass as typed, anything else is percent-encoded so it cannot reach another route.
     */
    static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    static ObjectNode object() {
        return Json.MAPPER.createObjectNode();
    }

    /** Adds a field only when the option was given. */
    static void put(ObjectNode node, String field, Object value) {
        if (value != null) {
            node.set(field, Json.MAPPER.valueToTree(value));
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Call call = request();
            HttpResponse<byte[]> response = new ApiClient(api).send(call.method(), call.path(), call.body(), call.contentType());
            if (response.statusCode() >= 400) {
                err.println(refusal(response, this::optionFor));
                return 1;
            }
            handle(response, out);
            return 0;
        } catch (CliException e) {
            err.println("dialtone: " + e.getMessage());
            return e.exitCode();
        }
    }

    /** Prints the answer; commands with non-JSON answers (CSV, backups) override this. */
    void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
        if (response.body().length == 0) {
            out.println("done (" + response.statusCode() + ")");
            return;
        }
        JsonNode json = Json.MAPPER.readTree(response.body());
        if (api.json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else if (json.has("items") && json.get("items").isArray()) {
            Tables.print(out, json.get("items"), columns());
            if (json.hasNonNull("next")) {
                out.println("(more: --after " + json.get("next").asText() + ")");
            }
        } else {
            Tables.printObject(out, json);
        }
    }

    /**
     * The option that carries an API field in this command ({@code locationId} -> {@code --location},
     * {@code firstName} -> {@code --first-name}), or the field itself when no option does.
     */
    String optionFor(String field) {
        String kebab = "--" + field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        for (String candidate : List.of(kebab, kebab.replaceAll("-id$", ""))) {
            if (spec.findOption(candidate) != null) {
                return candidate;
            }
        }
        return field;
    }

    static String refusal(HttpResponse<byte[]> response, java.util.function.UnaryOperator<String> optionFor) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        try {
            JsonNode problem = Json.MAPPER.readTree(text);
            StringBuilder message = new StringBuilder("dialtone: refused (" + response.statusCode() + " "
                    + problem.path("title").asText() + "): " + problem.path("detail").asText());
            for (JsonNode error : problem.path("errors")) {
                message.append("\n  ").append(optionFor.apply(error.path("field").asText())).append(": ")
                        .append(error.path("reason").asText());
            }
            return message.toString();
        } catch (Exception notJson) {
            return "dialtone: refused (" + response.statusCode() + "): " + text;
        }
    }
}
