package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A technician swaps a broken handset: the user moves, the old handset gets nothing any more. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplaceHandsetTest {

    TestDialtone server;
    AdminClient admin;
    HttpsClient phone;
    String accountId;
    String locationId;
    int serial;
    String oldMac;
    String oldPassword;
    String userId;
    String sipPassword;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new TestDialtone(dir);
        admin = server.admin();
        phone = server.phone();
        accountId = admin.createAccount("Acme");
        locationId = admin.createLocation(accountId, "Europe/Berlin");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @BeforeEach
    void boundHandset() throws Exception {
        serial++;
        oldMac = mac(0x100 + serial);
        AdminClient.Reply user = admin.createUser(accountId, locationId, "user" + serial, "3" + (100 + serial));
        userId = user.get("id");
        sipPassword = user.json().path("sip").path("password").asText();
        oldPassword = admin.createDevice(accountId, oldMac, "yealink-t46s").json().path("provisioning").path("password").asText();
        admin.bind(accountId, oldMac, userId);
        assertThat(phone.getDigest("/" + oldMac + ".cfg", oldMac, oldPassword).statusCode()).isEqualTo(200);
    }

    static String mac(int n) {
        return "0015650%05x".formatted(n);
    }

    private AdminClient.Reply replace(String newMac, String extra) throws Exception {
        return admin.post("/accounts/" + accountId + "/devices/" + oldMac + "/replace",
                "{\"mac\":\"" + newMac + "\",\"model\":\"yealink-t48s\"" + extra + "}");
    }

    @Test
    void newHandsetServesTheSameUserAndTheOldOneGetsNothing() throws Exception {
        String newMac = mac(0x900 + serial);
        assertThat(admin.put("/accounts/" + accountId + "/devices/" + oldMac + "/vars",
                "{\"vars\":{\"ringtone\":\"Ring3.wav\"}}").status()).isEqualTo(200);

        AdminClient.Reply reply = replace(newMac, "");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.get("mac")).isEqualTo(newMac);
        assertThat(reply.get("userId")).isEqualTo(userId);
        assertThat(reply.get("label")).isEqualTo("Desk");
        assertThat(reply.json().path("replaced").path("status").asText()).isEqualTo("retired");
        assertThat(admin.get("/accounts/" + accountId + "/devices/" + newMac + "/vars").json().path("vars")
                .path("ringtone").asText()).isEqualTo("Ring3.wav");
        String newPassword = reply.json().path("provisioning").path("password").asText();
        HttpResponse<String> config = phone.getDigest("/" + newMac + ".cfg", newMac, newPassword);
        assertThat(config.statusCode()).isEqualTo(200);
        String rotated = YealinkConfig.parse(config.body()).get("account.1.password");
        assertThat(rotated).isNotBlank().isNotEqualTo(sipPassword);
        assertThat(config.body()).doesNotContain(sipPassword);

        HttpResponse<String> oldWithOldCredentials = phone.getDigest("/" + oldMac + ".cfg", oldMac, oldPassword);
        HttpResponse<String> unknown = phone.getDigest("/" + mac(0xeeeee) + ".cfg", mac(0xeeeee), oldPassword);
        assertThat(oldWithOldCredentials.statusCode()).isEqualTo(401);
        assertThat(YealinkBootStoryTest.shape(oldWithOldCredentials)).isEqualTo(YealinkBootStoryTest.shape(unknown));
        assertThat(admin.get("/accounts/" + accountId + "/devices/" + oldMac).json().path("userId").isNull()).isTrue();
    }

    @Test
    void keepSipPasswordKeepsIt() throws Exception {
        String newMac = mac(0xa00 + serial);

        AdminClient.Reply reply = replace(newMac, ",\"keepSipPassword\":true");

        String newPassword = reply.json().path("provisioning").path("password").asText();
        HttpResponse<String> config = phone.getDigest("/" + newMac + ".cfg", newMac, newPassword);
        assertThat(YealinkConfig.parse(config.body())).containsEntry("account.1.password", sipPassword);
    }

    @Test
    void repeatingTheRequestReturnsTheSameOutcomeWithoutASecondDevice() throws Exception {
        String newMac = mac(0xb00 + serial);
        AdminClient.Reply first = replace(newMac, "");

        AdminClient.Reply again = replace(newMac, "");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.get("id")).isEqualTo(first.get("id"));
        assertThat(again.json().has("provisioning")).isFalse();
        assertThat(replace(mac(0xc00 + serial), "").status()).isEqualTo(409);
    }

    @Test
    void concurrentReplacesOfTheSameDeviceHaveExactlyOneWinner() throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> calls = List.of(
                    () -> { barrier.await(); return replace(mac(0xd00 + serial), "").status(); },
                    () -> { barrier.await(); return replace(mac(0xe00 + serial), "").status(); });
            List<Integer> statuses = pool.invokeAll(calls).stream().map(ReplaceHandsetTest::join).sorted().toList();

            assertThat(statuses).containsExactly(201, 409);
        } finally {
            pool.shutdownNow();
        }
        long bound = admin.get("/accounts/" + accountId + "/devices?limit=200").json().path("items").findValuesAsText("userId")
                .stream().filter(userId::equals).count();
        assertThat(bound).isEqualTo(1);
    }

    private static int join(Future<Integer> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anotherAccountsDeviceIsNotFound() throws Exception {
        String other = admin.createAccount("Other");
        String otherMac = mac(0xf00 + serial);
        admin.createDevice(other, otherMac, "yealink-t46s");

        AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/devices/" + otherMac + "/replace",
                "{\"mac\":\"" + mac(0xf10 + serial) + "\",\"model\":\"yealink-t46s\"}");
        AdminClient.Reply intoOther = replace(otherMac, "");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(intoOther.status()).isEqualTo(409);
    }

    @Test
    void aMacBoundToAnotherUserIsAConflict() throws Exception {
        String busyMac = mac(0xf20 + serial);
        admin.createDevice(accountId, busyMac, "yealink-t46s");
        String otherUser = admin.createUser(accountId, locationId, "other" + serial, "4" + (100 + serial)).get("id");
        admin.bind(accountId, busyMac, otherUser);

        assertThat(replace(busyMac, "").status()).isEqualTo(409);
        assertThat(admin.get("/accounts/" + accountId + "/devices/" + oldMac).get("status")).isEqualTo("active");
    }

    @Test
    void retiredDeviceCanBeBoundAgainOnlyAfterReactivation() throws Exception {
        replace(mac(0xf30 + serial), "");

        assertThat(admin.put("/accounts/" + accountId + "/devices/" + oldMac + "/user",
                "{\"userId\":\"" + userId + "\"}").status()).isEqualTo(409);
        AdminClient.Reply reactivated = admin.post("/accounts/" + accountId + "/devices/" + oldMac + "/reactivate", null);
        assertThat(reactivated.status()).isEqualTo(200);
        String password = reactivated.json().path("provisioning").path("password").asText();
        assertThat(password).isNotEqualTo(oldPassword);
        assertThat(phone.getDigest("/" + oldMac + ".cfg", oldMac, oldPassword).statusCode()).isEqualTo(401);
        assertThat(phone.getDigest("/" + oldMac + ".cfg", oldMac, password).statusCode()).isEqualTo(200);
    }
}
