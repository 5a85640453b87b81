package dialtone.cli;

import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Take a consistent copy of the database while the server runs (operator token).",
                "The copy does not hold data/secret.key: keep that file safe separately, or the SIP and",
                "provisioning passwords in the backup cannot be decrypted after a restore."})
public final class BackupCommand extends ApiCommand {

    @Parameters(index = "0", description = "zip file to write")
    Path file;

    @Override
    Call request() {
        return Call.post("/backup");
    }

    @Override
    void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.write(tmp, response.body());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        out.println("backup written to " + file + " (" + response.body().length + " bytes)");
    }
}
