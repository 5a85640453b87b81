package dialtone.cli;

import java.io.PrintWriter;
import java.net.http.HttpResponse;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A CSV export of an account's collection (no secrets), to a file or standard output. */
abstract class ExportCommand extends ApiCommand {

    @Option(names = "--account", required = true) String account;

    @Mixin FileOutput output;

    /** The collection exported, e.g. {@code users}. */
    abstract String collection();

    @Override
    Call request() {
        return Call.get("/accounts/" + segment(account) + "/" + collection() + ":export");
    }

    @Override
    void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
        output.write(response.body(), out, spec.commandLine().getErr());
    }
}
