package dialtone.pbx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dialtone.testing.AdminClient;
import dialtone.testing.Await;
import dialtone.testing.TestDialtone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
 * The shipped Kamailio configuration against a real Dialtone, with sipp as phones and as the PSTN gateway: phones
 * register with the credentials of their own phone files, calls reach registered users by extension, and calls to
 * unregistered users follow their unreachable forward.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KamailioEndToEndTest {

    static final String DOMAIN = "dialtone.test";
    static final int CACHE_SECONDS = 10;
    @TempDir
    static Path dir;
    TestDialtone server;
    TcpRelay directoryLine;
    Kamailio kamailio;
    Sipp sipp;
    AdminClient operator;
    String account;
    String location;
    int gatewayPort;
    final AtomicInteger users = new AtomicInteger();

    /** What a phone knows after fetching its file: its SIP identity, registrar and password. */
    record Phone(String userId, String extension, String username, String domain, String password, String registrar,
                 String realm, String mac, String provisioningPassword) {}

    @BeforeAll
    void start() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) {
            assumeThat(Kamailio.BINARY).as("kamailio (Debian kamailio, kamailio-utils-modules, kamailio-json-modules;"
                    + " installed by .ci/run) is not installed here: skipping the Kamailio end-to-end test").exists();
            assumeThat(Sipp.BINARY).as("sipp (Debian sip-tester, installed by .ci/run) is not installed here").exists();
        }
        assertThat(Kamailio.BINARY).as("CI must have kamailio").exists();
        int kamailioPort = Sipp.freeUdpPort();
        gatewayPort = Sipp.freeUdpPort();
        server = new TestDialtone(dir.resolve("dialtone"));
        directoryLine = new TcpRelay(server.pbxPort());
        operator = server.admin();
        account = operator.createAccount("Acme");
        location = operator.createLocation(account, "UTC");
        AdminClient.Reply sip = operator.patch("/accounts/" + account, """
                {"sip":{"domain":"%s","registrar":"127.0.0.1","port":%d,"transport":"udp"}}"""
                .formatted(DOMAIN, kamailioPort));
        assertThat(sip.status()).as(sip.text()).isEqualTo(200);
        AdminClient.Reply token = operator.post("/tokens", """
                {"role":"pbx","name":"kamailio","accountIds":["%s"],"allowedSources":["127.0.0.1/32"]}"""
                .formatted(account));
        assertThat(token.status()).as(token.text()).isEqualTo(201);
        Path kamailioDir = Files.createDirectories(dir.resolve("kamailio"));
        kamailio = Kamailio.start(kamailioDir, kamailioPort,
                "https://127.0.0.1:" + directoryLine.port() + "/pbx/v1", server.certificate(), token.get("token"),
                "127.0.0.1:" + gatewayPort, CACHE_SECONDS);
        sipp = new Sipp(Files.createDirectories(dir.resolve("sipp")), kamailioPort);
    }

    @AfterAll
    void stop() {
        if (kamailio != null) {
            kamailio.close();
        }
        if (directoryLine != null) {
            directoryLine.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A user created through Dialtone, with a Linphone device bound to it, and what its phone file says. */
    Phone phone(String extra) throws Exception {
        int n = users.incrementAndGet();
        String extension = Integer.toString(200 + n);
        AdminClient.Reply user = operator.post("/accounts/" + account + "/users", """
                {"firstName":"User","lastName":"%d","username":"user%d","email":"user%d@example.com",
                 "extension":"%s","locationId":"%s"%s}""".formatted(n, n, n, extension, location, extra));
        assertThat(user.status()).as(user.text()).isEqualTo(201);
        String mac = "0a0b0c0d%04x".formatted(n);
        String provisioning = operator.createDevice(account, mac, "linphone-desktop").json()
                .at("/provisioning/password").asText();
        operator.bind(account, mac, user.get("id"));
        return fromPhoneFile(user.get("id"), extension, mac, provisioning);
    }

    Phone fromPhoneFile(String userId, String extension, String mac, String provisioningPassword) throws Exception {
        var response = server.phone().getDigest("/linphone/" + mac + ".xml", mac, provisioningPassword);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, String> entries = new HashMap<>();
        Matcher m = Pattern.compile("<entry name=\"([a-z_]+)\" overwrite=\"true\">([^<]*)</entry>")
                .matcher(response.body());
        while (m.find()) {
            entries.put(m.group(1), m.group(2).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                    .replace("&amp;", "&"));
        }
        Matcher identity = Pattern.compile("<sip:([^@]+)@([^>]+)>").matcher(entries.get("reg_identity"));
        assertThat(identity.find()).as(entries.toString()).isTrue();
        // Where the phone sends its REGISTER: the outbound proxy (reg_route) when the domain is not the registrar.
        String route = entries.getOrDefault("reg_route", "");
        return new Phone(userId, extension, identity.group(1), identity.group(2), entries.get("passwd"),
                route.isEmpty() ? entries.get("reg_proxy") : route, entries.get("realm"), mac, provisioningPassword);
    }

    Sipp.Run register(Phone phone, String password, int... expected) throws Exception {
        return sipp.register(phone.username(), phone.domain(), password, Sipp.freeUdpPort(), expected);
    }

    void assertSucceeded(Sipp.Run run) throws Exception {
        assertThat(run.succeeded()).as(() -> {
            try {
                return run.trace() + "\n--- kamailio ---\n" + kamailio.log();
            } catch (Exception e) {
                return e.toString();
            }
        }).isTrue();
    }

    @Test
    void phoneShouldRegisterWithTheCredentialsOfItsOwnPhoneFile() throws Exception {
        Phone phone = phone("");

        assertThat(phone.registrar()).startsWith("<sip:127.0.0.1:" + kamailio.port + ";transport=udp");
        assertThat(phone.domain()).isEqualTo(DOMAIN);
        assertThat(phone.realm()).isEqualTo(DOMAIN);
        assertSucceeded(register(phone, phone.password(), 401, 200));
    }

    @Test
    void wrongPasswordShouldBeChallengedAgainThenRefused() throws Exception {
        Phone phone = phone("");

        assertSucceeded(register(phone, phone.password() + "x", 401, 401, 403));
    }

    @Test
    void rotatedSipPasswordShouldReplaceTheOldOneWithoutRestartingKamailio() throws Exception {
        Phone before = phone("");
        assertSucceeded(register(before, before.password(), 401, 200));

        AdminClient.Reply rotated = operator.post("/accounts/" + account + "/users/" + before.userId() + "/sip-password", "");
        assertThat(rotated.status()).isEqualTo(200);
        Phone after = fromPhoneFile(before.userId(), before.extension(), before.mac(), before.provisioningPassword());

        assertThat(after.password()).isNotEqualTo(before.password()).isEqualTo(rotated.get("password"));
        assertSucceeded(register(before, before.password(), 401, 401, 403));
        assertSucceeded(register(after, after.password(), 401, 200));
    }

    @Test
    void inviteToRegisteredUserShouldReachThatUsersPhone() throws Exception {
        Phone caller = phone("");
        Phone callee = phone("");
        int calleePort = Sipp.freeUdpPort();
        assertSucceeded(sipp.register(callee.username(), callee.domain(), callee.password(), calleePort, 401, 200));
        Sipp.Run answering = sipp.answer(calleePort, callee.username());

        Sipp.Run call = sipp.call(caller.username(), caller.domain(), caller.password(), callee.extension());

        assertSucceeded(answering);
        assertSucceeded(call);
    }

    @Test
    void inviteToUnregisteredUserShouldGoToItsUnreachableForwardAndFollowAChange() throws Exception {
        Phone caller = phone("");
        Phone away = phone(",\"unreachableForward\":\"+14155550199\"");

        Sipp.Run gateway = sipp.answer(gatewayPort, "+14155550199");
        assertSucceeded(sipp.call(caller.username(), caller.domain(), caller.password(), away.extension()));
        assertSucceeded(gateway);

        Phone colleague = phone("");
        int colleaguePort = Sipp.freeUdpPort();
        assertSucceeded(sipp.register(colleague.username(), colleague.domain(), colleague.password(), colleaguePort,
                401, 200));
        AdminClient.Reply changed = operator.patch("/accounts/" + account + "/users/" + away.userId(),
                "{\"unreachableForward\":\"" + colleague.extension() + "\"}");
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);

        Sipp.Run colleagueAnswers = sipp.answer(colleaguePort, colleague.username());
        assertSucceeded(sipp.call(caller.username(), caller.domain(), caller.password(), away.extension()));
        assertSucceeded(colleagueAnswers);

        operator.patch("/accounts/" + account + "/users/" + away.userId(), "{\"unreachableForward\":\"+14155550123\"}");
        Sipp.Run newNumber = sipp.answer(gatewayPort, "+14155550123");
        assertSucceeded(sipp.call(caller.username(), caller.domain(), caller.password(), away.extension()));
        assertSucceeded(newNumber);
    }

    @Test
    void unreachableDialtoneShouldLeaveCachedCredentialsForABoundedTimeThenRefuse() throws Exception {
        Phone seen = phone("");
        Phone neverSeen = phone("");
        assertSucceeded(register(seen, seen.password(), 401, 200));

        directoryLine.cut();
        try {
            assertSucceeded(register(seen, seen.password(), 401, 200));
            assertSucceeded(register(neverSeen, neverSeen.password(), 503));
            // Once the cached answer is older than the configured bound, the seen phone is refused too.
            Await.until("cached credentials to expire", () -> register(seen, seen.password(), 503).succeeded(),
                    refused -> refused);
        } finally {
            directoryLine.restore();
        }
        assertSucceeded(register(neverSeen, neverSeen.password(), 401, 200));
        assertThat(kamailio.log()).contains("Dialtone directory unreachable");
    }
}
