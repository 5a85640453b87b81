package dialtone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.core.Json;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A bulk CSV import: sends the file, prints the server's per-row report, and exits with 1 when any row failed
 * (the good rows are still imported), so a script notices.
 */
abstract class ImportCommand extends ApiCommand {

    @Option(names = "--account", required = true) String account;

    @Parameters(index = "0", description = "CSV file: a header row of field names, then one row per item")
    Path file;

    /** The collection imported into, e.g. {@code users}. */
    abstract String collection();

    @Override
    Call request() throws Exception {
        if (!Files.isReadable(file)) {
            throw new CliException(2, "cannot read " + file);
        }
        return new Call("POST", "/accounts/" + segment(account) + "/" + collection() + ":import",
                Files.readAllBytes(file), "text/csv");
    }

    @Override
    void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
        JsonNode report = Json.MAPPER.readTree(response.body());
        if (api.json) {
            super.handle(response, out);
        } else {
            ArrayNode rows = Json.MAPPER.createArrayNode();
            for (JsonNode row : report.path("rows")) {
                ObjectNode shown = row.deepCopy();
                shown.put("errors", StreamSupport.stream(row.path("errors").spliterator(), false)
                        .map(e -> e.path("field").asText() + ": " + e.path("reason").asText())
                        .collect(Collectors.joining("; ")));
                rows.add(shown);
            }
            Tables.print(out, rows, columns());
            List<String> counts = new ArrayList<>();
            report.fields().forEachRemaining(field -> {
                if (field.getValue().isNumber()) {
                    counts.add(field.getKey() + " " + field.getValue().asText());
                }
            });
            out.println(String.join(", ", counts));
        }
        if (report.path("failed").asInt() > 0) {
            throw new CliException(1, report.path("failed").asInt() + " row(s) failed; see the report");
        }
    }

    @Override
    abstract List<String> columns();
}
