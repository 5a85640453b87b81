package dialtone.cli;

import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "uploads", mixinStandardHelpOptions = true,
        description = "Files a phone sent (logs, local settings), kept as the phone sent them.",
        subcommands = {UploadCommands.ListAll.class, UploadCommands.Download.class})
public final class UploadCommands extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a device's uploads, newest first.")
    static final class ListAll extends ApiCommand {
        @Mixin DeviceCommands.Target target;
        @Mixin Paging paging;

        @Override
        Call request() {
            return Call.get(target.path() + "/uploads" + paging.query());
        }

        @Override
        List<String> columns() {
            return List.of("name", "file", "size", "uploadedAt");
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = "Write one upload's bytes to a file, or to standard output (admin token).")
    static final class Download extends ApiCommand {
        @Mixin DeviceCommands.Target target;
        @Option(names = "--name", required = true, description = "the upload's NAME, as listed") String name;
        @Mixin FileOutput output;

        @Override
        Call request() {
            return Call.get(target.path() + "/uploads/" + segment(name));
        }

        @Override
        void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
            output.write(response.body(), out, spec.commandLine().getErr());
        }
    }
}
