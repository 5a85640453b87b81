package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A technician holds the credentials of every device it installs: it must not be able to turn that into other
 * users' SIP passwords, re-key devices, or read the variables that hold the phones' admin password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TechnicianScopeTest {

    TestDialtone server;
    AdminClient admin;
    AdminClient technician;
    HttpsClient phone;
    String accountId;
    String locationId;
    int serial;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new TestDialtone(dir);
        admin = server.admin();
        phone = server.phone();
        accountId = admin.createAccount("Acme");
        locationId = admin.createLocation(accountId, "Europe/Berlin");
        technician = admin.withToken(admin.post("/tokens", "{\"role\":\"technician\",\"accountId\":\"" + accountId
                + "\",\"name\":\"van 7\"}").get("token"));
        admin.put("/accounts/" + accountId + "/vars", "{\"vars\":{\"admin_password\":\"s3cret-admin\"}}");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String user() throws Exception {
        serial++;
        return admin.createUser(accountId, locationId, "tech" + serial, "4" + (100 + serial)).get("id");
    }

    private String device(int n) {
        return "0015651%05x".formatted(n);
    }

    /** A device bound to a new user that has fetched its file: a working phone. Returns the device's password. */
    private String workingPhone(String mac, String userId) throws Exception {
        String password = admin.createDevice(accountId, mac, "yealink-t46s").json().path("provisioning")
                .path("password").asText();
        admin.bind(accountId, mac, userId);
        assertThat(phone.getDigest("/" + mac + ".cfg", mac, password).statusCode()).isEqualTo(200);
        return password;
    }

    @Test
    void technicianCannotReadVariables() throws Exception {
        String mac = device(1);
        admin.createDevice(accountId, mac, "yealink-t46s");
        assertThat(technician.get("/accounts/" + accountId + "/vars").status()).isEqualTo(403);
        assertThat(technician.get("/accounts/" + accountId + "/devices/" + mac + "/vars").status()).isEqualTo(403);
        assertThat(technician.get("/accounts/" + accountId + "/vars").text()).doesNotContain("s3cret-admin");
    }

    @Test
    void technicianCannotBindADeviceThatHasFetchedItsFilesToAnotherUser() throws Exception {
        String first = user();
        String mac = device(2);
        workingPhone(mac, first);
        technician.delete("/accounts/" + accountId + "/devices/" + mac + "/user");
        String second = user();
        AdminClient.Reply bind = technician.put("/accounts/" + accountId + "/devices/" + mac + "/user",
                "{\"userId\":\"" + second + "\"}");
        assertThat(bind.status()).isEqualTo(403);
        assertThat(admin.get("/accounts/" + accountId + "/devices/" + mac).json().path("userId").isNull()).isTrue();
    }

    @Test
    void technicianCannotBindToAUserWhosePhoneWorks() throws Exception {
        String user = user();
        workingPhone(device(3), user);
        String spare = device(4);
        admin.createDevice(accountId, spare, "yealink-t46s");
        assertThat(technician.put("/accounts/" + accountId + "/devices/" + spare + "/user",
                "{\"userId\":\"" + user + "\"}").status()).isEqualTo(403);
        assertThat(technician.put("/accounts/" + accountId + "/users/" + user + "/device",
                "{\"mac\":\"" + spare + "\"}").status()).isEqualTo(403);
    }

    @Test
    void technicianInstallsANewPhoneForAUserWithoutOne() throws Exception {
        String user = user();
        String mac = device(5);
        admin.createDevice(accountId, mac, "yealink-t46s");
        assertThat(technician.put("/accounts/" + accountId + "/devices/" + mac + "/user",
                "{\"userId\":\"" + user + "\"}").status()).isEqualTo(200);
    }

    @Test
    void replaceNeverReKeysAnExistingDevice() throws Exception {
        String user = user();
        String old = device(6);
        workingPhone(old, user);
        String spare = device(7);
        String sparePassword = admin.createDevice(accountId, spare, "yealink-t46s").json().path("provisioning")
                .path("password").asText();
        AdminClient.Reply replaced = technician.post("/accounts/" + accountId + "/devices/" + old + "/replace",
                "{\"mac\":\"" + spare + "\"}");
        assertThat(replaced.status()).isEqualTo(201);
        assertThat(replaced.json().has("provisioning")).isFalse();
        assertThat(phone.getDigest("/" + spare + ".cfg", spare, sparePassword).statusCode()).isEqualTo(200);
    }

    @Test
    void replaceOntoADeviceThatHasFetchedItsFilesIsRefused() throws Exception {
        String user = user();
        String old = device(8);
        workingPhone(old, user);
        String other = device(9);
        String otherPassword = workingPhone(other, user());
        admin.delete("/accounts/" + accountId + "/devices/" + other + "/user");
        AdminClient.Reply replaced = technician.post("/accounts/" + accountId + "/devices/" + old + "/replace",
                "{\"mac\":\"" + other + "\",\"keepSipPassword\":true}");
        assertThat(replaced.status()).isEqualTo(409);
        assertThat(replaced.text()).doesNotContain(otherPassword);
        assertThat(admin.get("/accounts/" + accountId + "/devices/" + old).json().path("status").asText())
                .isEqualTo("active");
    }
}
