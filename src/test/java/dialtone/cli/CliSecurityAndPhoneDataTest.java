package dialtone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.cli.CliRunner.Run;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import dialtone.testing.Trees;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, audit, credential rotation, security policy, vars, uploads and discovered devices from the CLI. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliSecurityAndPhoneDataTest {

    static final String VVX = "FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477 Type/Application";

    TestDialtone server;
    Path dir;
    CliRunner operator;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        server = new TestDialtone(dir);
        operator = new CliRunner(server);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String account(String name) throws Exception {
        Run created = operator.api("accounts", "create", "--name", name, "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        return created.json().path("id").asText();
    }

    private static void refused(Run run, String reason) {
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).contains("dialtone: refused").contains(reason);
    }

    @Test
    void tokensAreIssuedOnceListedByPrefixAndRevoked() throws Exception {
        String a = account("Tokens");

        Run issued = operator.api("tokens", "create", "--role", "admin", "--account", a, "--name", "site tablet");

        assertThat(issued.exit()).as(issued.err()).isZero();
        assertThat(issued.err()).contains("cannot be shown again");
        String token = issued.out().lines().filter(l -> l.startsWith("token: ")).findFirst().orElseThrow().substring(7);
        String id = issued.out().lines().filter(l -> l.startsWith("id: ")).findFirst().orElseThrow().substring(4);
        CliRunner accountAdmin = new CliRunner(server, token);
        assertThat(accountAdmin.api("users", "list", "--account", a).exit()).isZero();
        Run list = operator.api("tokens", "list", "--account", a);
        assertThat(list.out().lines().findFirst().orElseThrow()).startsWith("ID").contains("PREFIX").contains("REVOKED");
        assertThat(list.out()).contains(id).contains("site tablet").doesNotContain(token);

        assertThat(operator.api("tokens", "revoke", id).exit()).isZero();

        refused(accountAdmin.api("users", "list", "--account", a), "401");
        refused(operator.api("tokens", "revoke", "no-such-token"), "404");
        refused(operator.api("tokens", "create", "--role", "wizard", "--account", a), "role: must be one of");
    }

    @Test
    void auditListPagesNewestFirst() throws Exception {
        String a = account("Audited");
        operator.api("locations", "create", "--account", a, "--name", "HQ", "--street", "1 Main St", "--city",
                "Springfield", "--region", "IL", "--postal-code", "62701", "--country", "US", "--time-zone",
                "America/Chicago");

        Run first = operator.api("audit", "list", "--account", a, "--limit", "1");

        assertThat(first.exit()).as(first.err()).isZero();
        List<String> lines = first.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("ACTION").contains("DETAIL");
        assertThat(lines.get(1)).contains("location.create");
        assertThat(lines.get(2)).startsWith("(more: --after ");
        String cursor = lines.get(2).replaceAll("^\\(more: --after (\\S+)\\)$", "$1");
        Run second = operator.api("audit", "list", "--account", a, "--limit", "1", "--after", cursor, "--json");
        assertThat(second.exit()).isZero();
        assertThat(second.json().path("items").get(0).path("action").asText()).isEqualTo("account.create");
        refused(operator.api("audit", "list", "--after", "not-a-cursor"), "after: must be a cursor");
    }

    @Test
    void sipAndProvisioningPasswordsRotate() throws Exception {
        String a = account("Rotate");
        String l = operator.api("locations", "create", "--account", a, "--name", "HQ", "--street", "1 Main St",
                "--city", "Springfield", "--region", "IL", "--postal-code", "62701", "--country", "US",
                "--time-zone", "America/Chicago", "--json").json().path("id").asText();
        Run user = operator.api("users", "create", "--account", a, "--first-name", "Ada", "--last-name", "Lovelace",
                "--username", "ada", "--email", "ada@example.com", "--extension", "101", "--location", l, "--json");
        String u = user.json().path("id").asText();
        String oldSip = user.json().path("sip").path("password").asText();
        Run device = operator.api("devices", "create", "--account", a, "--mac", "001565aa0001", "--model",
                "yealink-t46s", "--json");
        String oldProvisioning = device.json().path("provisioning").path("password").asText();

        Run sip = operator.api("users", "sip-password", "--account", a, "--user", u, "--json");
        Run provisioning = operator.api("devices", "provisioning-password", "--account", a, "--mac", "00:15:65:AA:00:01");

        assertThat(sip.exit()).as(sip.err()).isZero();
        assertThat(sip.json().path("password").asText()).isNotBlank().isNotEqualTo(oldSip);
        assertThat(provisioning.exit()).as(provisioning.err()).isZero();
        assertThat(provisioning.out()).contains("username: ").contains("password: ").doesNotContain(oldProvisioning);
        refused(operator.api("users", "sip-password", "--account", a, "--user", "no-such-user"), "404");
        refused(operator.api("devices", "provisioning-password", "--account", a, "--mac", "001565aa0999"), "404");
    }

    @Test
    void securityPolicyIsReplacedAndShown() throws Exception {
        String a = account("Policy");
        assertThat(operator.api("security-policy", "get", "--account", a).out()).contains("plainHttp: false");

        Run set = operator.api("security-policy", "set", "--account", a, "--proofs", "digest,certificate",
                "--allowed-sources", "192.0.2.0/24,2001:db8::/32", "--plain-http", "true");

        assertThat(set.exit()).as(set.err()).isZero();
        Run shown = operator.api("security-policy", "get", "--account", a, "--json");
        assertThat(shown.json().path("proofs")).extracting(p -> p.asText()).containsExactlyInAnyOrder("certificate",
                "digest");
        assertThat(shown.json().path("allowedSources").toString()).isEqualTo("[\"192.0.2.0/24\",\"2001:db8::/32\"]");
        assertThat(shown.json().path("plainHttp").asBoolean()).isTrue();
        refused(operator.api("security-policy", "set", "--account", a, "--proofs", "magic"), "proofs: 'magic'");
        refused(operator.api("security-policy", "get", "--account", "no-such-account"), "404");
        assertThat(operator.api("security-policy", "get", "--account", a, "--json").json().path("plainHttp")
                .asBoolean()).as("a refused change changes nothing").isTrue();
    }

    @Test
    void varsOfAnAccountAndADeviceAreReplacedWhole() throws Exception {
        String a = account("Vars");
        operator.api("devices", "create", "--account", a, "--mac", "001565aa0002", "--model", "yealink-t46s");

        Run set = operator.api("vars", "set", "--account", a, "--var", "ntp_server=pool.ntp.org", "--var",
                "greeting=Hello, world");
        Run device = operator.api("vars", "set", "--account", a, "--mac", "001565aa0002", "--var", "ntp_server=10.0.0.1");

        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out().lines().toList()).containsExactly("NAME        VALUE", "greeting    Hello, world",
                "ntp_server  pool.ntp.org");
        assertThat(device.exit()).as(device.err()).isZero();
        assertThat(operator.api("vars", "get", "--account", a, "--mac", "001565aa0002", "--json").json()
                .path("vars").path("ntp_server").asText()).isEqualTo("10.0.0.1");
        assertThat(operator.api("vars", "set", "--account", a, "--mac", "001565aa0002", "--none").out())
                .contains("(no variables)");
        refused(operator.api("vars", "set", "--account", a, "--var", "Bad-Name=1"), "vars.Bad-Name: name must be");
        assertThat(operator.api("vars", "get", "--account", a).out()).as("a refused change changes nothing")
                .contains("pool.ntp.org");
        refused(operator.api("vars", "get", "--account", a, "--mac", "001565aa0fff"), "404");
        assertThat(operator.api("vars", "set", "--account", a).exit()).isEqualTo(2);
    }

    @Test
    void aPhonesUploadsAreListedAndDownloadedToAFileOrStandardOutput() throws Exception {
        String a = account("Uploads");
        Run device = operator.api("devices", "create", "--account", a, "--mac", "0004f2aa0003", "--model",
                "polycom-vvx500", "--json");
        String password = device.json().path("provisioning").path("password").asText();
        String username = device.json().path("provisioning").path("username").asText();
        assertThat(putProven(username, password, "/0004f2aa0003-boot.log", "line one\nline two\n").statusCode())
                .isEqualTo(204);

        Run list = operator.api("devices", "uploads", "list", "--account", a, "--mac", "0004f2aa0003");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("UPLOADEDAT");
        String name = operator.api("devices", "uploads", "list", "--account", a, "--mac", "0004f2aa0003", "--json")
                .json().path("items").get(0).path("name").asText();
        Path file = dir.resolve("boot.log");
        Run toFile = operator.api("devices", "uploads", "download", "--account", a, "--mac", "0004f2aa0003",
                "--name", name, "--output", file.toString());
        String toStdout = capturingStandardOutput(() -> assertThat(operator.api("devices", "uploads", "download",
                "--account", a, "--mac", "0004f2aa0003", "--name", name).exit()).isZero());

        assertThat(toFile.exit()).as(toFile.err()).isZero();
        assertThat(Files.readString(file)).isEqualTo("line one\nline two\n");
        assertThat(toStdout).isEqualTo("line one\nline two\n");
        refused(operator.api("devices", "uploads", "download", "--account", a, "--mac", "0004f2aa0003", "--name",
                "1700000000000-000001-missing.log"), "404");
        refused(operator.api("devices", "uploads", "list", "--account", a, "--mac", "0004f2aa0fff"), "404");
    }

    @Test
    void discoveredDevicesAreListedAndAdopted() throws Exception {
        String a = account("Adopter");
        server.phone().get("/0004f2c0cafe-user.cfg", Map.of("User-Agent", VVX));
        Trees.await("sighting recorded", () -> operator.api("discovered-devices", "list").out().contains("0004f2c0cafe"));
        Run list = operator.api("discovered-devices", "list");
        assertThat(list.out().lines().findFirst().orElseThrow()).startsWith("MAC").contains("FIRMWARE");
        assertThat(list.out()).contains("polycom-vvx500").contains("5.9.7.4477");

        Run adopted = operator.api("discovered-devices", "adopt", "--mac", "00:04:f2:c0:ca:fe", "--account", a,
                "--label", "Front desk");

        assertThat(adopted.exit()).as(adopted.err()).isZero();
        assertThat(adopted.out()).contains("model: polycom-vvx500").contains("provisioning.password: ");
        assertThat(operator.api("devices", "get", "--account", a, "--mac", "0004f2c0cafe").out())
                .contains("label: Front desk");
        refused(operator.api("discovered-devices", "adopt", "--mac", "not-a-mac", "--account", a), "404");
        refused(operator.api("discovered-devices", "adopt", "--mac", "0004f2c0beef", "--account", "no-such-account"),
                "404");
    }

    /** A PUT answering the Digest challenge, as a phone sends its log. */
    private HttpResponse<String> putProven(String username, String password, String path, String body) throws Exception {
        HttpsClient phone = server.phone();
        HttpResponse<String> challenge = phone.send("PUT", path, body, Map.of("User-Agent", VVX));
        assertThat(challenge.statusCode()).isEqualTo(401);
        String header = challenge.headers().allValues("WWW-Authenticate").stream()
                .filter(h -> h.startsWith("Digest ")).findFirst().orElseThrow();
        return phone.send("PUT", path, body, Map.of("User-Agent", VVX,
                "Authorization", HttpsClient.digestAuthorization(header, "PUT", path, username, password)));
    }

    private static String capturingStandardOutput(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
