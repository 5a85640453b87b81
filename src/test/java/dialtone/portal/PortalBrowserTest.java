package dialtone.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dialtone.testing.AdminClient;
import dialtone.testing.Browser;
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
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        int smtpPort = smtp.getSmtp().getPort();
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
        assertThat(config.body()).contains("account.1.timeout_fwd.target = +14155550199").doesNotContain("+14155550100");

        loginAsOperator();
        browser.open("/admin/accounts/" + accountId + "/devices");
        assertThat(browser.byId("devices")).contains("in sync").doesNotContain("never provisioned");
        browser.screenshot("device-list");
    }

    @Test
    void fieldErrorsAppearNextToTheirFieldsWithWhatWasTypedAndLeavingHalfWayResumesTheWizard() throws Exception {
        loginAsOperator();
        String accountId = accountWithLocation(unique("Acme Errors "));
        browser.open("/admin/accounts/" + accountId + "/users/new");
        browser.type("firstName", "Grace").type("lastName", "Hopper").type("username", "grace hopper")
                .type("email", "not-an-address").type("extension", "1").type("phoneNumber", "+1415")
                .select("locationId", "HQ (America/Chicago)").check("f-authorizedUser", true).type("pin", "1234");
        browser.clickButton("Save & Continue");

        // The API's rules and words, each next to its field, and what was typed is kept.
        assertThat(browser.errorOf("username")).isEqualTo("must be 1-64 characters of letters A-Z, digits, '.', '-', ':', '[' or ']'");
        assertThat(browser.errorOf("email")).isEqualTo("must be a valid e-mail address such as name@example.com");
        assertThat(browser.errorOf("extension")).isEqualTo("must be 2 to 10 digits");
        assertThat(browser.errorOf("phoneNumber")).isEqualTo("must be a valid phone number in E.164 form, e.g. +14155552671");
        assertThat(browser.errorOf("pin")).isEqualTo("is too easy to guess (one repeated digit or a straight run)");
        assertThat(browser.errorOf("firstName")).isNull();
        assertThat(browser.field("email").getAttribute("value")).isEqualTo("not-an-address");
        assertThat(browser.field("email").getAttribute("aria-describedby")).isEqualTo("e-email");
        assertThat(browser.field("firstName").getAttribute("value")).isEqualTo("Grace");
        browser.screenshot("wizard-field-errors");

        browser.type("username", "grace.h").type("email", "grace@example.com").type("extension", "102")
                .type("phoneNumber", "+14155552672").type("pin", "2580").check("f-sendWelcomeEmail", false)
                .clickButton("Save & Continue");
        browser.click(By.id("confirm-e911"));
        assertThat(browser.path()).endsWith("/setup/device");
        String userId = browser.path().replaceAll(".*/users/([^/]+)/setup/device", "$1");

        // Left half-way: the list says so, and the wizard resumes at the first unfinished step.
        browser.open("/admin/accounts/" + accountId + "/users?q=grace");
        assertThat(browser.byId("users")).contains("Hopper, Grace", "grace.h", "102", "setup incomplete");
        browser.clickLink("setup incomplete");
        assertThat(browser.path()).isEqualTo("/admin/accounts/" + accountId + "/users/" + userId + "/setup/device");
        browser.check("choice-no", true).clickButton("Save & Continue");
        browser.check("greeting-default", true).clickButton("Save & Continue");
        assertThat(browser.path()).as(browser.text()).endsWith("/setup/done");
        assertThat(browser.byId("welcome-status")).isEqualTo("not sent");
        browser.open("/admin/accounts/" + accountId + "/users?q=102");
        assertThat(browser.byId("users")).contains("grace.h", "complete").doesNotContain("setup incomplete");
    }

    @Test
    void technicianReplacesAHandsetOnAPhoneSizedScreen() throws Exception {
        String accountId = api.createAccount(unique("Acme Tech "));
        String locationId = api.createLocation(accountId, "America/Chicago");
        String userId = api.createUser(accountId, locationId, unique("lin."), "201").get("id");
        api.createDevice(accountId, "00:15:65:00:00:01", "yealink-t46s");
        api.bind(accountId, "001565000001", userId);
        String password = firstLogin(administrator(unique("tech"), "technician", accountId),
                "tech" + SEQUENCE.get());

        browser.size(360, 780);
        assertThat(browser.path()).isEqualTo("/admin/accounts/" + accountId + "/devices");
        assertThat(browser.text()).doesNotContain("Users", "Import", "Audit");
        browser.clickLink("001565000001");
        Number overflow = (Number) ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                .executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow.intValue()).as("horizontal overflow at 360 px").isLessThanOrEqualTo(0);
        browser.type("newMac", "00-15-65-00-00-02");
        browser.screenshot("technician-replace");
        browser.clickButton("Replace handset");
        assertThat(browser.byId("prov-username")).isEqualTo("001565000002");
        assertThat(browser.byId("prov-password")).hasSize(32);
        AdminClient.Reply old = api.get("/accounts/" + accountId + "/devices/001565000001");
        assertThat(old.get("status")).isEqualTo("retired");
        assertThat(api.get("/accounts/" + accountId + "/devices/001565000002").get("userId")).isEqualTo(userId);

        // A technician has no business with users: not allowed.
        browser.open("/admin/accounts/" + accountId + "/users/new");
        assertThat(browser.title()).isEqualTo("Not allowed");
        assertThat(password).isNotEmpty();
    }

    @Test
    void aUserSeesOnlyTheirOwnPageAndAnotherUsersPageDoesNotExist() throws Exception {
        String accountId = api.createAccount(unique("Acme Users "));
        String locationId = api.createLocation(accountId, "America/Chicago");
        String[] ids = new String[2];
        String[] names = {unique("eve."), unique("bob.")};
        for (int i = 0; i < 2; i++) {
            AdminClient.Reply user = api.post("/accounts/" + accountId + "/users", """
                    {"firstName":"User","lastName":"%d","username":"%s","email":"%s@example.com","extension":"30%d",
                     "locationId":"%s","sendWelcomeEmail":true}""".formatted(i, names[i], names[i], i, locationId));
            assertThat(user.status()).as(user.text()).isEqualTo(201);
            ids[i] = user.get("id");
        }
        Matcher password = LINE.matcher(text(mailTo(names[0] + "@example.com")));
        String temporary = null;
        while (password.find()) {
            if (password.group(1).equals("Password")) {
                temporary = password.group(2);
            }
        }
        browser.open("/login").type("username", names[0]).type("password", temporary).clickButton("Log in");
        browser.type("currentPassword", temporary).type("newPassword", "my own long passphrase")
                .type("confirmPassword", "my own long passphrase").clickButton("Save password");
        assertThat(browser.path()).isEqualTo("/users/" + ids[0]);

        browser.open("/users/" + ids[1]);
        assertThat(browser.title()).isEqualTo("Not found");
        String other = browser.byId("main");
        browser.open("/users/no-such-user");
        assertThat(browser.byId("main")).isEqualTo(other);
        browser.open("/admin/accounts/" + accountId + "/users/" + ids[1]);
        assertThat(browser.path()).isEqualTo("/admin/login");
    }

    @Test
    void forgottenPasswordIsReplacedThroughAOneTimeLinkThatWorksOnce() throws Exception {
        String accountId = api.createAccount(unique("Acme Reset "));
        String locationId = api.createLocation(accountId, "America/Chicago");
        String username = unique("kay.");
        AdminClient.Reply user = api.post("/accounts/" + accountId + "/users", """
                {"firstName":"Kay","lastName":"Reset","username":"%s","email":"%s@example.com","extension":"401",
                 "locationId":"%s"}""".formatted(username, username, locationId));
        assertThat(user.status()).as(user.text()).isEqualTo(201);

        browser.open("/login").clickLink("Forgot your password?");
        browser.type("username", username).clickButton("Send me a link");
        String answer = browser.byId("forgot-sent");
        browser.open("/forgot").type("username", "no.such.person").clickButton("Send me a link");
        assertThat(browser.byId("forgot-sent")).isEqualTo(answer);

        MimeMessage mail = mailTo(username + "@example.com");
        assertThat(mail.getSubject()).isEqualTo("Reset your phone portal password");
        Matcher link = Pattern.compile("(https://\\S+/reset#(\\S+))").matcher(text(mail));
        assertThat(link.find()).isTrue();
        browser.open(link.group(1));
        // The code travels after '#': the page's script moved it into the form and out of the address bar.
        assertThat(browser.field("token").getAttribute("value")).isEqualTo(link.group(2));
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(link.group(2));
        browser.type("newPassword", "short").type("confirmPassword", "short").clickButton("Save password");
        assertThat(browser.errorOf("newPassword")).isEqualTo("must be 12 to 128 characters long");
        browser.type("newPassword", "a brand new passphrase").type("confirmPassword", "a brand new passphrase")
                .clickButton("Save password");
        assertThat(browser.path()).isEqualTo("/login?done=reset");
        browser.type("username", username).type("password", "a brand new passphrase").clickButton("Log in");
        assertThat(browser.path()).isEqualTo("/users/" + user.get("id"));

        // The same link again: refused.
        browser.forget().open(link.group(1));
        browser.type("newPassword", "another new passphrase").type("confirmPassword", "another new passphrase")
                .clickButton("Save password");
        assertThat(browser.errorOf("token")).contains("not valid");
    }

    @Test
    void devicePageShowsTheRenderedConfigurationWithEverySecretMasked() throws Exception {
        String accountId = api.createAccount(unique("Acme Config "));
        assertThat(api.put("/accounts/" + accountId + "/vars", "{\"vars\":{\"admin_password\":\"desk-admin-7781\"}}")
                .status()).isEqualTo(200);
        AdminClient.Reply user = api.createUser(accountId, api.createLocation(accountId, "America/Chicago"),
                unique("cfg."), "501");
        String sipPassword = user.json().path("sip").path("password").asText();
        String mac = "001565c0ffee";
        String provisioningPassword = api.createDevice(accountId, mac, "yealink-t46s").json().path("provisioning")
                .path("password").asText();
        api.bind(accountId, mac, user.get("id"));
        loginAsOperator();

        browser.open("/admin/accounts/" + accountId + "/devices").clickLink(mac);
        String config = browser.byId("config-1");

        assertThat(config).contains("account.1.user_name = " + user.json().path("sip").path("username").asText(),
                "account.1.password = ********", "static.security.user_password = admin:********",
                "account.1.timeout_fwd.target = +14155552671");
        assertThat(browser.driver().getPageSource()).doesNotContain(sipPassword, provisioningPassword, "desk-admin-7781");
        browser.screenshot("device-page");
    }

    @Test
    void operatorAdoptsADiscoveredPhoneIntoAnAccount() throws Exception {
        String accountId = api.createAccount(unique("Acme Adopt "));
        String mac = "001565d15c0e";
        server.phone().get("/" + mac + ".cfg", Map.of("User-Agent", "Yealink SIP-T46S 66.86.0.15"));
        dialtone.testing.Trees.await("sighting recorded",
                () -> call(() -> api.get("/discovered-devices").text()).contains(mac));
        loginAsOperator();

        browser.open("/admin/accounts/" + accountId + "/devices").clickLink("Discovered devices");
        assertThat(browser.byId("d-" + mac)).contains(mac, "T46S 66.86.0.15");
        browser.driver().findElement(By.id("label-" + mac)).sendKeys("Warehouse");
        browser.screenshot("discovered-devices");
        browser.click(By.cssSelector("#d-" + mac + " button"));

        assertThat(browser.title()).isEqualTo("Device adopted");
        assertThat(browser.byId("prov-username")).isEqualTo(mac);
        browser.click(By.id("continue"));
        assertThat(browser.path()).isEqualTo("/admin/accounts/" + accountId + "/devices/" + mac);
        assertThat(browser.text()).contains("Warehouse", "yealink-t46s");
        assertThat(browser.byId("config-1")).contains("account.1.enable = 0");
        assertThat(call(() -> api.get("/discovered-devices").text())).doesNotContain(mac);
    }

    @Test
    void bulkImportShowsItsProgressThenThePerRowReport() throws Exception {
        String accountId = api.createAccount(unique("Acme Import "));
        String locationId = api.createLocation(accountId, "America/Chicago");
        String prefix = unique("bulk") + "x";
        StringBuilder csv = new StringBuilder("firstName,lastName,username,email,extension,locationId,authorizedUser,pin\n");
        for (int i = 0; i < 40; i++) {
            csv.append("First").append(i).append(",Last,").append(prefix).append(i).append(",b").append(i)
                    .append("@example.com,").append(600 + i).append(',').append(locationId).append(",true,48").append(10 + i)
                    .append('\n');
        }
        csv.append("Bad,Row,bad row,not-an-address,1,").append(locationId).append(",false,\n");
        Path file = Files.writeString(dir.resolve(unique("users") + ".csv"), csv);
        loginAsOperator();

        browser.open("/admin/accounts/" + accountId + "/import").attach("file", file).clickButton("Import");
        assertThat(browser.path()).startsWith("/admin/accounts/" + accountId + "/import/");
        if (!browser.driver().findElements(By.id("import-progress")).isEmpty()) {
            browser.screenshot("import-progress");
        }
        String report = browser.path();
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(300))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> !d.findElements(By.id("import-summary")).isEmpty());

        assertThat(browser.byId("import-summary")).isEqualTo("40 created, 0 existing, 1 failed.");
        assertThat(browser.byId("import-report")).contains(prefix + "0", "created",
                "failed", "email: must be a valid e-mail address");
        browser.screenshot("import-report");
        // The report carries one-time passwords: shown once.
        browser.open(report);
        assertThat(browser.byId("import-gone")).contains("shown already");
    }

    @Test
    void operatorAddsAnAccountAdminWhoseOneTimePasswordIsShownOnce() throws Exception {
        String accountId = api.createAccount(unique("Acme People "));
        loginAsOperator();
        browser.open("/admin/accounts/" + accountId).clickLink("Administrators");
        String username = unique("manager");
        browser.type("username", username).select("role", "admin").clickButton("Add administrator");

        String oneTime = browser.byId("admin-password");
        browser.click(By.id("continue"));
        assertThat(browser.byId("administrators")).contains(username, "admin", "not chosen yet");
        browser.screenshot("administrators");
        assertThat(firstLogin(oneTime, username)).isNotEmpty();
        assertThat(browser.path()).isEqualTo("/admin/accounts/" + accountId);
    }

    private static <T> T call(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
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
