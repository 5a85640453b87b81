package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.config.DialtoneConfig;
import dialtone.testing.AdminClient;
import dialtone.testing.LogCapture;
import dialtone.testing.SipResponder;
import dialtone.testing.TestDialtone;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An administrator tries to make the server send SIP NOTIFYs to loopback, link-local (cloud metadata),
 * multicast or unspecified addresses, to names (to learn whether they resolve) or outside the operator's
 * networks; and one account's unreachable phones try to starve another account's resyncs. Every refused
 * target is refused by the API before anything is sent; only 127.0.0.1 ever receives a packet here.
 */
class ResyncTargetAttacksTest {

    static final List<String> HOSTILE = List.of("sip:x@127.0.0.1:5060", "sip:x@127.0.0.53", "sip:x@[::1]:5060",
            "sip:x@169.254.169.254:80", "sip:x@[fe80::1]", "sip:x@224.0.0.1", "sip:x@239.255.255.250:1900",
            "sip:x@0.0.0.0", "sip:x@[::]", "sip:x@255.255.255.255", "sip:x@[::ffff:127.0.0.1]",
            "sip:x@[64:ff9b::a9fe:a9fe]", "sip:x@[2002:7f00:1::1]", "sip:x@localhost", "sip:x@metadata.google.internal",
            "sip:x@no-such-host.invalid", "sip:x@8.8.8.8", "sip:x@192.0.2.10", "sips:x@[2001:db8::1]:5061",
            "not a uri");

    @Test
    void sipContactRefusesEveryForbiddenTargetWithOneReasonAndChangesNothing(@TempDir Path dir) throws Exception {
        try (TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_RESYNC_ALLOWED_NETWORKS",
                String.join(",", DialtoneConfig.Resync.DEFAULT_ALLOWED_NETWORKS)))) {
            AdminClient admin = server.admin();
            String account = admin.createAccount("Acme");
            String mac = "001565dd0001";
            admin.createDevice(account, mac, "yealink-t46s");
            List<String> answers = new ArrayList<>();

            for (String contact : HOSTILE) {
                AdminClient.Reply reply = admin.patch("/accounts/" + account + "/devices/" + mac,
                        "{\"sipContact\":\"" + contact + "\"}");
                assertThat(reply.status()).as(contact).isEqualTo(400);
                assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("sipContact");
                answers.add(reply.text());
            }

            assertThat(answers.stream().distinct()).as("one answer for all: nothing to probe with").hasSize(1);
            assertThat(answers.get(0)).contains("resync.allowed-networks").doesNotContain("resolve");
            assertThat(admin.get("/accounts/" + account + "/devices/" + mac).json().path("sipContact").isNull()).isTrue();
            assertThat(admin.patch("/accounts/" + account + "/devices/" + mac,
                    "{\"sipContact\":\"sip:ada@10.20.30.40:5062\"}").status()).as("a phone on a private network")
                    .isEqualTo(200);
        }
    }

    @Test
    void aPhoneLastSeenAtAForbiddenAddressIsNotNotified(@TempDir Path dir) throws Exception {
        try (TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_RESYNC_ALLOWED_NETWORKS",
                String.join(",", DialtoneConfig.Resync.DEFAULT_ALLOWED_NETWORKS)));
             LogCapture logs = new LogCapture()) {
            AdminClient admin = server.admin();
            String account = admin.createAccount("Acme");
            String mac = "001565dd0002";
            String password = admin.createDevice(account, mac, "yealink-t46s").json().path("provisioning")
                    .path("password").asText();
            // The phone fetched its file from 127.0.0.1, so that is where a NOTIFY would go (port 5060).
            assertThat(server.phone().getBasic("/" + mac + ".cfg", mac, password).statusCode()).isEqualTo(200);

            AdminClient.Reply one = admin.post("/accounts/" + account + "/devices/" + mac + "/resync", null);
            AdminClient.Reply all = admin.post("/accounts/" + account + "/resync", null);

            assertThat(one.status()).isEqualTo(409);
            assertThat(one.json().path("errors").get(0).path("reason").asText())
                    .isEqualTo("the device's NOTIFY target is not an address the operator allows (resync.allowed-networks)");
            assertThat(all.status()).isEqualTo(202);
            assertThat(all.json().path("devices").asInt()).isZero();
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("resync mac=" + mac + " target=sip:127.0.0.1:5060 refused"))
                    .noneMatch(l -> l.startsWith("resync mac=" + mac) && l.contains("transmissions="));
        }
    }

    @Test
    void oneAccountsUnansweredNotifiesUseItsOwnBudgetOnly(@TempDir Path dir) throws Exception {
        try (TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_RESYNC_T1_MS", "50",
                "DIALTONE_RESYNC_WAITS_PER_ACCOUNT", "1"));
             DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             SipResponder phone = new SipResponder()) {
            AdminClient admin = server.admin();
            String noisy = admin.createAccount("Noisy");
            String quiet = admin.createAccount("Quiet");
            String dead = device(admin, noisy, "001565dd0010", silent.getLocalPort());
            String alive = device(admin, noisy, "001565dd0011", phone.port());
            String other = device(admin, quiet, "001565dd0020", phone.port());

            CompletableFuture<AdminClient.Reply> waiting = CompletableFuture.supplyAsync(() -> call(() ->
                    admin.post("/accounts/" + noisy + "/devices/" + dead + "/resync", null)));
            silent.setSoTimeout(30_000);
            silent.receive(new DatagramPacket(new byte[4096], 4096));

            AdminClient.Reply sameAccount = admin.post("/accounts/" + noisy + "/devices/" + alive + "/resync", null);
            AdminClient.Reply otherAccount = admin.post("/accounts/" + quiet + "/devices/" + other + "/resync", null);

            assertThat(sameAccount.status()).isEqualTo(503);
            assertThat(sameAccount.raw().headers().firstValue("Retry-After")).isPresent();
            assertThat(otherAccount.status()).isEqualTo(200);
            assertThat(otherAccount.json().path("status").asInt()).isEqualTo(200);
            assertThat(admin.get("/accounts").status()).as("the API answers while a NOTIFY waits").isEqualTo(200);
            AdminClient.Reply timedOut = waiting.get(60, TimeUnit.SECONDS);
            assertThat(timedOut.status()).isEqualTo(200);
            assertThat(timedOut.json().path("timedOut").asBoolean()).isTrue();
            assertThat(admin.post("/accounts/" + noisy + "/devices/" + alive + "/resync", null).status())
                    .as("the budget is back once the wait is over").isEqualTo(200);
        }
    }

    private static String device(AdminClient admin, String account, String mac, int port) throws Exception {
        admin.createDevice(account, mac, "yealink-t46s");
        assertThat(admin.patch("/accounts/" + account + "/devices/" + mac,
                "{\"sipContact\":\"sip:" + mac + "@127.0.0.1:" + port + "\"}").status()).isEqualTo(200);
        return mac;
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
