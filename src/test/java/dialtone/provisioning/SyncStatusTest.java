package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device status (last file, ETag, inSync) and the per-account automatic resync that builds on it. */
class SyncStatusTest {

    static final String MAC = "001565cc0001";

    @TempDir
    Path dir;

    @Test
    void inSyncFollowsChangesToWhatTheDeviceWouldGet() throws Exception {
        try (TestDialtone server = new TestDialtone(dir)) {
            AdminClient admin = server.admin();
            HttpsClient phone = server.phone();
            String a = admin.createAccount("Acme");
            String user = admin.createUser(a, admin.createLocation(a, "America/New_York"), "ada", "101").get("id");
            String password = admin.createDevice(a, MAC, "yealink-t46s").json().path("provisioning").path("password").asText();
            admin.bind(a, MAC, user);
            String device = "/accounts/" + a + "/devices/" + MAC;
            assertThat(admin.get(device).json().path("inSync").isNull()).isTrue();

            String etag = phone.getBasic("/" + MAC + ".cfg", MAC, password).headers().firstValue("ETag").orElseThrow();

            AdminClient.Reply seen = admin.get(device);
            assertThat(seen.json().path("lastSeen").path("etag").asText()).isEqualTo(etag);
            assertThat(seen.json().path("lastSeen").path("file").asText()).isEqualTo("/" + MAC + ".cfg");
            assertThat(seen.json().path("inSync").asBoolean()).isTrue();

            admin.patch("/accounts/" + a + "/users/" + user, "{\"lastName\":\"Byron\"}");
            assertThat(admin.get(device).json().path("inSync").asBoolean()).isFalse();
            assertThat(admin.get("/accounts/" + a + "/devices").json().path("items").get(0).path("inSync").asBoolean())
                    .isFalse();

            phone.getBasic("/" + MAC + ".cfg", MAC, password);
            assertThat(admin.get(device).json().path("inSync").asBoolean()).isTrue();
        }
    }

    @Test
    void autoResyncNotifiesOnlyPhonesWhoseFilesChanged() throws Exception {
        try (TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_RESYNC_AUTO_DELAY_MS", "100",
                "DIALTONE_RESYNC_T1_MS", "50"));
             DatagramSocket phoneSip = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            AdminClient admin = server.admin();
            HttpsClient phone = server.phone();
            String a = admin.createAccount("Acme");
            assertThat(admin.patch("/accounts/" + a, "{\"autoResync\":true}").json().path("autoResync").asBoolean()).isTrue();
            String location = admin.createLocation(a, "Europe/Berlin");
            String ada = admin.createUser(a, location, "ada", "101").get("id");
            String bob = admin.createUser(a, location, "bob", "102").get("id");
            String password = admin.createDevice(a, MAC, "yealink-t46s").json().path("provisioning").path("password").asText();
            String other = "001565cc0002";
            String otherPassword = admin.createDevice(a, other, "yealink-t46s").json().path("provisioning").path("password").asText();
            admin.bind(a, MAC, ada);
            admin.bind(a, other, bob);
            for (String mac : new String[] {MAC, other}) {
                admin.patch("/accounts/" + a + "/devices/" + mac,
                        "{\"sipContact\":\"sip:" + mac + "@127.0.0.1:" + phoneSip.getLocalPort() + "\"}");
            }
            phone.getBasic("/" + MAC + ".cfg", MAC, password);
            phone.getBasic("/" + other + ".cfg", other, otherPassword);

            admin.patch("/accounts/" + a + "/users/" + ada, "{\"firstName\":\"Augusta\"}");

            phoneSip.setSoTimeout(5000);
            byte[] buffer = new byte[4096];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            phoneSip.receive(packet);
            String notify = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            assertThat(notify).startsWith("NOTIFY sip:" + MAC + "@127.0.0.1:" + phoneSip.getLocalPort() + " SIP/2.0")
                    .contains("Event: check-sync;reboot=false");
            phoneSip.setSoTimeout(300);
            boolean otherNotified = false;
            try {
                while (true) {
                    DatagramPacket more = new DatagramPacket(buffer, buffer.length);
                    phoneSip.receive(more);
                    otherNotified |= new String(more.getData(), 0, more.getLength(), StandardCharsets.UTF_8)
                            .startsWith("NOTIFY sip:" + other);
                }
            } catch (java.net.SocketTimeoutException done) {
                assertThat(otherNotified).as("the phone whose files did not change").isFalse();
            }
        }
    }
}
