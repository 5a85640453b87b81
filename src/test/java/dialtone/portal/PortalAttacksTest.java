package dialtone.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.PortalClient;
import dialtone.testing.StoredUser;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the portal over real HTTPS: forged and cross-site forms, session fixation, script in names,
 * telling usernames apart at the login, guessing passwords, framing. One server for the class; tests that count
 * failures come from addresses of their own (X-Forwarded-For from a trusted proxy, the loopback).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalAttacksTest {

    private static final String PASSWORD = "a long passphrase of mine";
    private static final String XSS = "<script>alert(1)</script>";
    TestDialtone server;
    AdminClient api;
    String accountId;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new TestDialtone(dir, Map.of("DIALTONE_SERVER_TRUSTED_PROXIES", "127.0.0.1",
                "DIALTONE_PORTAL_LOGIN_SLOW_AFTER", "3", "DIALTONE_PORTAL_LOGIN_REFUSE_AFTER", "6"));
        api = server.admin();
        accountId = api.createAccount("Acme");
        administrator("ops", "operator", null);
        administrator("target", "admin", accountId);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Creates an administrator and sets their password through the portal's forced change. */
    private void administrator(String username, String role, String account) throws Exception {
        AdminClient.Reply reply = api.post("/administrators", account == null
                ? "{\"username\":\"%s\",\"role\":\"%s\"}".formatted(username, role)
                : "{\"username\":\"%s\",\"role\":\"%s\",\"accountId\":\"%s\"}".formatted(username, role, account));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        PortalClient client = client();
        assertThat(client.login("/admin/login", username, reply.get("password")).headers().firstValue("Location"))
                .contains("/admin/password");
        client.get("/admin/password");
        HttpResponse<String> changed = client.post("/admin/password", Map.of("currentPassword", reply.get("password"),
                "newPassword", PASSWORD, "confirmPassword", PASSWORD));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(303);
    }

    private PortalClient client() throws Exception {
        return new PortalClient(server.portalUrl(), server.certificate());
    }

    private PortalClient operator() throws Exception {
        PortalClient client = client();
        HttpResponse<String> login = client.login("/admin/login", "ops", PASSWORD);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
        return client;
    }

    private int accounts() throws Exception {
        return api.get("/accounts?limit=200").json().path("items").size();
    }

    @Test
    void formWithoutOrWithAWrongCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        PortalClient ops = operator();
        ops.get("/admin");
        int before = accounts();

        HttpResponse<String> none = ops.post("/admin/accounts", Map.of("name", "Forged", "csrf", ""));
        HttpResponse<String> wrong = ops.post("/admin/accounts", Map.of("name", "Forged", "csrf", "x".repeat(43)));

        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("This form has expired or did not come from this portal.");
        assertThat(accounts()).isEqualTo(before);
    }

    @Test
    void formSentFromAnotherSiteIsRefusedEvenWithTheToken() throws Exception {
        PortalClient ops = operator();
        ops.get("/admin");
        int before = accounts();

        HttpResponse<String> fetchMetadata = ops.post("/admin/accounts", Map.of("name", "Forged"),
                "Sec-Fetch-Site", "cross-site");
        HttpResponse<String> origin = ops.post("/admin/accounts", Map.of("name", "Forged"),
                "Origin", "https://evil.example");

        assertThat(fetchMetadata.statusCode()).isEqualTo(403);
        assertThat(origin.statusCode()).isEqualTo(403);
        assertThat(accounts()).isEqualTo(before);
    }

    @Test
    void sessionIdOfferedBeforeLoginIsNeverTheSessionAfterIt() throws Exception {
        PortalClient victim = client();
        String planted = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        victim.cookies().put("__Host-dialtone-session", planted);

        HttpResponse<String> login = victim.login("/admin/login", "ops", PASSWORD);

        String issued = victim.cookies().get("__Host-dialtone-session");
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(issued).isNotEqualTo(planted).hasSize(43);
        assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("__Host-dialtone-session=").contains("Secure", "HttpOnly", "SameSite=Strict", "Path=/"));
        PortalClient attacker = client();
        attacker.cookies().put("__Host-dialtone-session", planted);
        assertThat(attacker.get("/admin").headers().firstValue("Location")).contains("/admin/login");

        // Logging in again gives yet another id, and the previous one is over.
        HttpResponse<String> again = victim.login("/admin/login", "ops", PASSWORD);
        assertThat(again.statusCode()).isEqualTo(303);
        assertThat(victim.cookies().get("__Host-dialtone-session")).isNotEqualTo(issued);
        PortalClient old = client();
        old.cookies().put("__Host-dialtone-session", issued);
        assertThat(old.get("/admin").statusCode()).isEqualTo(303);
    }

    @Test
    void loggingOutAndIdlingEndTheSession() throws Exception {
        PortalClient ops = operator();
        assertThat(ops.get("/admin").statusCode()).isEqualTo(200);
        String id = ops.cookies().get("__Host-dialtone-session");
        assertThat(ops.post("/logout", Map.of()).statusCode()).isEqualTo(303);
        PortalClient replay = client();
        replay.cookies().put("__Host-dialtone-session", id);
        assertThat(replay.get("/admin").headers().firstValue("Location")).contains("/admin/login");

        PortalClient idle = operator();
        assertThat(idle.get("/admin").statusCode()).isEqualTo(200);
        // As if 31 minutes passed without a request (portal.idle-timeout-minutes: 30).
        StoredUser.update(server.config(), "update portal_session set last_active_at = last_active_at - interval '31' minute "
                + "where id_hash = ?", dialtone.security.Secrets.sha256Hex(idle.cookies().get("__Host-dialtone-session")));
        assertThat(idle.get("/admin").headers().firstValue("Location")).contains("/admin/login");
    }

    @Test
    void scriptInEveryNameFieldIsShownAsTextOnEveryPage() throws Exception {
        String account = api.createAccount(XSS);
        AdminClient.Reply location = api.post("/accounts/" + account + "/locations", """
                {"name":"%s","address":{"street":"<img src=x onerror=alert(2)>","city":"\\"><b>C</b>","region":"IL",
                 "postalCode":"62701","country":"US"},"timeZone":"America/Chicago"}""".formatted(XSS));
        assertThat(location.status()).as(location.text()).isEqualTo(201);
        AdminClient.Reply user = api.post("/accounts/" + account + "/users", """
                {"firstName":"%s","lastName":"'><svg onload=alert(3)>","username":"x.s.s","email":"xss@example.com",
                 "extension":"101","locationId":"%s"}""".formatted(XSS, location.get("id")));
        assertThat(user.status()).as(user.text()).isEqualTo(201);
        AdminClient.Reply device = api.post("/accounts/" + account + "/devices",
                "{\"mac\":\"0015654aa901\",\"model\":\"yealink-t46s\",\"label\":\"" + XSS.replace("\"", "\\\"") + "\"}");
        assertThat(device.status()).as(device.text()).isEqualTo(201);
        assertThat(api.bind(account, "0015654aa901", user.get("id")).status()).isEqualTo(200);

        PortalClient ops = operator();
        for (String page : List.of("/admin", "/admin/accounts/" + account, "/admin/accounts/" + account + "/users",
                "/admin/accounts/" + account + "/users/" + user.get("id"), "/admin/accounts/" + account + "/devices",
                "/admin/accounts/" + account + "/devices/0015654aa901",
                "/admin/accounts/" + account + "/users/" + user.get("id") + "/setup/e911",
                "/admin/accounts/" + account + "/audit")) {
            HttpResponse<String> response = ops.get(page);
            assertThat(response.statusCode()).as(page).isEqualTo(200);
            assertThat(response.body()).as(page).doesNotContain(XSS, "<img src=x", "<svg", "<b>C</b>")
                    .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        }
    }

    @Test
    void unknownUsernameAndWrongPasswordGetTheSameAnswer() throws Exception {
        PortalClient client = client();
        client.get("/admin/login");
        HttpResponse<String> unknown = client.post("/admin/login", Map.of("username", "nosuchperson", "password", "guess"),
                "X-Forwarded-For", "192.0.2.10");
        HttpResponse<String> wrong = client.post("/admin/login", Map.of("username", "ops", "password", "guess"),
                "X-Forwarded-For", "192.0.2.10");

        assertThat(wrong.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(200);
        assertThat(wrong.body().replace("value=\"ops\"", "value=\"U\""))
                .isEqualTo(unknown.body().replace("value=\"nosuchperson\"", "value=\"U\""));
        assertThat(wrong.headers().map().keySet()).isEqualTo(unknown.headers().map().keySet());
        assertThat(wrong.body()).contains("Wrong username or password.");

        // The user login and "forgot password" tell no more.
        PortalClient users = client();
        users.get("/forgot");
        HttpResponse<String> forgotUnknown = users.post("/forgot", Map.of("username", "nosuchperson"));
        HttpResponse<String> forgotKnown = users.post("/forgot", Map.of("username", "x.s.s"));
        assertThat(forgotKnown.statusCode()).isEqualTo(forgotUnknown.statusCode()).isEqualTo(200);
        assertThat(forgotKnown.body()).isEqualTo(forgotUnknown.body());
    }

    @Test
    void passwordGuessingIsRefusedPerSourceThenEvenTheRightPasswordWaits() throws Exception {
        PortalClient guesser = client();
        guesser.get("/admin/login");
        for (int i = 1; i <= 6; i++) {
            HttpResponse<String> answer = guesser.post("/admin/login", Map.of("username", "guess" + i, "password", "x"),
                    "X-Forwarded-For", "203.0.113.5");
            assertThat(answer.statusCode()).as("failure " + i).isEqualTo(200);
        }
        HttpResponse<String> refused = guesser.post("/admin/login", Map.of("username", "ops", "password", PASSWORD),
                "X-Forwarded-For", "203.0.113.5");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("Too many failed logins");
        assertThat(guesser.cookies()).doesNotContainKey("__Host-dialtone-session");

        // Another address is not held back by this one's failures.
        HttpResponse<String> elsewhere = client().login("/admin/login", "ops", PASSWORD, "X-Forwarded-For", "203.0.113.99");
        assertThat(elsewhere.statusCode()).isEqualTo(303);
    }

    @Test
    void passwordGuessingIsRefusedPerUsernameFromAnyAddress() throws Exception {
        PortalClient guesser = client();
        guesser.get("/admin/login");
        for (int i = 1; i <= 6; i++) {
            guesser.post("/admin/login", Map.of("username", "target", "password", "guess" + i),
                    "X-Forwarded-For", "198.51.100." + i);
        }
        HttpResponse<String> right = client().login("/admin/login", "target", PASSWORD, "X-Forwarded-For", "198.51.100.77");
        assertThat(right.statusCode()).isEqualTo(429);
        HttpResponse<String> unknown = client().login("/admin/login", "nobody-at-all", "x", "X-Forwarded-For", "198.51.100.78");
        assertThat(unknown.statusCode()).isEqualTo(200);
    }

    @Test
    void everyPageForbidsFramingAndInlineScript() throws Exception {
        PortalClient ops = operator();
        for (String page : List.of("/login", "/admin/login", "/forgot", "/reset", "/admin", "/no-such-page")) {
            HttpResponse<String> response = (page.startsWith("/admin") && !page.equals("/admin/login") ? ops : client())
                    .get(page);
            String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(page).contains("frame-ancestors 'none'", "script-src 'self'", "default-src 'none'")
                    .doesNotContain("unsafe-inline");
            assertThat(response.headers().firstValue("X-Frame-Options")).as(page).contains("DENY");
            assertThat(response.body()).as(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)")
                    .doesNotContainPattern("\\son[a-z]+=");
        }
    }
}
