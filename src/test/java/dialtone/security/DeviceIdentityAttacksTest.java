package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import dialtone.testing.VendorPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** SECURITY.md "Device identity", lines 1 and 3-8, against a real server with a test vendor PKI. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceIdentityAttacksTest {

    static final String MAC_A = "0015654aa001";
    static final String MAC_B = "0015654aa002";
    static final String MAC_CERT = "0015654aa003";
    static final String UNKNOWN = "0015654affff";

    @TempDir
    static Path dir;
    TestDialtone server;
    LogCapture logs;
    AdminClient admin;
    HttpsClient phone;
    VendorPki yealink;
    VendorPki.Identity revoked;
    String accountId;
    String passwordA;
    String passwordB;
    String sipPasswordA;

    @BeforeAll
    void start() throws Exception {
        logs = new LogCapture();
        Path vendors = dir.resolve("vendors");
        yealink = new VendorPki("testyealink");
        yealink.install(vendors, """
                vendor: Test Yealink
                mac-in: cn
                generic-subjects: ["Yealink Generic.*"]
                """);
        revoked = yealink.device("CN=" + MAC_CERT);
        yealink.revoke(revoked, vendors);
        // Budget high: this class attacks from one address on purpose; throttling has its own tests.
        server = new TestDialtone(dir, Map.of("DIALTONE_PHONE_HTTP_PORT", "0",
                "DIALTONE_THROTTLE_SLOW_AFTER", "100000", "DIALTONE_THROTTLE_REFUSE_AFTER", "100000"));
        admin = server.admin();
        phone = server.phone();
        accountId = admin.createAccount("Acme");
        String locationId = admin.createLocation(accountId, "Europe/Paris");
        AdminClient.Reply ada = admin.createUser(accountId, locationId, "ada", "101");
        sipPasswordA = ada.json().path("sip").path("password").asText();
        passwordA = admin.createDevice(accountId, MAC_A, "yealink-t46s").json().path("provisioning").path("password").asText();
        passwordB = admin.createDevice(accountId, MAC_B, "yealink-t46s").json().path("provisioning").path("password").asText();
        admin.createDevice(accountId, MAC_CERT, "yealink-t46s");
        admin.bind(accountId, MAC_A, ada.get("id"));
    }

    @AfterAll
    void stop() {
        server.close();
        logs.close();
    }

    /** Status, header names and values (the Digest nonce and opaque are random per answer) and body. */
    static String signature(HttpResponse<String> r) {
        StringBuilder out = new StringBuilder().append(r.statusCode()).append('\n');
        r.headers().map().forEach((name, values) -> out.append(name.toLowerCase()).append(": ").append(values.stream()
                .map(v -> v.replaceAll("nonce=\"[^\"]*\"", "nonce=*").replaceAll("opaque=\"[^\"]*\"", "opaque=*"))
                .toList()).append('\n'));
        return out.append(r.body()).toString();
    }

    HttpResponse<String> withCertificate(VendorPki.Identity identity, String path) throws Exception {
        return server.phone(VendorPki.clientContext(server.certificate(), identity)).get(path);
    }

    @Test
    void secretFileWithoutProofIsChallengedWithZeroConfigBytesAndLogged() throws Exception {
        HttpResponse<String> r = phone.get("/" + MAC_A + ".cfg");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate")).anyMatch(h -> h.startsWith("Digest "));
        assertThat(r.body()).isEqualTo("authentication required\n").doesNotContain("account.1").doesNotContain(sipPasswordA);
        assertThat(logs.lines()).anyMatch(l -> l.startsWith("phone-request ip=127.0.0.1 method=GET path=/" + MAC_A
                + ".cfg status=401 mac=" + MAC_A + " reason=no-credentials"));
    }

    @Test
    void digestAnswerReplayedWhileItsNonceIsFreshIsChallengedAgainWithZeroConfigBytes() throws Exception {
        String path = "/" + MAC_A + ".cfg";
        String challenge = phone.get(path).headers().allValues("WWW-Authenticate").stream()
                .filter(h -> h.startsWith("Digest ")).findFirst().orElseThrow();
        String captured = HttpsClient.digestAuthorization(challenge, "GET", path, MAC_A, passwordA);
        HttpResponse<String> original = phone.get(path, Map.of("Authorization", captured));
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.body()).contains(sipPasswordA);

        HttpResponse<String> replayed = phone.get(path, Map.of("Authorization", captured));

        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.body()).isEqualTo("authentication required\n");
        assertThat(replayed.headers().allValues("WWW-Authenticate")).anyMatch(h -> h.startsWith("Digest ")
                && h.endsWith("stale=true"));
        assertThat(logs.lines()).anyMatch(l -> l.startsWith("phone-request ip=127.0.0.1 method=GET path=" + path
                + " status=401 mac=" + MAC_A + " reason=replayed-nonce"));
        // An honest phone that reuses the nonce counts up, and is served.
        HttpResponse<String> counted = phone.get(path, Map.of("Authorization",
                captured.replace("nc=00000001", "nc=00000002").replaceAll("response=\"[0-9a-f]+\"",
                        "response=\"" + countedResponse(challenge, path, "00000002") + "\"")));
        assertThat(counted.statusCode()).isEqualTo(200);
    }

    private String countedResponse(String challenge, String path, String nc) {
        String nonce = challenge.replaceAll(".*nonce=\"([^\"]*)\".*", "$1");
        String ha1 = HttpDigest.md5(MAC_A + ":" + challenge.replaceAll(".*realm=\"([^\"]*)\".*", "$1") + ":" + passwordA);
        return HttpDigest.md5(ha1 + ":" + nonce + ":" + nc + ":0a4f113b:auth:" + HttpDigest.md5("GET:" + path));
    }

    @Test
    void provisioningUsernameTypedFromTheLabelInCapitalsOrWithSeparatorsIsAccepted() throws Exception {
        String path = "/" + MAC_A + ".cfg";
        for (String typed : java.util.List.of("0015654AA001", "00:15:65:4A:A0:01", "00-15-65-4a-a0-01")) {
            assertThat(phone.getDigest(path, typed, passwordA).statusCode()).as("Digest as " + typed).isEqualTo(200);
        }
        // Basic cannot carry a ':' in the username (RFC 7617); the other notations work.
        for (String typed : java.util.List.of("0015654AA001", "00-15-65-4A-A0-01")) {
            assertThat(phone.getBasic(path, typed, passwordA).statusCode()).as("Basic as " + typed).isEqualTo(200);
        }
        // Another device's MAC, however written, is still another user.
        assertThat(phone.getDigest(path, "0015654AA002", passwordA).statusCode()).isEqualTo(401);
        assertThat(phone.getBasic(path, "0015654AA001", passwordB).statusCode()).isEqualTo(401);
    }

    @Test
    void userAgentClaimingAMacNeverAuthenticatesNorSelectsTheDevice() throws Exception {
        String ua = "Yealink SIP-T46S 66.86.0.15 00:15:65:4a:a0:01";
        HttpResponse<String> claimed = phone.get("/" + MAC_A + ".cfg", Map.of("User-Agent", ua));
        assertThat(claimed.statusCode()).isEqualTo(401);
        assertThat(claimed.body()).doesNotContain(sipPasswordA);

        // B's proof with a User-Agent naming A still gets B's (unbound) file, never A's.
        HttpResponse<String> asB = phone.getBasic("/" + MAC_B + ".cfg", MAC_B, passwordB);
        HttpResponse<String> asBClaimingA = phone.get("/" + MAC_B + ".cfg", Map.of("User-Agent", ua,
                "Authorization", basic(MAC_B, passwordB)));
        assertThat(asBClaimingA.statusCode()).isEqualTo(200);
        assertThat(asBClaimingA.body()).isEqualTo(asB.body()).doesNotContain(sipPasswordA);
    }

    @Test
    void deviceAsCredentialsForDeviceBsFileAnswerLikeAnUnknownMac() throws Exception {
        HttpResponse<String> foreign = phone.getBasic("/" + MAC_B + ".cfg", MAC_A, passwordA);
        HttpResponse<String> unknown = phone.getBasic("/" + UNKNOWN + ".cfg", MAC_A, passwordA);
        HttpResponse<String> foreignDigest = phone.getDigest("/" + MAC_B + ".cfg", MAC_A, passwordA);
        HttpResponse<String> unknownDigest = phone.getDigest("/" + UNKNOWN + ".cfg", MAC_A, passwordA);

        assertThat(foreign.statusCode()).isEqualTo(401);
        assertThat(signature(foreign)).isEqualTo(signature(unknown));
        assertThat(signature(foreignDigest)).isEqualTo(signature(unknownDigest)).isEqualTo(signature(foreign));
    }

    @Test
    void vendorCertificateForAnotherMacIsRefusedAndForThisMacProves() throws Exception {
        VendorPki.Identity certForA = yealink.device("CN=" + MAC_A + ", O=Test Yealink");

        HttpResponse<String> own = withCertificate(certForA, "/" + MAC_A + ".cfg");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains(sipPasswordA);

        HttpResponse<String> other = withCertificate(certForA, "/" + MAC_B + ".cfg");
        assertThat(other.statusCode()).isEqualTo(401);
        assertThat(signature(other)).isEqualTo(signature(phone.get("/" + UNKNOWN + ".cfg")));
        assertThat(logs.lines()).anyMatch(l -> l.contains("path=/" + MAC_B + ".cfg status=401")
                && l.contains("reason=certificate-other-mac "));
    }

    @Test
    void genericSelfSignedExpiredAndRevokedCertificatesProveNothing() throws Exception {
        Map<String, VendorPki.Identity> attempts = Map.of(
                "certificate-generic", yealink.device("CN=Yealink Generic " + MAC_A),
                "certificate-untrusted", VendorPki.selfSigned("CN=" + MAC_A),
                "certificate-expired", yealink.device("CN=" + MAC_A, null, Instant.now().minus(Duration.ofDays(30)),
                        Instant.now().minus(Duration.ofDays(1))));
        for (var attempt : attempts.entrySet()) {
            HttpResponse<String> r = withCertificate(attempt.getValue(), "/" + MAC_A + ".cfg");
            assertThat(r.statusCode()).as(attempt.getKey()).isEqualTo(401);
            assertThat(r.body()).doesNotContain(sipPasswordA);
            assertThat(logs.lines()).as(attempt.getKey()).anyMatch(l -> l.contains("reason=" + attempt.getKey() + " "));
        }
        HttpResponse<String> r = withCertificate(revoked, "/" + MAC_CERT + ".cfg");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(logs.lines()).anyMatch(l -> l.contains("mac=" + MAC_CERT) && l.contains("reason=certificate-revoked "));
    }

    @Test
    void secretBearingFileOverPlainHttpIsRefusedWithNoBody() throws Exception {
        assertThat(server.phoneHttpPort()).isPositive();
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + server.phoneHttpPort();
        for (String mac : new String[] {MAC_A, UNKNOWN}) {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(base + "/" + mac + ".cfg"))
                    .header("Authorization", basic(MAC_A, passwordA)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).isEmpty();
        }
        HttpResponse<String> common = plain.send(HttpRequest.newBuilder(URI.create(base + "/y000000000066.cfg")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(common.statusCode()).isEqualTo(200);
        assertThat(logs.lines()).anyMatch(l -> l.contains("status=403") && l.contains("reason=secrets-over-plain-http "));
    }

    @Test
    void generatedSecretsAreLongAndRandom() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String p = admin.post("/accounts/" + accountId + "/devices/" + MAC_B + "/provisioning-password", null)
                    .get("password");
            assertThat(p).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9]+");
            seen.add(p);
        }
        assertThat(seen).hasSize(5);
        assertThat(sipPasswordA).hasSizeGreaterThanOrEqualTo(24);
        assertThat(passwordA).isNotEqualTo(passwordB);
    }

    @Test
    void accountPolicyLimitsProofsAndSources() throws Exception {
        String other = admin.createAccount("Strict");
        String loc = admin.createLocation(other, "UTC");
        admin.createUser(other, loc, "strict1", "201");
        String mac = "0015654ab001";
        String password = admin.createDevice(other, mac, "yealink-t46s").json().path("provisioning").path("password").asText();
        assertThat(phone.getBasic("/" + mac + ".cfg", mac, password).statusCode()).isEqualTo(200);

        AdminClient.Reply set = admin.put("/accounts/" + other + "/security-policy",
                "{\"proofs\":[\"certificate\",\"digest\"],\"allowedSources\":[\"127.0.0.0/8\"]}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(phone.getBasic("/" + mac + ".cfg", mac, password).statusCode()).isEqualTo(401);
        assertThat(phone.getDigest("/" + mac + ".cfg", mac, password).statusCode()).isEqualTo(200);

        admin.put("/accounts/" + other + "/security-policy", "{\"allowedSources\":[\"10.0.0.0/8\"]}");
        assertThat(phone.getDigest("/" + mac + ".cfg", mac, password).statusCode()).isEqualTo(401);
        assertThat(logs.lines()).anyMatch(l -> l.contains("mac=" + mac) && l.contains("reason=source-not-allowed "));

        AdminClient.Reply bad = admin.put("/accounts/" + other + "/security-policy",
                "{\"proofs\":[\"telepathy\"],\"allowedSources\":[\"10.0.0.0/33\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("\"field\":\"proofs\"").contains("\"field\":\"allowedSources\"");
        assertThat(admin.get("/accounts/" + other + "/security-policy").json().path("allowedSources").get(0).asText())
                .isEqualTo("10.0.0.0/8");
    }

    @Test
    void nextProvisioningPasswordWorksAlongsideTheCurrentUntilFirstUsed() throws Exception {
        String mac = "0015654ac001";
        String current = admin.createDevice(accountId, mac, "yealink-t46s").json().path("provisioning").path("password").asText();
        AdminClient.Reply rotated = admin.post("/accounts/" + accountId + "/devices/" + mac + "/provisioning-password", null);
        assertThat(rotated.status()).isEqualTo(200);
        String next = rotated.get("password");

        assertThat(phone.getDigest("/" + mac + ".cfg", mac, current).statusCode()).isEqualTo(200);
        assertThat(phone.getDigest("/" + mac + ".cfg", mac, current).statusCode()).isEqualTo(200);
        assertThat(phone.getDigest("/" + mac + ".cfg", mac, next).statusCode()).isEqualTo(200);
        // First use of the next password retired the old one.
        assertThat(phone.getDigest("/" + mac + ".cfg", mac, current).statusCode()).isEqualTo(401);
        assertThat(phone.getDigest("/" + mac + ".cfg", mac, next).statusCode()).isEqualTo(200);
        assertThat(admin.get("/audit?accountId=" + accountId).text())
                .contains("device.provisioning-password.rotate").contains("device.provisioning-password.promote")
                .doesNotContain(next).doesNotContain(current);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }
}
