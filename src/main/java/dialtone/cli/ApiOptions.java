package dialtone.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the admin API is and how to authenticate: shared by every command that calls it. */
public final class ApiOptions {

    @Option(names = "--server", description = "admin API base URL (env DIALTONE_SERVER; default ${DEFAULT-VALUE})",
            defaultValue = "${env:DIALTONE_SERVER:-https://127.0.0.1:9443}")
    String server;

    @Option(names = "--token", description = "bearer token (env DIALTONE_TOKEN; default: the file data/operator.token)",
            defaultValue = "${env:DIALTONE_TOKEN}")
    String token;

    @Option(names = "--cacert", description = "PEM certificate to trust for the server (default ${DEFAULT-VALUE} if it exists)",
            defaultValue = "certs/server.crt")
    Path cacert;

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    String token() throws java.io.IOException {
        if (token != null && !token.isBlank()) {
            return token.trim();
        }
        Path file = Path.of("data/operator.token");
        if (Files.isReadable(file)) {
            return Files.readString(file).trim();
        }
        throw new CliException(2, "no token: pass --token, set DIALTONE_TOKEN, or run where data/operator.token is");
    }
}
