package dialtone.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dialtone.testing.AdminClient;
import dialtone.testing.Await;
import dialtone.testing.HttpsClient;
import dialtone.testing.SipResponder;
import dialtone.testing.TestDialtone;
import dialtone.testing.TestPostgres;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Dialtone instances on one PostgreSQL database, as behind a load balancer: a change made through one
 * instance's API reaches the phones served by the other, which keeps their files in memory (it hears of it by
 * LISTEN/NOTIFY; while it cannot hear, it keeps nothing); a username claimed on both at once is created once;
 * each welcome e-mail and each resync NOTIFY is sent by one instance only. Runs when
 * {@code DIALTONE_TEST_POSTGRES_URL} names a server.
 */
class TwoInstancesOnPostgresTest {

    static final String MAC = "805ec0dd0001";
    static final String MARKER_MAC = "805ec0dd0002";

    @TempDir
    Path dir;
    TestPostgres postgres;
    TestDialtone first;
    TestDialtone second;
    AdminClient admin;
    AdminClient secondAdmin;
    HttpsClient secondPhone;
    int smtpPort;
    String account;
    String location;
    String user;
    String password;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(TestPostgres.configured(), TestPostgres.URL_VARIABLE
                + " is not set; two instances on PostgreSQL not checked (see README, Using PostgreSQL)");
        postgres = TestPostgres.create();
        // Both instances send their mail to one SMTP server, which each test starts when it needs it.
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            smtpPort = free.getLocalPort();
        }
        Map<String, String> overrides = new HashMap<>(postgres.overrides());
        overrides.putAll(Map.of("DIALTONE_SMTP_HOST", "127.0.0.1", "DIALTONE_SMTP_PORT", Integer.toString(smtpPort),
                "DIALTONE_SMTP_STARTTLS", "off", "DIALTONE_SMTP_RETRY_INITIAL_MS", "100",
                "DIALTONE_SMTP_RETRY_MAX_MS", "400", "DIALTONE_SMTP_MAX_ATTEMPTS", "1000",
                "DIALTONE_RESYNC_AUTO_DELAY_MS", "200", "DIALTONE_RESYNC_T1_MS", "50"));
        first = new TestDialtone(dir.resolve("first"), overrides);
        // Instances that share a database share its secret key too (README, Using PostgreSQL).
        Files.createDirectories(dir.resolve("second/data"));
        Files.copy(dir.resolve("first/data/secret.key"), dir.resolve("second/data/secret.key"));
        second = new TestDialtone(dir.resolve("second"), overrides);
        admin = first.admin();
        // The operator token is written where the database was created; it works on every instance.
        secondAdmin = new AdminClient(new HttpsClient("https://127.0.0.1:" + second.adminPort(), second.certificate()),
                first.operatorToken());
        secondPhone = second.phone();
        account = admin.createAccount("Shared");
        location = admin.createLocation(account, "UTC");
        user = admin.createUser(account, location, "ada", "101").get("id");
        password = admin.createDevice(account, MAC, "yealink-t46s").json().path("provisioning").path("password").asText();
        admin.bind(account, MAC, user);
        assertThat(fetch().body()).contains("account.1.display_name = Ada Lovelace");
        assertThat(fetch().body()).contains("account.1.display_name = Ada Lovelace");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {second, first, postgres}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private HttpResponse<String> fetch() throws Exception {
        return secondPhone.getBasic("/" + MAC + ".cfg", MAC, password);
    }

    @Test
    void aChangeThroughOneInstanceIsServedByTheOther() throws Exception {
        admin.patch("/accounts/" + account + "/users/" + user, "{\"lastName\":\"Byron\"}");
        Await.until("the other instance serves the change", () -> fetch().body(), b -> b.contains("Ada Byron"));

        admin.put("/accounts/" + account + "/vars", "{\"vars\":{\"admin_password\":\"shared\"}}");
        Await.until("the other instance serves the account's change", () -> fetch().body(),
                b -> b.contains("admin:shared"));

        admin.delete("/accounts/" + account + "/devices/" + MAC);
        Await.until("the other instance refuses the deleted device", () -> fetch().statusCode(), s -> s == 401);
    }

    @Test
    void changesMadeWhileTheOtherCouldNotHearAreServedOnceItHearsAgain() throws Exception {
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            // Cuts every instance's listening connection, as a database restart or a network cut would.
            s.execute("select pg_terminate_backend(pid) from pg_stat_activity where query like 'listen %'");
        }
        admin.patch("/accounts/" + account + "/users/" + user, "{\"lastName\":\"Byron\"}");
        Await.until("the other instance serves the change", () -> fetch().body(), b -> b.contains("Ada Byron"));
    }

    @Test
    void theSameUsernameClaimedOnBothInstancesAtOnceIsCreatedOnce() throws Exception {
        int rounds = 20;
        // Connections are open before the race, so both requests leave at the same moment.
        assertThat(admin.get("/accounts/" + account).status()).isEqualTo(200);
        assertThat(secondAdmin.get("/accounts/" + account).status()).isEqualTo(200);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                String username = "race" + round;
                int n = round;
                CountDownLatch go = new CountDownLatch(1);
                Future<AdminClient.Reply> onFirst = clients.submit(() -> createAfter(go, admin, username, 200 + n));
                Future<AdminClient.Reply> onSecond = clients.submit(() -> createAfter(go, secondAdmin, username, 300 + n));
                go.countDown();
                List<AdminClient.Reply> replies = List.of(onFirst.get(), onSecond.get());
                assertThat(replies).as("round %d", round).extracting(AdminClient.Reply::status)
                        .containsExactlyInAnyOrder(201, 409);
                AdminClient.Reply refused = replies.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
                assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("username");
            }
        } finally {
            clients.shutdownNow();
        }
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("select username, count(*) from app_user where username like 'race%'"
                     + " group by username having count(*) <> 1")) {
            assertThat(rows.next()).as("a username stored twice").isFalse();
        }
    }

    private AdminClient.Reply createAfter(CountDownLatch go, AdminClient client, String username, int extension)
            throws Exception {
        go.await();
        return client.post("/accounts/" + account + "/users", """
                {"firstName":"Race","lastName":"Twice","username":"%s","email":"%s@example.com",
                 "extension":"%d","locationId":"%s"}""".formatted(username, username, extension, location));
    }

    @Test
    void eachWelcomeEmailIsSentOnceThoughBothInstancesDeliverTheOutbox() throws Exception {
        int users = 12;
        Set<String> recipients = new TreeSet<>();
        // Queued while the SMTP server is down: both instances' outboxes retry the same rows every few 100 ms.
        for (int i = 0; i < users; i++) {
            String username = "welcome" + i;
            recipients.add(username + "@example.com");
            AdminClient.Reply created = (i % 2 == 0 ? admin : secondAdmin).post("/accounts/" + account + "/users", """
                    {"firstName":"Wel","lastName":"Come","username":"%s","email":"%s@example.com",
                     "extension":"%d","locationId":"%s","sendWelcomeEmail":true}"""
                    .formatted(username, username, 400 + i, location));
            assertThat(created.status()).isEqualTo(201);
        }
        Await.until("both outboxes tried and failed", () -> outboxRows("attempts > 0"), n -> n == users);
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            Await.until("every welcome e-mail sent", () -> outboxRows("status = 'sent'"), n -> n == users);
            // Sent rows are never claimed again, and a row is sent only by the instance that claimed it.
            List<String> to = new ArrayList<>();
            for (MimeMessage message : smtp.getReceivedMessages()) {
                to.add(message.getRecipients(Message.RecipientType.TO)[0].toString());
            }
            assertThat(to).hasSize(users).containsExactlyInAnyOrderElementsOf(recipients);
        } finally {
            smtp.stop();
        }
    }

    private int outboxRows(String condition) throws Exception {
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("select count(*) from email_outbox where " + condition)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void eachResyncNotifyIsSentByOneInstanceOnly() throws Exception {
        try (SipPhones phones = new SipPhones()) {
            String contact = "{\"sipContact\":\"sip:%s@127.0.0.1:" + phones.port() + "\"}";
            assertThat(admin.patch("/accounts/" + account + "/devices/" + MAC, contact.formatted(MAC)).status())
                    .isEqualTo(200);

            // An account-wide resync asked of one instance.
            assertThat(admin.post("/accounts/" + account + "/resync", "").status()).isEqualTo(202);
            phones.await(1, n -> n.startsWith("NOTIFY sip:" + MAC));

            // An automatic one after a change through that instance; both hear of the change, one acts on it.
            // The phone is in sync first (earlier tests changed its files), so turning automatic resync on
            // notifies nobody.
            fetch();
            Await.until("the phone's fetch is recorded", () -> admin.get("/accounts/" + account + "/devices/" + MAC)
                    .json().path("inSync").asBoolean(), Boolean::booleanValue);
            // Turned on through the same instance as the change below: one instance's sweep covers both (turned on
            // through the other, that instance's own sweep would find the phone out of sync too and notify it).
            assertThat(admin.patch("/accounts/" + account, "{\"autoResync\":true}").status()).isEqualTo(200);
            admin.patch("/accounts/" + account + "/users/" + user, "{\"lastName\":\"Byron\"}");
            phones.await(2, n -> n.startsWith("NOTIFY sip:" + MAC));

            // The second instance heard that change before this one (PostgreSQL delivers it within milliseconds,
            // the automatic resync waits its delay): had it scheduled a resync for it, its timer would send that
            // one before the resync this later change of another account makes it send.
            String marker = markerAccount(phones.port());
            assertThat(secondAdmin.patch("/accounts/" + marker + "/users/" + markerUser, "{\"lastName\":\"Marker\"}")
                    .status()).isEqualTo(200);
            phones.await(1, n -> n.startsWith("NOTIFY sip:" + MARKER_MAC));
            assertThat(phones.transactions(n -> n.startsWith("NOTIFY sip:" + MAC))).hasSize(2);
        }
    }

    String markerUser;

    /** An account with automatic resync whose one phone is in sync and listens at {@code sipPort}. */
    private String markerAccount(int sipPort) throws Exception {
        String other = admin.createAccount("Marker");
        assertThat(admin.patch("/accounts/" + other, "{\"autoResync\":true}").status()).isEqualTo(200);
        markerUser = admin.createUser(other, admin.createLocation(other, "UTC"), "marker", "101").get("id");
        String markerPassword = admin.createDevice(other, MARKER_MAC, "yealink-t46s").json().path("provisioning")
                .path("password").asText();
        admin.bind(other, MARKER_MAC, markerUser);
        admin.patch("/accounts/" + other + "/devices/" + MARKER_MAC,
                "{\"sipContact\":\"sip:" + MARKER_MAC + "@127.0.0.1:" + sipPort + "\"}");
        secondPhone.getBasic("/" + MARKER_MAC + ".cfg", MARKER_MAC, markerPassword);
        Await.until("the marker phone's fetch is recorded", () -> admin.get("/accounts/" + other + "/devices/"
                + MARKER_MAC).json().path("inSync").asBoolean(), Boolean::booleanValue);
        return other;
    }

    /** Phones' SIP stacks on one loopback UDP port: every request is answered 200 OK and kept. */
    static final class SipPhones implements AutoCloseable {

        private final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final Thread thread = new Thread(this::answer, "sip-phones");

        SipPhones() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void answer() {
            byte[] buffer = new byte[4096];
            try {
                while (true) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    String request = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                    requests.add(request);
                    byte[] ok = SipResponder.ok(request);
                    socket.send(new DatagramPacket(ok, ok.length, packet.getSocketAddress()));
                }
            } catch (IOException closed) {
                // closed by the test
            }
        }

        /** The distinct transactions (Call-ID and CSeq: a retransmission is the same one) among the requests. */
        Set<String> transactions(Predicate<String> which) {
            Set<String> seen = new TreeSet<>();
            for (String request : requests) {
                if (which.test(request)) {
                    seen.add(header(request, "Call-ID") + " " + header(request, "CSeq"));
                }
            }
            return seen;
        }

        void await(int count, Predicate<String> which) throws Exception {
            Await.until(count + " NOTIFY transaction(s)", () -> transactions(which).size(), n -> n >= count);
        }

        private static String header(String request, String name) {
            for (String line : request.split("\r\n")) {
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return "";
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
