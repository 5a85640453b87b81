package dialtone.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "uploads", mixinStandardHelpOptions = true,
        description = "Files a phone sent (logs, local settings), kept as the phone sent them.",
        subcommands = {UploadCommands.ListAll.class, UploadCommands.Download.class})
public final class UploadCommands extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a device's uploads, oldest first.")
    static final class ListAll extends ApiCommand {
        @Mixin DeviceCommands.Target target;

        @Override
        Call request() {
            return Call.get(target.path() + "/uploads");
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
        @Option(names = {"-o", "--output"}, description = "file to write (default: standard output)") Path output;

        /** Where bytes go without --output; raw, since an upload need not be text. */
        OutputStream stdout = System.out;

        @Override
        Call request() {
            return Call.get(target.path() + "/uploads/" + segment(name));
        }

        @Override
        void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
            if (output == null) {
                out.flush();
                stdout.write(response.body());
                stdout.flush();
                return;
            }
            Path tmp = output.resolveSibling(output.getFileName() + ".part");
            Files.write(tmp, response.body());
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
            spec.commandLine().getErr().println("wrote " + output + " (" + response.body().length + " bytes)");
        }
    }
}
