package dialtone.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dialtone.testing.AdminClient;
import dialtone.testing.Browser;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin API's description on a real admin listener: the document and Swagger UI answered without a token,
 * the UI working in a real browser under its Content-Security-Policy, and real answers shaped as described.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    TestDialtone server;
    HttpsClient anonymous;
    AdminClient api;
    JsonNode document;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new TestDialtone(dir);
        anonymous = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate());
        api = server.admin();
        document = JSON.readTree(anonymous.get("/api/v1/openapi.json").body());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void documentShouldBeServedAsJsonWithoutAToken() throws Exception {
        HttpResponse<String> response = anonymous.get("/api/v1/openapi.json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(new ApiDocs().document()));
        assertThat(document.path("openapi").asText()).startsWith("3.1.");
    }

    @Test
    void everythingElseUnderTheApiShouldStillNeedAToken() throws Exception {
        assertThat(anonymous.get("/api/v1/models").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/openapi.json/x").statusCode()).isEqualTo(401);
    }

    @Test
    void documentAndUiShouldRefuseWritesWithAllow() throws Exception {
        for (String path : List.of("/api/v1/openapi.json", "/api/docs/")) {
            HttpResponse<String> response = anonymous.send("POST", path, "{}", Map.of("Content-Type", "application/json"));
            assertThat(response.statusCode()).as(path).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).as(path).hasValue("GET, HEAD");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Test
    void uiShouldBeServedWithAContentSecurityPolicyAndItsOwnInitializer() throws Exception {
        HttpResponse<String> page = anonymous.get("/api/docs/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(ApiDocs.CSP);
        assertThat(page.body()).contains("swagger-initializer.js").doesNotContain("<script>");

        HttpResponse<String> initializer = anonymous.get("/api/docs/swagger-initializer.js");
        assertThat(initializer.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(initializer.body()).contains("url: \"/api/v1/openapi.json\"");
        assertThat(anonymous.get("/api/docs/swagger-ui-bundle.js").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/api/docs/swagger-ui.css").statusCode()).isEqualTo(200);
    }

    @Test
    void uiShouldRedirectItsBareNameAndRefuseUnknownFiles() throws Exception {
        HttpResponse<String> bare = anonymous.get("/api/docs");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).hasValue("/api/docs/");
        for (String path : List.of("/api/docs/swagger-ui.js.map", "/api/docs/../v1/models", "/api/docs/oauth2-redirect.html")) {
            HttpResponse<String> response = anonymous.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
        }
    }

    @Test
    void administratorsListShouldTakeThePagingItIsDescribedWith() throws Exception {
        AdminClient.Reply reply = api.get("/administrators?limit=1&accountId=" + api.createAccount("Docs admins"));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.json().has("items")).isTrue();
    }

    @Test
    void realAnswersShouldCarryExactlyTheDescribedFields() throws Exception {
        String account = api.createAccount("Docs shapes");
        String location = api.createLocation(account, "America/Chicago");
        AdminClient.Reply user = api.createUser(account, location, "docs.shape", "301");
        String userId = user.get("id");
        AdminClient.Reply device = api.createDevice(account, "00:15:65:aa:bb:01", "yealink-t46s");
        AdminClient.Reply token = api.post("/tokens", "{\"role\":\"admin\",\"accountId\":\"" + account
                + "\",\"name\":\"docs\"}");
        AdminClient.Reply administrator = api.post("/administrators", "{\"username\":\"docs-admin\",\"role\":\"admin\","
                + "\"accountId\":\"" + account + "\"}");
        String a = "/accounts/" + account;

        assertShape("Account", api.get(a));
        assertShape("Location", api.get(a + "/locations/" + location));
        assertShape("CreatedUser", user);
        assertShape("UserWithSetup", api.get(a + "/users/" + userId));
        assertShape("E911", api.get(a + "/users/" + userId + "/e911"));
        assertShape("CreatedDevice", device);
        assertShape("Device", api.bind(account, "001565aabb01", userId));
        assertShape("DeviceWithStatus", api.get(a + "/devices/001565aabb01"));
        assertShape("SecurityPolicy", api.get(a + "/security-policy"));
        assertShape("Vars", api.get(a + "/vars"));
        assertShape("CreatedToken", token);
        assertShape("CreatedAdministrator", administrator);
        AdminClient.Reply audit = api.get("/audit?limit=1");
        assertShape("AuditPage", audit);
        assertShape("AuditEvent", audit.json().path("items").get(0));
        assertShape("Problem", api.post(a + "/users", "{\"nickname\":\"x\"}"));
        assertShape("Credentials", api.post(a + "/users/" + userId + "/sip-password", null));
        assertShape("GreetingInfo", api.delete(a + "/users/" + userId + "/greeting"));
        assertShape("ResyncScheduled", api.post(a + "/resync", null));
        assertShape("ModelList", api.get("/models"));
        List<List<String>> pages = List.of(List.of("/accounts?limit=1", "AccountPage", "Account"),
                List.of(a + "/users", "UserPage", "User"), List.of(a + "/devices", "DevicePage", "DeviceWithStatus"),
                List.of("/tokens?accountId=" + account, "TokenPage", "Token"),
                List.of("/administrators?accountId=" + account, "AdministratorPage", "Administrator"),
                List.of(a + "/locations", "LocationPage", "Location"));
        for (List<String> page : pages) {
            AdminClient.Reply reply = api.get(page.get(0));
            assertShape(page.get(1), reply);
            assertShape(page.get(2), reply.json().path("items").get(0));
        }
    }

    @Test
    void swaggerUiShouldShowEveryOperationAndCallTheApiUnderItsPolicy() throws Exception {
        assumeThat(Browser.installed()).as("chromium and chromium-driver (Debian) are installed by .ci/run").isTrue();
        int operations = 0;
        for (JsonNode path : document.path("paths")) {
            for (var names = path.fieldNames(); names.hasNext(); ) {
                operations += names.next().equals("parameters") ? 0 : 1;
            }
        }
        try (Browser browser = new Browser("https://127.0.0.1:" + server.adminPort())) {
            browser.open("/api/docs/");
            WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(120));
            int expected = operations;
            wait.until(d -> d.findElements(By.cssSelector(".opblock")).size() == expected);
            assertThat(browser.text()).contains("Dialtone admin API");

            browser.driver().findElement(By.cssSelector(".auth-wrapper .authorize")).click();
            WebElement tokenField = wait.until(d -> d.findElement(By.cssSelector(".modal-ux input")));
            tokenField.sendKeys(server.operatorToken());
            browser.driver().findElement(By.cssSelector(".modal-ux .auth-btn-wrapper .authorize")).click();
            browser.driver().findElement(By.cssSelector(".modal-ux .btn-done")).click();
            WebElement models = browser.driver().findElement(By.id("operations-accounts-listModels"));
            models.findElement(By.cssSelector(".opblock-summary")).click();
            wait.until(d -> models.findElement(By.cssSelector(".try-out__btn"))).click();
            wait.until(d -> models.findElement(By.cssSelector(".execute"))).click();
            WebElement status = wait.until(d -> models.findElement(By.cssSelector(".live-responses-table .response .response-col_status")));

            assertThat(status.getText()).isEqualTo("200");
            assertThat(models.findElement(By.cssSelector(".live-responses-table .microlight")).getText())
                    .contains("\"family\"");
            assertThat(browser.console()).as("what the page refused or failed").noneMatch(line ->
                    line.contains("Content Security Policy") || line.startsWith("SEVERE"));
        }
    }

    /** The answer's fields are exactly the schema's properties (through allOf and references). */
    private void assertShape(String schema, AdminClient.Reply reply) {
        if (schema.equals("Problem")) {
            assertThat(reply.status()).as(reply.text()).isBetween(400, 499);
        } else {
            assertThat(reply.status()).as(reply.text()).isBetween(200, 299);
        }
        assertShape(schema, reply.json());
    }

    private void assertShape(String schema, JsonNode json) {
        Set<String> returned = new TreeSet<>();
        json.fieldNames().forEachRemaining(returned::add);
        Set<String> described = new TreeSet<>();
        Set<String> required = new TreeSet<>();
        properties(document.at("/components/schemas/" + schema), described, required);
        assertThat(described).as("schema %s exists", schema).isNotEmpty();
        assertThat(returned).as("fields of a real %s: %s", schema, json).isSubsetOf(described).containsAll(required);
    }

    private void properties(JsonNode schema, Set<String> names, Set<String> required) {
        if (schema.has("$ref")) {
            properties(document.at(schema.get("$ref").asText().substring(1)), names, required);
        }
        for (JsonNode part : schema.path("allOf")) {
            properties(part, names, required);
        }
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        List<String> needed = new ArrayList<>();
        schema.path("required").forEach(n -> needed.add(n.asText()));
        required.addAll(needed);
    }
}
