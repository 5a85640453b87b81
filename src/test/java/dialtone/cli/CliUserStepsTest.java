package dialtone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.cli.CliRunner.Run;
import dialtone.testing.TestDialtone;
import dialtone.testing.Wavs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The add-user workflow's steps (E911, device, greeting, welcome e-mail) and bulk users and devices from the CLI. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliUserStepsTest {

    TestDialtone server;
    Path dir;
    CliRunner cli;
    String account;
    String location;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        server = new TestDialtone(dir);
        cli = new CliRunner(server);
        account = cli.api("accounts", "create", "--name", "Steps", "--json").json().path("id").asText();
        location = cli.api("locations", "create", "--account", account, "--name", "HQ", "--street", "1 Main St",
                "--city", "Springfield", "--region", "IL", "--postal-code", "62701", "--country", "US",
                "--time-zone", "America/Chicago", "--json").json().path("id").asText();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String user(String username, String extension) throws Exception {
        Run created = cli.api("users", "create", "--account", account, "--first-name", "Ada", "--last-name", "Lovelace",
                "--username", username, "--email", username + "@example.com", "--extension", extension, "--location",
                location, "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        return created.json().path("id").asText();
    }

    private static void refused(Run run, String reason) {
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).contains("dialtone: refused").contains(reason);
    }

    @Test
    void e911IsConfirmedOrOverridden() throws Exception {
        String u = user("e911", "201");

        Run prefilled = cli.api("users", "e911", "get", "--account", account, "--user", u);
        Run confirmed = cli.api("users", "e911", "set", "--account", account, "--user", u, "--confirmed", "true");
        Run overridden = cli.api("users", "e911", "set", "--account", account, "--user", u, "--street", "2 Side St",
                "--city", "Chicago", "--region", "IL", "--postal-code", "60601", "--country", "US", "--confirmed", "true");

        assertThat(prefilled.exit()).as(prefilled.err()).isZero();
        assertThat(prefilled.out()).contains("address.city: Springfield").contains("confirmed: false");
        assertThat(confirmed.out()).contains("confirmed: true");
        assertThat(overridden.exit()).as(overridden.err()).isZero();
        assertThat(overridden.out()).contains("address.city: Chicago");
        refused(cli.api("users", "e911", "set", "--account", account, "--user", u, "--street", "2 Side St", "--city",
                "Chicago", "--region", "IL", "--postal-code", "ABCDE", "--country", "US"), "address.postalCode");
        assertThat(cli.api("users", "e911", "get", "--account", account, "--user", u).out())
                .as("a refused change changes nothing").contains("address.postalCode: 60601");
        refused(cli.api("users", "e911", "get", "--account", account, "--user", "no-such-user"), "404");
        assertThat(cli.api("users", "e911", "set", "--account", account, "--user", u).exit()).isEqualTo(2);
    }

    @Test
    void aDeviceIsAssignedNewOrExistingAndUnassigned() throws Exception {
        String u = user("desk", "202");
        String other = user("other", "203");

        Run added = cli.api("users", "device", "assign", "--account", account, "--user", u, "--mac", "001565bb0001",
                "--model", "yealink-t46s", "--label", "Desk");

        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("userId: " + u).contains("provisioning.password: ");
        refused(cli.api("users", "device", "assign", "--account", account, "--user", other, "--mac", "001565bb0001"),
                "409");
        Run moved = cli.api("users", "device", "assign", "--account", account, "--user", other, "--mac",
                "00:15:65:bb:00:01", "--move");
        assertThat(moved.exit()).as(moved.err()).isZero();
        assertThat(moved.out()).contains("userId: " + other).doesNotContain("password");
        Run unassigned = cli.api("users", "device", "unassign", "--account", account, "--user", other, "--mac",
                "001565bb0001", "--json");
        assertThat(unassigned.exit()).as(unassigned.err()).isZero();
        assertThat(unassigned.json().path("unbound").get(0).path("mac").asText()).isEqualTo("001565bb0001");
        refused(cli.api("users", "device", "unassign", "--account", account, "--user", other, "--mac", "001565bb0001"),
                "404");
    }

    @Test
    void aGreetingIsUploadedFetchedAndReset() throws Exception {
        String u = user("greeter", "204");
        Path wav = dir.resolve("hello.wav");
        Files.write(wav, Wavs.mulaw8k(500));
        Path mp3 = dir.resolve("song.wav");
        Files.write(mp3, Wavs.mp3());
        Path fetched = dir.resolve("fetched.wav");

        Run set = cli.api("users", "greeting", "set", "--account", account, "--user", u, wav.toString());
        Run get = cli.api("users", "greeting", "get", "--account", account, "--user", u, "-o", fetched.toString());

        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).contains("greeting: custom").contains("sampleRate: 8000");
        assertThat(get.exit()).as(get.err()).isZero();
        assertThat(get.err()).contains("greeting: custom");
        assertThat(Files.readAllBytes(fetched)).isEqualTo(Files.readAllBytes(wav));
        refused(cli.api("users", "greeting", "set", "--account", account, "--user", u, mp3.toString()), "");
        assertThat(cli.api("users", "greeting", "delete", "--account", account, "--user", u).out())
                .contains("greeting: default");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(stdout, true));
        Run fallback;
        try {
            fallback = cli.api("users", "greeting", "get", "--account", account, "--user", u);
        } finally {
            System.setOut(original);
        }
        assertThat(fallback.err()).contains("greeting: default");
        assertThat(new String(stdout.toByteArray(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(cli.api("users", "greeting", "set", "--account", account, "--user", u, "no-such.wav").exit())
                .isEqualTo(2);
    }

    @Test
    void aWelcomeEmailIsQueued() throws Exception {
        String u = user("welcome", "205");

        Run sent = cli.api("users", "welcome-email", "--account", account, "--user", u);

        assertThat(sent.exit()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("welcomeEmail.status: ");
        refused(cli.api("users", "welcome-email", "--account", account, "--user", "no-such-user"), "404");
    }

    @Test
    void usersAreImportedWithAPerRowReportAndExported() throws Exception {
        Path csv = dir.resolve("users.csv");
        String header = "firstName,lastName,username,email,extension,locationId\n";
        String good = "Grace,Hopper,grace,grace@example.com,301," + location + "\n"
                + "Alan,Turing,alan,alan@example.com,302," + location + "\n";
        Files.writeString(csv, header + good + "Bad,Row,bad row,not-an-email,303," + location + "\n");

        Run first = cli.api("users", "import", "--account", account, csv.toString());

        assertThat(first.exit()).as("a failed row makes the exit code 1").isEqualTo(1);
        assertThat(first.out().lines().findFirst().orElseThrow()).startsWith("LINE").contains("STATUS").contains("ERRORS");
        assertThat(first.out()).contains("grace").contains("alan").contains("created 2, existing 0, failed 1");
        assertThat(first.out().lines().filter(l -> l.startsWith("4 ")).findFirst().orElseThrow()).contains("failed")
                .contains("email");
        assertThat(first.err()).contains("1 row(s) failed");
        Files.writeString(csv, header + good);
        Run again = cli.api("users", "import", "--account", account, csv.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("created 0, existing 2, failed 0");

        Path exported = dir.resolve("export.csv");
        Run export = cli.api("users", "export", "--account", account, "--output", exported.toString());
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(Files.readString(exported)).startsWith("firstName,").contains("grace@example.com")
                .contains("alan@example.com");
        refused(cli.api("users", "export", "--account", "no-such-account"), "404");
        assertThat(cli.api("users", "import", "--account", account, "no-such.csv").exit()).isEqualTo(2);
    }

    @Test
    void devicesAreImportedWithAPerRowReportAndExported() throws Exception {
        user("bulkdesk", "401");
        Path csv = dir.resolve("devices.csv");
        String good = "mac,model,label,username\n001565cc0001,yealink-t46s,Desk,bulkdesk\n001565cc0002,yealink-t46s,,\n";
        Files.writeString(csv, good + "not-a-mac,yealink-t46s,,\n");

        Run first = cli.api("devices", "import", "--account", account, csv.toString());

        assertThat(first.exit()).as("a failed row makes the exit code 1").isEqualTo(1);
        assertThat(first.out().lines().findFirst().orElseThrow()).startsWith("LINE").contains("PROVISIONING.PASSWORD");
        assertThat(first.out()).contains("001565cc0001").contains("001565cc0002").contains("failed 1");
        assertThat(first.out().lines().filter(l -> l.startsWith("4 ")).findFirst().orElseThrow()).contains("failed")
                .contains("mac");
        Files.writeString(csv, good);
        Run again = cli.api("devices", "import", "--account", account, csv.toString(), "--json");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.json().path("created").asInt()).isZero();
        assertThat(again.json().path("failed").asInt()).isZero();

        Path exported = dir.resolve("devices-export.csv");
        assertThat(cli.api("devices", "export", "--account", account, "-o", exported.toString()).exit()).isZero();
        assertThat(Files.readString(exported)).startsWith("mac,model,label,username,status")
                .contains("001565cc0001,yealink-t46s,Desk,bulkdesk");
        refused(cli.api("devices", "export", "--account", "no-such-account"), "404");
    }
}
