package dialtone.cli;

import dialtone.security.PrivateFiles;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Take a consistent copy of the database while the server runs (operator token).",
                "The copy is written readable by its owner only. It does not hold data/secret.key: keep that",
                "file safe separately; restore needs it to check the backup's seal and to decrypt the SIP",
                "and provisioning passwords in it."})
public final class BackupCommand extends ApiCommand {

    @Parameters(index = "0", description = "zip file to write")
    Path file;

    @Override
    Call request() {
        return Call.post("/backup");
    }

    @Override
    void handle(HttpResponse<byte[]> response, PrintWriter out) throws Exception {
        // The backup holds every user's sealed secrets and password hashes: only its owner may read it.
        PrivateFiles.write(file, response.body());
        out.println("backup written to " + file + " (" + response.body().length + " bytes)");
    }
}
