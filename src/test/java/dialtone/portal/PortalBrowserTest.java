package dialtone.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dialtone.testing.AdminClient;
import dialtone.testing.Browser;
import dialtone.testing.Ports;
import dialtone.testing.TestDialtone;
import dialtone.testing.Wavs;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The portal in a real browser (headless Chromium) against a real Dialtone and a real SMTP server (GreenMail):
 * one browser and one server for the class; each test works in an account of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalBrowserTest {

    private static final Pattern LINE = Pattern.compile("(Portal|Username|Password):\\s+(\\S+)");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    Path dir;
    TestDialtone server;
    GreenMail smtp;
    Browser browser;
    AdminClient api;
    String operatorPassword;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        assumeThat(Browser.installed()).as("chromium and chromium-driver (Debian) are installed by .ci/run").isTrue();
        int smtpPort = Ports.free();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        server = new TestDialtone(dir, Map.of("DIALTONE_SMTP_HOST", "127.0.0.1",
                "DIALTONE_SMTP_PORT", Integer.toString(smtpPort), "DIALTONE_SMTP_STARTTLS", "off",
                "DIALTONE_SMTP_FROM", "welcome@dialtone.test", "DIALTONE_SMTP_RETRY_INITIAL_MS", "50"));
        api = server.admin();
        browser = new Browser(server.portalUrl());
        operatorPassword = firstLogin(administrator("ops", "operator", null), "ops");
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @BeforeEach
    void newVisitor() {
        browser.size(1280, 1000).open("/login").forget();
    }

    /** Creates a portal administrator through the API (as `dialtone admins create` does); returns the one-time password. */
    private String administrator(String username, String role, String accountId) throws Exception {
        AdminClient.Reply reply = api.post("/administrators", accountId == null
                ? "{\"username\":\"%s\",\"role\":\"%s\"}".formatted(username, role)
                : "{\"username\":\"%s\",\"role\":\"%s\",\"accountId\":\"%s\"}".formatted(username, role, accountId));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.get("password");
    }

    /** Logs in with the one-time password, is made to choose a new one, and returns it. */
    private String firstLogin(String oneTimePassword, String username) {
        browser.forget().open("/admin/login").type("username", username).type("password", oneTimePassword);
        browser.clickButton("Log in");
        assertThat(browser.path()).as(browser.text()).isEqualTo("/admin/password");
        String chosen = "correct horse battery staple " + SEQUENCE.incrementAndGet();
        browser.type("currentPassword", oneTimePassword).type("newPassword", chosen).type("confirmPassword", chosen)
                .clickButton("Save password");
        assertThat(browser.path()).as(browser.text()).doesNotEndWith("/password");
        return chosen;
    }

    private void loginAsOperator() {
        browser.forget().open("/admin/login").type("username", "ops").type("password", operatorPassword)
                .clickButton("Log in");
        assertThat(browser.path()).isEqualTo("/admin");
    }

    /** The operator creates an account and a location in the browser; returns the account id. */
    private String accountWithLocation(String name) {
        browser.open("/admin").type("name", name).clickButton("Create account");
        assertThat(browser.title()).isEqualTo(name);
        String accountId = browser.path().replace("/admin/accounts/", "");
        browser.type("name", "HQ").type("address.street", "1 Main St").type("address.city", "Springfield")
                .type("address.region", "IL").type("address.postalCode", "62701").type("address.country", "US")
                .select("timeZone", "America/Chicago").clickButton("Add location");
        assertThat(browser.text()).contains("1 Main St, Springfield, IL 62701, US");
        return accountId;
    }

    private static String unique(String prefix) {
        return prefix + SEQUENCE.incrementAndGet();
    }

    private MimeMessage mailTo(String address) throws Exception {
        for (int expected = 1; expected < 50; expected++) {
            assertThat(smtp.waitForIncomingEmail(20_000, expected)).as("e-mail to " + address).isTrue();
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getAllRecipients()[0].toString().equals(address)) {
                    return m;
                }
            }
        }
        throw new AssertionError("no e-mail to " + address);
    }

    static String text(MimeMessage message) throws Exception {
        Multipart parts = (Multipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            if (parts.getBodyPart(i).isMimeType("text/plain")) {
                return (String) parts.getBodyPart(i).getContent();
            }
        }
        throw new AssertionError("no text part");
    }

    @Test
    void operatorAddsAUserThroughTheWizardAndTheUserSetsTheForwardThatReachesThePhone() throws Exception {
        loginAsOperator();
        String accountId = accountWithLocation("Acme Story");
        browser.clickLink("Add user");

        // 1. Details, every field.
        assertThat(currentStep()).isEqualTo("Details");
        browser.type("firstName", "Ada").type("lastName", "Lovelace").type("username", "ada.story")
                .type("email", "ada.story@example.com").check("f-emailVoicemails", true)
                .type("phoneNumber", "+14155552671").type("extension", "101")
                .type("unreachableForward", "+14155550100").select("locationId", "HQ (America/Chicago)")
                .select("timeZone", "America/New_York").check("f-authorizedUser", true).type("pin", "2580")
                .check("f-sendWelcomeEmail", true);
        browser.screenshot("wizard-1-details");
        browser.clickButton("Save & Continue");

        // 2. E911, pre-filled from the location: confirmed as it is.
        assertThat(browser.path()).as(browser.text()).endsWith("/setup/e911");
        assertThat(currentStep()).isEqualTo("E911 address");
        assertThat(browser.byId("e911-address")).contains("1 Main St", "Springfield, IL 62701");
        browser.screenshot("wizard-2-e911");
        browser.click(By.id("confirm-e911"));

        // 3. Device: a new Yealink; its provisioning credentials are shown this once.
        assertThat(browser.path()).as(browser.text()).endsWith("/setup/device");
        browser.check("choice-yes", true).type("mac", "00:15:65:12:34:56").select("model", "yealink-t46s")
                .type("label", "Front desk");
        browser.screenshot("wizard-3-device");
        browser.clickButton("Save & Continue");
        String provUser = browser.byId("prov-username");
        String provPassword = browser.byId("prov-password");
        assertThat(provUser).isEqualTo("001565123456");
        assertThat(provPassword).hasSize(32);
        browser.click(By.id("continue"));

        // 4. Greeting: a WAV upload.
        assertThat(browser.path()).as(browser.text()).endsWith("/setup/greeting");
        Path wav = Files.write(dir.resolve("hello.wav"), Wavs.mulaw8k(1500));
        browser.check("greeting-upload", true).attach("greeting", wav);
        browser.screenshot("wizard-4-greeting");
        browser.clickButton("Save & Continue");

        // 5. Done: the summary and the welcome e-mail's status.
        assertThat(browser.path()).as(browser.text()).endsWith("/setup/done");
        assertThat(currentStep()).isEqualTo("Done");
        assertThat(browser.byId("summary")).contains("ada.story", "101", "+14155550100", "America/New_York",
                "001565123456", "custom", "confirmed");
        assertThat(browser.byId("welcome-status")).isIn("pending", "sent");
        browser.screenshot("wizard-5-done");

        MimeMessage welcome = mailTo("ada.story@example.com");
        Matcher lines = LINE.matcher(text(welcome));
        String link = null;
        String temporary = null;
        while (lines.find()) {
            if (lines.group(1).equals("Portal")) {
                link = lines.group(2);
            } else if (lines.group(1).equals("Password")) {
                temporary = lines.group(2);
            }
        }
        assertThat(link).isEqualTo(server.portalUrl());
        assertThat(browser.open("/admin/accounts/" + accountId + "/users/" + userId(accountId, "ada.story") + "/setup/done")
                .byId("welcome-status")).isEqualTo("sent");

        // The devices list, as the operator sees it before the phone ever asked.
        browser.open("/admin/accounts/" + accountId + "/devices");
        assertThat(browser.byId("devices")).contains("001565123456", "Ada Lovelace", "never provisioned");

        // The user follows the link, logs in with the temporary password and must choose a new one.
        browser.forget().open(link);
        assertThat(browser.path()).isEqualTo("/login");
        browser.type("username", "ada.story").type("password", temporary).clickButton("Log in");
        assertThat(browser.path()).isEqualTo("/password");
        browser.type("currentPassword", temporary).type("newPassword", "analytical engine 1843")
                .type("confirmPassword", "analytical engine 1843").clickButton("Save password");
        assertThat(browser.path()).startsWith("/users/");
        assertThat(browser.byId("my-line")).contains("101", "+14155552671", "HQ");
        assertThat(browser.byId("my-phones")).contains("yealink-t46s", "Front desk");

        browser.type("unreachableForward", "+14155550199").clickButton("Save settings");
        assertThat(browser.text()).contains("Your settings are saved.");
        assertThat(browser.field("unreachableForward").getAttribute("value")).isEqualTo("+14155550199");
        browser.screenshot("user-page");

        // The temporary password no longer opens anything.
        browser.forget().open("/login").type("username", "ada.story").type("password", temporary).clickButton("Log in");
        assertThat(browser.byId("login-error")).isEqualTo("Wrong username or password.");

        // The phone fetches its configuration with its provisioning credentials: the new forward is in it.
        HttpResponse<String> config = server.phone().getDigest("/001565123456.cfg", provUser, provPassword);
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("unreachable_forward = +14155550199").doesNotContain("+14155550100");

        loginAsOperator();
        browser.open("/admin/accounts/" + accountId + "/devices");
        assertThat(browser.byId("devices")).contains("in sync").doesNotContain("never provisioned");
        browser.screenshot("device-list");
    }

    private String currentStep() {
        return browser.driver().findElement(By.cssSelector(".steps [aria-current=step]")).getText();
    }

    private String userId(String accountId, String username) throws Exception {
        AdminClient.Reply users = api.get("/accounts/" + accountId + "/users");
        for (var user : users.json().path("items")) {
            if (user.path("username").asText().equals(username)) {
                return user.path("id").asText();
            }
        }
        throw new AssertionError("no user " + username);
    }
}
