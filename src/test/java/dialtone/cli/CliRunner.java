package dialtone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dialtone.Main;
import dialtone.testing.TestDialtone;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs CLI commands in-process, capturing exit code, standard output and standard error. */
final class CliRunner {

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    private final List<String> connection;

    /** Appends the connection options for the server and the given token to every {@link #api} call. */
    CliRunner(TestDialtone server, String token) {
        this.connection = List.of("--server", "https://127.0.0.1:" + server.adminPort(), "--token", token,
                "--cacert", server.certificate().toString());
    }

    CliRunner(TestDialtone server) throws Exception {
        this(server, server.operatorToken());
    }

    /** Runs a command against the server. */
    Run api(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(connection);
        return run(all);
    }

    /** Runs a command as given, without connection options. */
    static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
