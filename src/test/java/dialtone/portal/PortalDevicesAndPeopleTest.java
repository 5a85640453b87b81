package dialtone.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.PortalClient;
import dialtone.testing.TestDialtone;
import dialtone.testing.Trees;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal's device configuration (secrets masked), discovered devices with Adopt, and the administrators'
 * pages, over real HTTPS against a real Dialtone. One server for the class; each test has accounts of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalDevicesAndPeopleTest {

    private static final String PASSWORD = "a long passphrase of mine";
    private static final Pattern ONE_TIME = Pattern.compile("id=\"admin-password\">([^<]+)<");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    TestDialtone server;
    AdminClient api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new TestDialtone(dir);
        api = server.admin();
        administrator("ops", "operator", null);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String administrator(String username, String role, String account) throws Exception {
        AdminClient.Reply reply = api.post("/administrators", account == null
                ? "{\"username\":\"%s\",\"role\":\"%s\"}".formatted(username, role)
                : "{\"username\":\"%s\",\"role\":\"%s\",\"accountId\":\"%s\"}".formatted(username, role, account));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        choosePassword(username, reply.get("password"));
        return reply.get("id");
    }

    private void choosePassword(String username, String oneTime) throws Exception {
        PortalClient client = client();
        client.login("/admin/login", username, oneTime);
        client.get("/admin/password");
        HttpResponse<String> changed = client.post("/admin/password", Map.of("currentPassword", oneTime,
                "newPassword", PASSWORD, "confirmPassword", PASSWORD));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(303);
    }

    private PortalClient client() throws Exception {
        return new PortalClient(server.portalUrl(), server.certificate());
    }

    private PortalClient loggedIn(String username) throws Exception {
        PortalClient client = client();
        HttpResponse<String> login = client.login("/admin/login", username, PASSWORD);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
        return client;
    }

    private static String unique(String prefix) {
        return prefix + SEQUENCE.incrementAndGet();
    }

    /** The page's text as the browser shows it: the HTML escaping undone once. */
    private static String shown(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    @Test
    void devicePageShowsWhatThePhoneGetsWithItsPasswordsAndSecretVariablesMasked() throws Exception {
        String accountId = api.createAccount(unique("Masked "));
        String adminPassword = "adm&<n\"9 pass";
        assertThat(api.put("/accounts/" + accountId + "/vars",
                "{\"vars\":{\"admin_password\":\"adm&<n\\\"9 pass\",\"site\":\"hq-north\"}}").status()).isEqualTo(200);
        AdminClient.Reply user = api.createUser(accountId, api.createLocation(accountId, "America/Chicago"),
                unique("mask."), "301");
        String sipUsername = user.json().path("sip").path("username").asText();
        String sipPassword = user.json().path("sip").path("password").asText();
        String mac = "0022334455aa";
        String provisioningPassword = api.createDevice(accountId, mac, "cisco-cp-8841-3pcc").json()
                .path("provisioning").path("password").asText();
        api.bind(accountId, mac, user.get("id"));
        assertThat(sipPassword).hasSizeGreaterThanOrEqualTo(16);

        HttpResponse<String> page = loggedIn("ops").get("/admin/accounts/" + accountId + "/devices/" + mac);

        assertThat(page.statusCode()).isEqualTo(200);
        String text = shown(page.body());
        assertThat(text).contains("<h2>Configuration</h2>", mac + ".xml", "<Password_1_ ua=\"na\">********</Password_1_>",
                "--pwd ********]", "<Admin_Password ua=\"na\">********</Admin_Password>", sipUsername, "+14155552671");
        for (String secret : new String[] {sipPassword, provisioningPassword, adminPassword, "adm&amp;&lt;n"}) {
            assertThat(page.body()).doesNotContain(secret);
            assertThat(text).doesNotContain(secret);
        }
    }

    @Test
    void devicePageOfAnUnboundDeviceShowsItsLineOffAndStillNoSecret() throws Exception {
        String accountId = api.createAccount(unique("Unbound "));
        String mac = "001565ab0001";
        String provisioningPassword = api.createDevice(accountId, mac, "yealink-t46s").json()
                .path("provisioning").path("password").asText();

        String page = loggedIn("ops").get("/admin/accounts/" + accountId + "/devices/" + mac).body();

        assertThat(shown(page)).contains(mac + ".cfg", mac + ".boot", "account.1.enable = 0\naccount.1.label = Desk\n");
        assertThat(page).doesNotContain(provisioningPassword);
    }

    @Test
    void operatorAdoptsADiscoveredDeviceIntoTheAccountWithTheModelChosen() throws Exception {
        String accountId = api.createAccount(unique("Adopt "));
        String mac = "0004f2d0cafe";
        server.phone().get("/" + mac + "-user.cfg",
                Map.of("User-Agent", "FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477 Type/Application"));
        Trees.await("sighting recorded", () -> discovered().contains(mac));
        PortalClient ops = loggedIn("ops");

        String list = ops.get("/admin/accounts/" + accountId + "/discovered").body();
        assertThat(list).contains(mac, "VVX_500 5.9.7.4477", "<option value=\"polycom-vvx500\" selected>");
        HttpResponse<String> noModel = ops.post("/admin/accounts/" + accountId + "/discovered/" + mac,
                Map.of("model", "no-such-model"));
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(noModel.body()).contains("id=\"e-model-" + mac + "\"");
        assertThat(api.get("/accounts/" + accountId + "/devices/" + mac).status()).isEqualTo(404);

        HttpResponse<String> adopted = ops.post("/admin/accounts/" + accountId + "/discovered/" + mac,
                Map.of("model", "polycom-vvx600", "label", "Lobby"));

        assertThat(adopted.statusCode()).as(adopted.body()).isEqualTo(200);
        assertThat(adopted.body()).contains("Device adopted", "id=\"prov-password\"");
        AdminClient.Reply device = api.get("/accounts/" + accountId + "/devices/" + mac);
        assertThat(device.status()).isEqualTo(200);
        assertThat(device.get("model")).isEqualTo("polycom-vvx600");
        assertThat(device.get("label")).isEqualTo("Lobby");
        assertThat(discovered()).doesNotContain(mac);
        assertThat(api.get("/audit?limit=200").text()).contains("device.create", "admin:ops");
    }

    @Test
    void anAccountsAdminSeesNoDiscoveredDevicesAndCannotAdopt() throws Exception {
        String accountId = api.createAccount(unique("NoAdopt "));
        String admin = unique("adm");
        administrator(admin, "admin", accountId);
        PortalClient client = loggedIn(admin);

        assertThat(client.get("/admin/accounts/" + accountId + "/discovered").statusCode()).isEqualTo(403);
        assertThat(client.post("/admin/accounts/" + accountId + "/discovered/0004f2d0beef",
                Map.of("model", "polycom-vvx500")).statusCode()).isEqualTo(403);
        assertThat(client.get("/admin/accounts/" + accountId + "/devices").body()).doesNotContain("Discovered devices");
    }

    @Test
    void accountAdminAddsATechnicianWhoLogsInWithTheOneTimePasswordShownOnce() throws Exception {
        String accountId = api.createAccount(unique("People "));
        String otherAccount = api.createAccount(unique("Others "));
        String admin = unique("boss");
        administrator(admin, "admin", accountId);
        PortalClient client = loggedIn(admin);
        String page = "/admin/accounts/" + accountId + "/administrators";
        assertThat(client.get(page).body()).contains(admin, "<option value=\"technician\"")
                .doesNotContain("<option value=\"operator\"");

        HttpResponse<String> operator = client.post(page, Map.of("username", unique("sneaky"), "role", "operator"));
        assertThat(operator.statusCode()).isEqualTo(400);
        assertThat(operator.body()).contains("id=\"e-role\"", "must be admin or technician");
        String tech = unique("tech");
        HttpResponse<String> created = client.post(page, Map.of("username", tech, "role", "technician"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        Matcher oneTime = ONE_TIME.matcher(created.body());
        assertThat(oneTime.find()).isTrue();
        choosePassword(tech, oneTime.group(1));
        assertThat(loggedIn(tech).get("/admin").headers().firstValue("Location"))
                .hasValue("/admin/accounts/" + accountId + "/devices");
        assertThat(client.get(page).body()).contains(tech, "technician").doesNotContain(oneTime.group(1));
        assertThat(client.get("/admin/accounts/" + otherAccount + "/administrators").statusCode()).isEqualTo(404);
        assertThat(client.get("/admin/administrators").statusCode()).isEqualTo(403);
        assertThat(loggedIn(tech).get(page).statusCode()).isEqualTo(403);
        assertThat(api.get("/audit?limit=200").text()).contains("administrator.create", "admin:" + admin);
    }

    @Test
    void operatorAddsAnOperatorAndRemovesAnAdministratorButNeverThemselves() throws Exception {
        String accountId = api.createAccount(unique("Remove "));
        String doomed = administrator(unique("gone"), "technician", accountId);
        PortalClient ops = loggedIn("ops");
        String all = ops.get("/admin/administrators").body();
        assertThat(all).contains("ops", "all accounts", accountId);
        String opsId = idOf("ops");

        HttpResponse<String> self = ops.post("/admin/administrators/" + opsId + "/delete", Map.of());
        HttpResponse<String> removed = ops.post("/admin/administrators/" + doomed + "/delete", Map.of());
        HttpResponse<String> added = ops.post("/admin/administrators", Map.of("username", unique("ops"),
                "role", "operator"));

        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(removed.statusCode()).isEqualTo(303);
        assertThat(removed.headers().firstValue("Location")).hasValue("/admin/administrators?done=removed");
        assertThat(api.get("/administrators").text()).doesNotContain(doomed).contains("\"ops\"");
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body()).contains("is added as operator", "id=\"admin-password\"");
    }

    private String idOf(String username) throws Exception {
        for (var item : api.get("/administrators").json().path("items")) {
            if (item.path("username").asText().equals(username)) {
                return item.path("id").asText();
            }
        }
        throw new AssertionError("no administrator " + username + " in " + api.get("/administrators").text());
    }

    private String discovered() {
        try {
            return api.get("/discovered-devices?limit=200").text();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
