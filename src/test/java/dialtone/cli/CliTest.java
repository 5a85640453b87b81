package dialtone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.Main;
import dialtone.cli.CliRunner.Run;
import dialtone.testing.TestDialtone;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every CLI command run against a real server, including failure exit codes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTest {

    TestDialtone server;
    Path dir;
    CliRunner cli;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        server = new TestDialtone(dir, Map.of("DIALTONE_RESYNC_T1_MS", "10"));
        cli = new CliRunner(server);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    Run run(String... args) {
        return runWith(List.of(args));
    }

    Run api(String... args) {
        return cli.api(args);
    }

    private static Run runWith(List<String> args) {
        return CliRunner.run(args);
    }

    @Test
    void wholeOnboardingAndTechnicianFlowFromTheCommandLine() throws Exception {
        Run account = api("accounts", "create", "--name", "Acme", "--json");
        assertThat(account.exit()).as(account.err()).isZero();
        String a = account.json().path("id").asText();
        String l = api("locations", "create", "--account", a, "--name", "HQ", "--street", "1 Main St", "--city",
                "Springfield", "--region", "IL", "--postal-code", "62701", "--country", "US", "--time-zone",
                "America/Chicago", "--json").json().path("id").asText();
        Run user = api("users", "create", "--account", a, "--first-name", "Ada", "--last-name", "Lovelace",
                "--username", "ada", "--email", "ada@example.com", "--extension", "101", "--location", l);
        assertThat(user.exit()).as(user.err()).isZero();
        assertThat(user.out()).contains("username: ada").contains("sip.password: ");
        String u = api("users", "list", "--account", a, "--json").json().path("items").get(0).path("id").asText();

        assertThat(api("devices", "create", "--account", a, "--mac", "00:15:65:12:34:56", "--model", "yealink-t46s")
                .out()).contains("provisioning.password: ");
        assertThat(api("devices", "bind", "--account", a, "--mac", "001565123456", "--user", u).exit()).isZero();
        Run list = api("devices", "list", "--account", a);
        assertThat(list.out().lines().findFirst().orElseThrow()).startsWith("MAC").contains("STATUS");
        assertThat(list.out()).contains("001565123456").contains(u);
        assertThat(api("users", "update", "--account", a, "--user", u, "--first-name", "Grace").exit()).isZero();
        assertThat(api("users", "get", "--account", a, "--user", u).out()).contains("firstName: Grace")
                .doesNotContain("password");

        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertThat(api("devices", "update", "--account", a, "--mac", "001565123456", "--sip-contact",
                    "sip:ada@127.0.0.1:" + silent.getLocalPort()).exit()).isZero();
            Run resync = api("devices", "resync", "--account", a, "--mac", "001565123456");
            assertThat(resync.exit()).isZero();
            assertThat(resync.out()).contains("timedOut: true");
        }
        Run replaced = api("devices", "replace", "--account", a, "--mac", "001565123456", "--new-mac", "001565123457");
        assertThat(replaced.exit()).as(replaced.err()).isZero();
        assertThat(replaced.out()).contains("userId: " + u).contains("replaced.status: retired");
        assertThat(api("devices", "unbind", "--account", a, "--mac", "001565123457").exit()).isZero();
        assertThat(api("devices", "reactivate", "--account", a, "--mac", "001565123456").exit()).isZero();
        assertThat(api("accounts", "resync", a).exit()).isZero();
        assertThat(api("devices", "delete", "--account", a, "--mac", "001565123456").exit()).isZero();
        assertThat(api("users", "delete", "--account", a, "--user", u).exit()).isZero();
        assertThat(api("models", "list").out()).contains("yealink-t46s");
        assertThat(api("accounts", "get", a).out()).contains("name: Acme");
        Run renamed = api("accounts", "update", a, "--name", "Acme Corp", "--auto-resync", "true");
        assertThat(renamed.exit()).as(renamed.err()).isZero();
        assertThat(renamed.out()).contains("name: Acme Corp").contains("autoResync: true");
        assertThat(api("accounts", "list").out()).contains("AUTORESYNC");
        assertThat(api("locations", "list", "--account", a).out()).contains("Springfield");
    }

    @Test
    void refusalsExitWithOneAndPrintTheServersReason() {
        String a = api("accounts", "list", "--json").exit() == 0 ? "no-such-account" : "";

        Run missing = api("users", "list", "--account", a);
        Run invalid = api("accounts", "create", "--name", "");
        Run missingAccount = api("accounts", "update", "no-such-account", "--auto-resync", "false");
        Run badToken = runWith(List.of("accounts", "list", "--server", "https://127.0.0.1:" + server.adminPort(),
                "--token", "dtk_wrong", "--cacert", server.certificate().toString()));

        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("refused (404");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).contains("name: is required");
        assertThat(missingAccount.exit()).isEqualTo(1);
        assertThat(missingAccount.err()).contains("refused (404");
        assertThat(badToken.exit()).isEqualTo(1);
        assertThat(badToken.err()).contains("401");
    }

    @Test
    void aRefusedFieldIsNamedByItsOption() {
        String a = api("accounts", "create", "--name", "Option Names", "--json").out().replaceAll("(?s).*\"id\" : \"([^\"]+)\".*", "$1");
        Run refused = api("users", "create", "--account", a, "--first-name", "Ada", "--last-name", "Lovelace",
                "--username", "ada.options", "--extension", "101");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("--email: ").contains("--location: is required");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(api("users", "create").exit()).isEqualTo(2);
        assertThat(run("users").exit()).isEqualTo(2);
        assertThat(run("no-such-command").exit()).isEqualTo(2);
    }

    @Test
    void everyCommandHasHelp() {
        List<String> paths = new ArrayList<>();
        collect(Main.commandLine(), List.of(), paths);
        assertThat(paths).hasSizeGreaterThan(60);
        // One tree for every path: building the whole tree per command would take seconds.
        java.io.StringWriter out = new java.io.StringWriter();
        CommandLine tree = Main.commandLine();
        tree.setOut(new java.io.PrintWriter(out, true));
        for (String path : paths) {
            List<String> args = new ArrayList<>(path.isEmpty() ? List.of() : List.of(path.split(" ")));
            args.add("--help");
            out.getBuffer().setLength(0);
            int exit = tree.execute(args.toArray(String[]::new));
            assertThat(exit).as(path).isZero();
            assertThat(out.toString()).as(path).startsWith("Usage: dialtone " + path);
        }
    }

    private static void collect(CommandLine cmd, List<String> prefix, List<String> out) {
        out.add(String.join(" ", prefix));
        for (var entry : cmd.getSubcommands().entrySet()) {
            List<String> next = new ArrayList<>(prefix);
            next.add(entry.getKey());
            collect(entry.getValue(), next, out);
        }
    }

    @Test
    @DisabledIfEnvironmentVariable(named = "DIALTONE_TEST_ALL_ON_POSTGRES", matches = "true",
            disabledReason = "backups through Dialtone cover embedded H2 only (PostgreSQL: pg_dump)")
    void backupWritesAZipOfTheLiveDatabase() throws Exception {
        Path file = dir.resolve("backup.zip");

        Run backup = api("backup", file.toString());

        assertThat(backup.exit()).as(backup.err()).isZero();
        try (var zip = new java.util.zip.ZipFile(file.toFile())) {
            assertThat(Stream.of(zip.stream().map(e -> e.getName()).toArray())).contains("dialtone.mv.db");
        }
    }
}
