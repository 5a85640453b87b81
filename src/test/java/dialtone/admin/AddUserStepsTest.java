package dialtone.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.StoredUser;
import dialtone.testing.TestDialtone;
import dialtone.testing.Wavs;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steps 1-4 of adding a user, and the setup progress, through the real admin API. */
class AddUserStepsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static TestDialtone server;
    static AdminClient admin;
    static HttpsClient http;
    static String token;
    static String accountId;
    static String otherAccountId;
    static String hq;
    static String branch;
    static int counter;

    @BeforeAll
    static void start() throws Exception {
        server = new TestDialtone(dir);
        admin = server.admin();
        token = server.operatorToken();
        http = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate());
        accountId = admin.createAccount("Acme");
        otherAccountId = admin.createAccount("Other");
        hq = admin.createLocation(accountId, "America/Chicago");
        branch = created(admin.post("/accounts/" + accountId + "/locations", """
                {"name":"Branch","address":{"street":"9 Harbor Rd","city":"Portland","region":"ME",
                 "postalCode":"04101-1234","country":"US"},"timeZone":"America/New_York"}""")).get("id");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static AdminClient.Reply created(AdminClient.Reply reply) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply;
    }

    private static String newUser() throws Exception {
        counter++;
        return admin.createUser(accountId, hq, "user" + counter, Integer.toString(200 + counter)).get("id");
    }

    private static String path(String userId, String step) {
        return "/accounts/" + accountId + "/users/" + userId + "/" + step;
    }

    private static void assertProblem(AdminClient.Reply reply, int status, String field, String reason) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(errors(reply.json())).contains(field + ": " + reason);
    }

    /** The problem's field errors as "field: reason" lines. */
    private static java.util.List<String> errors(JsonNode problem) {
        java.util.List<String> out = new java.util.ArrayList<>();
        problem.path("errors").forEach(e -> out.add(e.path("field").asText() + ": " + e.path("reason").asText()));
        return out;
    }

    // --- step 1: PIN rules through the API

    @Test
    void authorizedUserNeedsAPinThatIsNotARepeatedDigitOrAStraightRun() throws Exception {
        for (String pin : new String[] {"1111", "1234", "9876"}) {
            AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/users", """
                    {"firstName":"Pat","lastName":"Lee","username":"pat","email":"pat@example.com",
                     "extension":"150","locationId":"%s","authorizedUser":true,"pin":"%s"}""".formatted(hq, pin));
            assertProblem(reply, 400, "pin", "is too easy to guess (one repeated digit or a straight run)");
        }
        AdminClient.Reply noPin = admin.post("/accounts/" + accountId + "/users", """
                {"firstName":"Pat","lastName":"Lee","username":"pat","email":"pat@example.com",
                 "extension":"150","locationId":"%s","authorizedUser":true}""".formatted(hq));
        assertProblem(noPin, 400, "pin", "is required");
        assertThat(admin.get("/accounts/" + accountId + "/users?limit=200").text()).doesNotContain("\"pat\"");
        AdminClient.Reply ok = admin.post("/accounts/" + accountId + "/users", """
                {"firstName":"Pat","lastName":"Lee","username":"pat","email":"pat@example.com",
                 "extension":"150","locationId":"%s","authorizedUser":true,"pin":"2580"}""".formatted(hq));
        assertThat(ok.status()).as(ok.text()).isEqualTo(201);
        assertThat(ok.text()).doesNotContain("2580");
    }

    // --- step 2: E911

    @Test
    void e911IsPrefilledFromTheLocationUnconfirmedAndCanBeConfirmedAsIs() throws Exception {
        String user = newUser();
        AdminClient.Reply e911 = admin.get(path(user, "e911"));
        assertThat(e911.status()).isEqualTo(200);
        assertThat(e911.json().path("address").path("street").asText()).isEqualTo("1 Main St");
        assertThat(e911.json().path("address").path("postalCode").asText()).isEqualTo("62701");
        assertThat(e911.get("source")).isEqualTo("location");
        assertThat(e911.json().path("confirmed").asBoolean()).isFalse();
        assertThat(setup(user).path("e911Confirmed").asBoolean()).isFalse();

        AdminClient.Reply confirmed = admin.put(path(user, "e911"), "{\"confirmed\":true}");
        assertThat(confirmed.status()).as(confirmed.text()).isEqualTo(200);
        assertThat(confirmed.json().path("confirmed").asBoolean()).isTrue();
        assertThat(confirmed.get("source")).isEqualTo("location");
        assertThat(setup(user).path("e911Confirmed").asBoolean()).isTrue();
    }

    @Test
    void e911OverrideIsValidatedAndABadOneChangesNothing() throws Exception {
        String user = newUser();
        String before = admin.get(path(user, "e911")).text();
        assertProblem(admin.put(path(user, "e911"), """
                {"address":{"street":"5 Elm St","city":"Springfield","region":"IL","postalCode":"6270","country":"US"}}"""),
                400, "address.postalCode", "must be a US ZIP code: 12345 or 12345-6789");
        assertProblem(admin.put(path(user, "e911"), """
                {"address":{"street":"5 Elm St","city":"Springfield","region":"IL","postalCode":"62701","country":"USA"}}"""),
                400, "address.country", "must be an ISO 3166 alpha-2 country code such as US");
        AdminClient.Reply missing = admin.put(path(user, "e911"), """
                {"address":{"city":"Springfield","region":"IL","postalCode":"62701","country":"US"}}""");
        assertProblem(missing, 400, "address.street", "is required");
        assertProblem(admin.put(path(user, "e911"), """
                {"address":{"street":"5 Elm St","city":"Springfield","region":"IL","postalCode":"62701","country":"US",
                 "floor":"3"}}"""), 400, "address.floor", "is not a field of this request or may not be set");
        assertProblem(admin.put(path(user, "e911"), "{\"confirmed\":\"yes\"}"), 400, "confirmed", "must be true or false");
        assertProblem(admin.put(path(user, "e911"), "{}"), 400, "confirmed",
                "send confirmed: true, or an address to override the location's");
        assertThat(admin.get(path(user, "e911")).text()).isEqualTo(before);

        AdminClient.Reply overridden = admin.put(path(user, "e911"), """
                {"address":{"street":"5 Elm St, Suite 300","city":"Springfield","region":"IL","postalCode":"62704-1234",
                 "country":"US"}}""");
        assertThat(overridden.status()).as(overridden.text()).isEqualTo(200);
        assertThat(overridden.get("source")).isEqualTo("override");
        assertThat(overridden.json().path("confirmed").asBoolean()).isTrue();
        assertThat(overridden.json().path("address").path("street").asText()).isEqualTo("5 Elm St, Suite 300");
    }

    @Test
    void locationChangeMovesANonOverriddenAddressAndResetsConfirmationButKeepsAnOverride() throws Exception {
        String follower = newUser();
        admin.put(path(follower, "e911"), "{\"confirmed\":true}");
        String pinned = newUser();
        admin.put(path(pinned, "e911"), """
                {"address":{"street":"7 Oak Ave","city":"Springfield","region":"IL","postalCode":"62702","country":"US"}}""");

        for (String user : new String[] {follower, pinned}) {
            AdminClient.Reply moved = admin.patch("/accounts/" + accountId + "/users/" + user,
                    "{\"locationId\":\"" + branch + "\"}");
            assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        }
        JsonNode followed = admin.get(path(follower, "e911")).json();
        assertThat(followed.path("address").path("street").asText()).isEqualTo("9 Harbor Rd");
        assertThat(followed.path("address").path("postalCode").asText()).isEqualTo("04101-1234");
        assertThat(followed.path("confirmed").asBoolean()).isFalse();

        JsonNode kept = admin.get(path(pinned, "e911")).json();
        assertThat(kept.path("address").path("street").asText()).isEqualTo("7 Oak Ave");
        assertThat(kept.path("source").asText()).isEqualTo("override");
        assertThat(kept.path("confirmed").asBoolean()).isTrue();

        // An unrelated change does not reset the confirmation; returning to the location's address does.
        admin.put(path(follower, "e911"), "{\"confirmed\":true}");
        admin.patch("/accounts/" + accountId + "/users/" + follower, "{\"firstName\":\"Ann\"}");
        assertThat(admin.get(path(follower, "e911")).json().path("confirmed").asBoolean()).isTrue();
        JsonNode back = admin.put(path(pinned, "e911"), "{\"address\":null}").json();
        assertThat(back.path("source").asText()).isEqualTo("location");
        assertThat(back.path("address").path("street").asText()).isEqualTo("9 Harbor Rd");
        assertThat(back.path("confirmed").asBoolean()).isFalse();
    }

    @Test
    void anotherAccountsUserIs404OnEveryStep() throws Exception {
        String user = newUser();
        String foreign = "/accounts/" + otherAccountId + "/users/" + user + "/";
        String before = admin.get(path(user, "e911")).text();
        assertThat(admin.get(foreign + "e911").status()).isEqualTo(404);
        assertThat(admin.put(foreign + "e911", "{\"confirmed\":true}").status()).isEqualTo(404);
        assertThat(admin.put(foreign + "device", "{\"mac\":\"001565000001\",\"model\":\"yealink-t46s\"}").status())
                .isEqualTo(404);
        assertThat(admin.delete(foreign + "device").status()).isEqualTo(404);
        assertThat(admin.get(foreign + "greeting").status()).isEqualTo(404);
        assertThat(putGreeting(foreign + "greeting", Wavs.mulaw8k(500), "audio/wav").statusCode()).isEqualTo(404);
        assertThat(admin.delete(foreign + "greeting").status()).isEqualTo(404);
        assertThat(admin.get("/accounts/" + otherAccountId + "/users/" + user).status()).isEqualTo(404);
        assertThat(admin.get(path(user, "e911")).text()).isEqualTo(before);
        assertThat(admin.get("/accounts/" + accountId + "/devices/001565000001").status()).isEqualTo(404);
        assertThat(getGreeting(path(user, "greeting")).headers().firstValue("X-Greeting")).hasValue("default");
    }

    // --- step 3: device

    @Test
    void deviceStepBindsAnExistingDeviceOrCreatesAndBindsANewOneAndRefusesStealing() throws Exception {
        String ada = newUser();
        String bob = newUser();
        admin.createDevice(accountId, "00:15:65:00:00:10", "yealink-t46s");

        AdminClient.Reply bound = admin.put(path(ada, "device"), "{\"mac\":\"0015.6500.0010\"}");
        assertThat(bound.status()).as(bound.text()).isEqualTo(200);
        assertThat(bound.get("userId")).isEqualTo(ada);
        assertThat(bound.json().has("provisioning")).isFalse();

        AdminClient.Reply fresh = admin.put(path(bob, "device"),
                "{\"mac\":\"00-15-65-00-00-11\",\"model\":\"yealink-t46s\",\"label\":\"Bob's desk\"}");
        assertThat(fresh.status()).as(fresh.text()).isEqualTo(201);
        assertThat(fresh.get("mac")).isEqualTo("001565000011");
        assertThat(fresh.get("userId")).isEqualTo(bob);
        String provisioning = fresh.json().path("provisioning").path("password").asText();
        assertThat(provisioning).hasSize(32);
        assertThat(admin.get("/accounts/" + accountId + "/devices/001565000011").text()).doesNotContain(provisioning);
        assertThat(setup(bob).path("deviceAssigned").asBoolean()).isTrue();
        assertThat(setup(bob).path("devices").toString()).isEqualTo("[\"001565000011\"]");

        AdminClient.Reply stolen = admin.put(path(ada, "device"), "{\"mac\":\"001565000011\"}");
        assertProblem(stolen, 409, "mac", "the device is bound to another user; send move: true to move it");
        assertThat(admin.get("/accounts/" + accountId + "/devices/001565000011").get("userId")).isEqualTo(bob);

        AdminClient.Reply moved = admin.put(path(ada, "device"), "{\"mac\":\"001565000011\",\"move\":true}");
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.get("userId")).isEqualTo(ada);
        assertThat(setup(bob).path("deviceAssigned").asBoolean()).isFalse();

        AdminClient.Reply duplicate = admin.put(path(bob, "device"), "{\"mac\":\"001565000010\",\"model\":\"yealink-t46s\"}");
        assertProblem(duplicate, 409, "mac", "a device with this MAC already exists (MACs are unique across all accounts)");
        assertProblem(admin.put(path(bob, "device"), "{\"mac\":\"0015650000ff\"}"), 400, "mac",
                "no device with this MAC in this account; send model (and label) to add a new one");
        assertProblem(admin.put(path(bob, "device"), "{\"mac\":\"0015650000fe\",\"model\":\"nokia-3310\"}"), 400,
                "model", "is not a known model id (see GET /api/v1/models)");
        assertThat(admin.get("/accounts/" + accountId + "/devices/0015650000fe").status()).isEqualTo(404);

        AdminClient.Reply unassigned = admin.delete(path(ada, "device"));
        assertThat(unassigned.status()).as(unassigned.text()).isEqualTo(200);
        assertThat(unassigned.json().path("unbound")).hasSize(2);
        assertThat(setup(ada).path("deviceAssigned").asBoolean()).isFalse();
        assertThat(admin.get("/accounts/" + accountId + "/devices/001565000010").json().path("userId").isNull()).isTrue();
    }

    // --- step 4: greeting

    @Test
    void greetingAcceptsMuLaw8kAndPcm16kAndDeleteReturnsToTheDefault() throws Exception {
        String user = newUser();
        HttpResponse<byte[]> before = getGreeting(path(user, "greeting"));
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.headers().firstValue("X-Greeting")).hasValue("default");
        assertThat(before.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(new String(before.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(setup(user).path("greeting").asText()).isEqualTo("default");

        byte[] mulaw = Wavs.mulaw8k(3000);
        HttpResponse<byte[]> accepted = putGreeting(path(user, "greeting"), mulaw, "audio/wav");
        assertThat(accepted.statusCode()).as(new String(accepted.body())).isEqualTo(200);
        JsonNode info = JSON.readTree(accepted.body());
        assertThat(info.path("greeting").asText()).isEqualTo("custom");
        assertThat(info.path("encoding").asText()).isEqualTo("mulaw");
        assertThat(info.path("sampleRate").asInt()).isEqualTo(8000);
        assertThat(info.path("durationMillis").asInt()).isEqualTo(3000);
        HttpResponse<byte[]> custom = getGreeting(path(user, "greeting"));
        assertThat(custom.headers().firstValue("X-Greeting")).hasValue("custom");
        assertThat(custom.body()).isEqualTo(mulaw);
        assertThat(setup(user).path("greeting").asText()).isEqualTo("custom");

        byte[] pcm = Wavs.pcm16k(2000);
        HttpResponse<byte[]> replaced = putGreeting(path(user, "greeting"), pcm, "audio/x-wav");
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(getGreeting(path(user, "greeting")).body()).isEqualTo(pcm);

        assertThat(admin.delete(path(user, "greeting")).json().path("greeting").asText()).isEqualTo("default");
        assertThat(getGreeting(path(user, "greeting")).body()).isEqualTo(before.body());
        assertThat(setup(user).path("greeting").asText()).isEqualTo("default");
    }

    @Test
    void greetingRefusalsSayWhatIsWrongAndStoreNothing() throws Exception {
        String user = newUser();
        String greeting = path(user, "greeting");
        assertGreetingRefused(greeting, Wavs.wav(Wavs.PCM, 2, 16000, 16, 1000), "audio/wav", 415, "channels",
                "must be mono (1 channel); this file has 2");
        assertGreetingRefused(greeting, Wavs.wav(Wavs.PCM, 1, 44100, 16, 1000), "audio/wav", 415, "sampleRate",
                "must be 8000 or 16000 Hz; this file has 44100 Hz");
        assertGreetingRefused(greeting, Wavs.mp3(), "audio/wav", 415, "body",
                "is not a RIFF/WAVE file (it looks like MP3 data)");
        assertGreetingRefused(greeting, Wavs.truncatedHeader(), "audio/wav", 400, "body",
                "the 'fmt ' chunk is truncated (10 of at least 16 bytes)");
        assertGreetingRefused(greeting, Wavs.mulaw8k(1000), "audio/mpeg", 415, "Content-Type", "must be audio/wav");
        byte[] sixMiB = new byte[6 * 1024 * 1024];
        System.arraycopy(Wavs.pcm16k(100), 0, sixMiB, 0, 44);
        assertGreetingRefused(greeting, sixMiB, "audio/wav", 413, "body",
                "must be at most 5242880 bytes (5 MiB); got 6291456");
        assertThat(getGreeting(greeting).headers().firstValue("X-Greeting")).hasValue("default");
        assertThat(setup(user).path("greeting").asText()).isEqualTo("default");
    }

    @Test
    void deletingAUserTakesItsGreetingAndQueuedEmailWithIt() throws Exception {
        AdminClient.Reply created = admin.post("/accounts/" + accountId + "/users", """
                {"firstName":"Gone","lastName":"Soon","username":"gone","email":"gone@example.com",
                 "extension":"190","locationId":"%s","sendWelcomeEmail":true}""".formatted(hq));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String user = created.get("id");
        assertThat(putGreeting(path(user, "greeting"), Wavs.mulaw8k(500), "audio/wav").statusCode()).isEqualTo(200);
        assertThat(StoredUser.count(server.config(), "select count(*) from email_outbox where user_id = ?", user)).isOne();
        assertThat(admin.delete("/accounts/" + accountId + "/users/" + user).status()).isEqualTo(204);
        assertThat(StoredUser.count(server.config(), "select count(*) from greeting where user_id = ?", user)).isZero();
        assertThat(StoredUser.count(server.config(), "select count(*) from email_outbox where user_id = ?", user)).isZero();
    }

    @Test
    void otherRoutesKeepTheOrdinaryBodyLimit() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";
        AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/locations", big);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.get("detail")).isEqualTo("the request body exceeds 1048576 bytes");
    }

    @Test
    void userShowsItsSetupProgress() throws Exception {
        String user = newUser();
        JsonNode shown = admin.get("/accounts/" + accountId + "/users/" + user).json();
        assertThat(shown.path("username").asText()).startsWith("user");
        assertThat(shown.path("setup").toString()).isEqualTo(
                "{\"e911Confirmed\":false,\"deviceAssigned\":false,\"devices\":[],\"greeting\":\"default\","
                        + "\"welcomeEmail\":null}");
        assertThat(shown.path("welcomeEmail").isNull()).isTrue();
    }

    private static JsonNode setup(String userId) throws Exception {
        AdminClient.Reply user = admin.get("/accounts/" + accountId + "/users/" + userId);
        assertThat(user.status()).isEqualTo(200);
        return user.json().path("setup");
    }

    private static void assertGreetingRefused(String path, byte[] body, String type, int status, String field,
                                              String reason) throws Exception {
        HttpResponse<byte[]> reply = putGreeting(path, body, type);
        String text = new String(reply.body(), StandardCharsets.UTF_8);
        assertThat(reply.statusCode()).as(text).isEqualTo(status);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(errors(JSON.readTree(text))).containsExactly(field + ": " + reason);
    }

    private static HttpResponse<byte[]> putGreeting(String path, byte[] body, String type) throws Exception {
        return http.sendBytes("PUT", "/api/v1" + path, body, Map.of("Authorization", "Bearer " + token,
                "Content-Type", type, "Content-Disposition", "attachment; filename=\"greeting.wav\""));
    }

    private static HttpResponse<byte[]> getGreeting(String path) throws Exception {
        return http.sendBytes("GET", "/api/v1" + path, null, Map.of("Authorization", "Bearer " + token));
    }
}
