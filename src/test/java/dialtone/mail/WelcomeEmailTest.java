package dialtone.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dialtone.security.PasswordHasher;
import dialtone.testing.AdminClient;
import dialtone.testing.Await;
import dialtone.testing.LogCapture;
import dialtone.testing.RefusingSmtpServer;
import dialtone.testing.StoredUser;
import dialtone.testing.TestDialtone;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 5 against a real SMTP server (GreenMail): content, resend, SMTP outage across a restart, refusal. */
class WelcomeEmailTest {

    static final String PORTAL = "https://portal.test.example/login?tenant=a&b=1";
    private static final Pattern TEXT_PASSWORD = Pattern.compile("Password:\\s+(\\S+)");

    @TempDir
    Path dir;
    TestDialtone server;
    GreenMail smtp;
    LogCapture logs = new LogCapture();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        logs.close();
    }

    private TestDialtone start(int smtpPort) throws Exception {
        return start(smtpPort, Map.of());
    }

    /** {@code overrides} on top of the test defaults; an empty value removes a default. */
    private TestDialtone start(int smtpPort, Map<String, String> overrides) throws Exception {
        Map<String, String> env = new HashMap<>(smtpAt(smtpPort));
        env.put("DIALTONE_SMTP_HOST", "127.0.0.1");
        env.put("DIALTONE_SMTP_STARTTLS", "off");
        env.put("DIALTONE_SMTP_FROM", "welcome@dialtone.test");
        env.put("DIALTONE_SMTP_TIMEOUT_MS", "2000");
        env.put("DIALTONE_SMTP_RETRY_INITIAL_MS", "50");
        env.put("DIALTONE_SMTP_RETRY_MAX_MS", "200");
        env.put("DIALTONE_PORTAL_URL", PORTAL);
        env.put("DIALTONE_SMTP_WELCOME_RESEND_INTERVAL_MS", "0");
        overrides.forEach((key, value) -> {
            if (value.isEmpty()) {
                env.remove(key);
            } else {
                env.put(key, value);
            }
        });
        server = new TestDialtone(dir, env);
        return server;
    }

    /** A GreenMail SMTP server on a port the system picks; returns that port. */
    private int startSmtp() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        return smtp.getSmtp().getPort();
    }

    private static Map<String, String> smtpAt(int port) {
        return Map.of("DIALTONE_SMTP_PORT", Integer.toString(port));
    }

    /** Creates an account, a location and a user with sendWelcomeEmail; returns {accountId, userId}. */
    private static String[] createUserWithWelcome(AdminClient admin, String firstName, String username) throws Exception {
        String accountId = admin.createAccount("Acme & <Sons>");
        String locationId = admin.createLocation(accountId, "America/Chicago");
        AdminClient.Reply created = admin.post("/accounts/" + accountId + "/users", """
                {"firstName":"%s","lastName":"Lovelace","username":"%s","email":"%s@example.com",
                 "extension":"101","locationId":"%s","sendWelcomeEmail":true}"""
                .formatted(firstName, username, username, locationId));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return new String[] {accountId, created.get("id")};
    }

    private static JsonNode welcomeStatus(AdminClient admin, String accountId, String userId) throws Exception {
        AdminClient.Reply user = admin.get("/accounts/" + accountId + "/users/" + userId);
        assertThat(user.status()).isEqualTo(200);
        assertThat(user.json().path("setup").path("welcomeEmail")).isEqualTo(user.json().path("welcomeEmail"));
        return user.json().path("welcomeEmail");
    }

    private static String part(MimeMessage message, String type) throws Exception {
        Multipart parts = (Multipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            if (parts.getBodyPart(i).isMimeType(type)) {
                return (String) parts.getBodyPart(i).getContent();
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    private static String password(MimeMessage message) throws Exception {
        Matcher m = TEXT_PASSWORD.matcher(part(message, "text/plain"));
        assertThat(m.find()).as("password line in the text part").isTrue();
        return m.group(1);
    }

    @Test
    void welcomeEmailCarriesUsernamePortalAndAPasswordThatVerifiesAgainstTheStoredHash() throws Exception {
        AdminClient admin = start(startSmtp()).admin();
        String[] ids = createUserWithWelcome(admin, "<b>Ada</b>", "ada.l");

        assertThat(smtp.waitForIncomingEmail(15_000, 1)).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ada.l@example.com");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("welcome@dialtone.test");
        assertThat(mail.getSubject()).isEqualTo("Welcome to your phone service, <b>Ada</b>");
        String text = part(mail, "text/plain");
        assertThat(text).contains("Hello <b>Ada</b> Lovelace,", "Portal:    " + PORTAL, "Username:  ada.l");
        String password = password(mail);
        assertThat(password).hasSize(16);
        String hash = StoredUser.portalPasswordHash(server.config(), "ada.l");
        assertThat(hash).startsWith("$argon2id$");
        assertThat(PasswordHasher.verify(password, hash)).isTrue();

        String html = part(mail, "text/html");
        assertThat(html).contains("Hello &lt;b&gt;Ada&lt;/b&gt; Lovelace,", "<code>ada.l</code>",
                "<code>" + password + "</code>", "Acme &amp; &lt;Sons&gt;",
                "href=\"https://portal.test.example/login?tenant=a&amp;b=1\"");
        assertThat(html).doesNotContain("<b>Ada</b>", "<Sons>");

        JsonNode status = Await.until("welcome e-mail marked sent",
                () -> welcomeStatus(admin, ids[0], ids[1]), s -> s.path("status").asText().equals("sent"));
        assertThat(status.path("attempts").asInt()).isEqualTo(1);
        assertThat(status.path("lastError").isNull()).isTrue();

        // Resend: a fresh password; the first one stops working.
        AdminClient.Reply resent = admin.post("/accounts/" + ids[0] + "/users/" + ids[1] + "/welcome-email", null);
        assertThat(resent.status()).as(resent.text()).isEqualTo(202);
        assertThat(resent.json().path("welcomeEmail").path("status").asText()).isIn("pending", "sent");
        assertThat(smtp.waitForIncomingEmail(15_000, 2)).isTrue();
        String second = password(smtp.getReceivedMessages()[1]);
        String newHash = StoredUser.portalPasswordHash(server.config(), "ada.l");
        assertThat(second).isNotEqualTo(password);
        assertThat(PasswordHasher.verify(second, newHash)).isTrue();
        assertThat(PasswordHasher.verify(password, newHash)).isFalse();

        // The password is in the e-mail only: not in any API answer, log line or audit record.
        AdminClient.Reply user = admin.get("/accounts/" + ids[0] + "/users/" + ids[1]);
        assertThat(user.text()).doesNotContain(password, second, "argon2");
        assertThat(logs.all()).doesNotContain(password, second);
        assertThat(StoredUser.count(server.config(),
                "select count(*) from audit_event where detail like ? ", "%" + second + "%")).isZero();
        assertThat(StoredUser.count(server.config(),
                "select count(*) from email_outbox where password_enc is not null and recipient = ?",
                "ada.l@example.com")).as("sealed passwords are dropped once delivered").isZero();
    }

    @Test
    void resendForAnotherAccountsUserIs404() throws Exception {
        AdminClient admin = start(startSmtp()).admin();
        String[] ids = createUserWithWelcome(admin, "Ada", "ada");
        String other = admin.createAccount("Other");
        AdminClient.Reply reply = admin.post("/accounts/" + other + "/users/" + ids[1] + "/welcome-email", null);
        assertThat(reply.status()).isEqualTo(404);
    }

    /** A port held but not listening: connecting to it is refused, and nothing else can take it. */
    private static Socket unreachablePort() throws Exception {
        Socket held = new Socket();
        held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return held;
    }

    @Test
    void smtpDownAtCreationThenUpDeliversExactlyOnceAcrossARestart() throws Exception {
        try (Socket down = unreachablePort()) {
            smtpDownThenUp(down.getLocalPort());
        }
    }

    private void smtpDownThenUp(int downPort) throws Exception {
        AdminClient admin = start(downPort).admin();
        String[] ids = createUserWithWelcome(admin, "Ada", "ada");

        JsonNode pending = Await.until("a failed attempt while SMTP is down",
                () -> welcomeStatus(admin, ids[0], ids[1]), s -> s.path("attempts").asInt() >= 1);
        assertThat(pending.path("status").asText()).isEqualTo("pending");
        // Tenant admins read lastError: the kind of failure, never the mail server's address; the log has it.
        assertThat(pending.path("lastError").asText()).contains("could not be reached")
                .doesNotContain("127.0.0.1").doesNotContain(Integer.toString(downPort))
                .doesNotContain("Connection refused");
        // The attempt is stored before its log line is written: wait for the line.
        Await.until("the failure's log line", logs::lines,
                lines -> lines.stream().anyMatch(l -> l.contains(", " + downPort) && l.contains("Connection refused")));

        server.restart(smtpAt(startSmtp()));
        AdminClient again = server.admin();
        assertThat(smtp.waitForIncomingEmail(15_000, 1)).isTrue();
        JsonNode sent = Await.until("welcome e-mail marked sent",
                () -> welcomeStatus(again, ids[0], ids[1]), s -> s.path("status").asText().equals("sent"));
        assertThat(sent.path("attempts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(sent.path("lastError").isNull()).isTrue();
        // A later e-mail goes out only on a later pass of the sender: when it arrives, nothing else has.
        createUserWithWelcome(again, "Grace", "grace");
        assertThat(smtp.waitForIncomingEmail(15_000, 2)).isTrue();
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(smtp.getReceivedMessages()[1].getAllRecipients()[0].toString()).isEqualTo("grace@example.com");
        assertThat(PasswordHasher.verify(password(smtp.getReceivedMessages()[0]),
                StoredUser.portalPasswordHash(server.config(), "ada"))).isTrue();
    }

    @Test
    void permanentRecipientRefusalMarksTheEmailFailedWithTheReasonAndStopsRetrying() throws Exception {
        try (RefusingSmtpServer refusing = new RefusingSmtpServer()) {
            AdminClient admin = start(refusing.port()).admin();
            String[] ids = createUserWithWelcome(admin, "Ada", "ada");

            JsonNode failed = Await.until("welcome e-mail marked failed",
                    () -> welcomeStatus(admin, ids[0], ids[1]), s -> s.path("status").asText().equals("failed"));
            assertThat(failed.path("attempts").asInt()).isEqualTo(1);
            assertThat(failed.path("lastError").asText()).startsWith("SMTP 550: ").contains("User unknown");
            // A later e-mail is tried only on a later pass of the sender: once it has failed, nothing was retried.
            String[] later = createUserWithWelcome(admin, "Grace", "grace");
            Await.until("the later welcome e-mail marked failed", () -> welcomeStatus(admin, later[0], later[1]),
                    s -> s.path("status").asText().equals("failed"));
            assertThat(refusing.conversations()).isEqualTo(2);
            assertThat(welcomeStatus(admin, ids[0], ids[1]).path("attempts").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aResendWithinTheIntervalIs429AndQueuesNothingWhileAnotherUserIsServed() throws Exception {
        AdminClient admin = start(startSmtp(), Map.of("DIALTONE_SMTP_WELCOME_RESEND_INTERVAL_MS", "600000")).admin();
        String[] ids = createUserWithWelcome(admin, "Ada", "ada");
        String hash = StoredUser.portalPasswordHash(server.config(), "ada");

        AdminClient.Reply again = admin.post("/accounts/" + ids[0] + "/users/" + ids[1] + "/welcome-email", null);
        AdminClient.Reply viaUpdate = admin.patch("/accounts/" + ids[0] + "/users/" + ids[1],
                "{\"firstName\":\"Changed\",\"sendWelcomeEmail\":true}");

        for (AdminClient.Reply refused : java.util.List.of(again, viaUpdate)) {
            assertThat(refused.status()).as(refused.text()).isEqualTo(429);
            assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("welcomeEmail");
            assertThat(refused.json().path("errors").get(0).path("reason").asText())
                    .matches("one welcome e-mail per user every 600 s; try again in \\d+ s");
        }
        assertThat(StoredUser.count(server.config(), "select count(*) from email_outbox where user_id = ?", ids[1]))
                .isOne();
        assertThat(StoredUser.portalPasswordHash(server.config(), "ada")).isEqualTo(hash);
        assertThat(admin.get("/accounts/" + ids[0] + "/users/" + ids[1]).get("firstName")).isEqualTo("Ada");
        String other = admin.createUser(ids[0], admin.createLocation(ids[0], "Europe/Paris"), "bea", "102").get("id");
        assertThat(admin.post("/accounts/" + ids[0] + "/users/" + other + "/welcome-email", null).status())
                .isEqualTo(202);
    }

    @Test
    void noMoreThanTheDailyAllowanceOfWelcomeEmailsPerUser() throws Exception {
        AdminClient admin = start(startSmtp(), Map.of("DIALTONE_SMTP_WELCOMES_PER_DAY", "3")).admin();
        String[] ids = createUserWithWelcome(admin, "Ada", "ada");
        String resend = "/accounts/" + ids[0] + "/users/" + ids[1] + "/welcome-email";
        assertThat(admin.post(resend, null).status()).isEqualTo(202);
        assertThat(admin.post(resend, null).status()).isEqualTo(202);

        AdminClient.Reply fourth = admin.post(resend, null);

        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.json().path("errors").get(0).path("reason").asText())
                .matches("at most 3 welcome e-mails per user a day; try again in \\d+ s");
        assertThat(StoredUser.count(server.config(), "select count(*) from email_outbox where user_id = ?", ids[1]))
                .isEqualTo(3);
    }

    @Test
    void withALoginStarttlsIsRequiredByDefaultSoAServerWithoutItGetsNeitherPasswordNorMail() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.setUser("relay@dialtone.test", "relay-user", "relay-secret-password");
        smtp.start();
        int port = smtp.getSmtp().getPort();
        AdminClient admin = start(port, Map.of("DIALTONE_SMTP_STARTTLS", "", "DIALTONE_SMTP_USERNAME", "relay-user",
                "DIALTONE_SMTP_PASSWORD", "relay-secret-password")).admin();
        assertThat(server.config().smtp().starttls()).isEqualTo("required");
        String[] ids = createUserWithWelcome(admin, "Ada", "ada");

        JsonNode failed = Await.until("a failed attempt", () -> welcomeStatus(admin, ids[0], ids[1]),
                s -> s.path("attempts").asInt() >= 1);

        assertThat(failed.path("lastError").asText()).doesNotContain("127.0.0.1");
        assertThat(smtp.getReceivedMessages()).isEmpty();
        Await.until("the STARTTLS failure's log line", logs::lines,
                lines -> lines.stream().anyMatch(l -> l.contains("STARTTLS")));
        assertThat(logs.all()).doesNotContain("relay-secret-password");
    }

}
