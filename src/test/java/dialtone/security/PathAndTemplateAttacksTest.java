package dialtone.security;

import dialtone.core.Json;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.RawHttps;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** SECURITY.md "Paths and templates", lines 11-14, against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathAndTemplateAttacksTest {

    static final String MAC = "0015654ae001";

    @TempDir
    static Path dir;
    TestDialtone server;
    LogCapture logs;
    AdminClient admin;
    HttpsClient phone;
    String accountId;
    String locationId;
    String userId;
    String password;
    String sipPassword;

    @BeforeAll
    void start() throws Exception {
        logs = new LogCapture();
        // A copy of the shipped templates with a hostile line added, as a careless template author might write.
        Path templates = dir.resolve("templates");
        try (Stream<Path> files = Files.walk(Path.of("templates"))) {
            for (Path source : files.toList()) {
                Path target = templates.resolve(Path.of("templates").relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        Files.writeString(templates.resolve("yealink-t4x/mac.cfg.vm"), """
                #set($c = $line.getClass())
                x.class = $!c
                x.forname = $!c.forName("java.lang.Runtime")
                x.runtime = $!c.forName("java.lang.Runtime").getRuntime().exec("id")
                x.loader = $!line.getClass().getClassLoader()
                """, StandardOpenOption.APPEND);
        server = new TestDialtone(dir, Map.of("DIALTONE_TEMPLATES_DIR", templates.toString(),
                "DIALTONE_THROTTLE_SLOW_AFTER", "100000", "DIALTONE_THROTTLE_REFUSE_AFTER", "100000"));
        admin = server.admin();
        phone = server.phone();
        accountId = admin.createAccount("Acme");
        locationId = admin.createLocation(accountId, "UTC");
        AdminClient.Reply user = admin.createUser(accountId, locationId, "ada", "101");
        userId = user.get("id");
        sipPassword = user.json().path("sip").path("password").asText();
        password = admin.createDevice(accountId, MAC, "yealink-t46s").json().path("provisioning").path("password").asText();
        admin.bind(accountId, MAC, userId);
    }

    @AfterAll
    void stop() {
        server.close();
        logs.close();
    }

    @Test
    void traversalEncodedTraversalBackslashAbsoluteAndNulPathsAre400Or404AndReachNothing() throws Exception {
        List<String> attacks = List.of("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/etc/passwd",
                "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/..\\..\\etc\\passwd", "/..%5c..%5cetc%5cpasswd",
                "//etc/passwd", "/etc/passwd", "/C:/Windows/win.ini", "/" + MAC + ".cfg%00.txt",
                "/yealink-t4x/mac.cfg.vm", "/../templates/yealink-t4x/family.yaml", "/%2e%2e%2fdata%2foperator.token",
                "/y000000000066.cfg/../" + MAC + ".cfg", "http://evil.example/" + MAC + ".cfg");
        for (String target : attacks) {
            String answer = RawHttps.get(server.certificate(), server.phonePort(), target);
            assertThat(RawHttps.status(answer)).as(target).isIn(400, 404);
            assertThat(answer).as(target).doesNotContain("root:").doesNotContain("$line").doesNotContain("dtk_")
                    .doesNotContain("account.1").doesNotContain("[extensions]");
        }
    }

    @Test
    void macVariantsAreNormalisedOrRefusedAndNeverMatchAnotherDevice() throws Exception {
        HttpResponse<String> upper = phone.getBasic("/" + MAC.toUpperCase() + ".cfg", MAC, password);
        assertThat(upper.statusCode()).isEqualTo(200);
        assertThat(upper.body()).contains(sipPassword);
        for (String variant : List.of("00-15-65-4a-e0-01", "00:15:65:4a:e0:01", "0015654ae00", "0015654ae0011",
                "0015654ae00g", "\u0660\u0660\u0661\u0665\u0666\u0665\u0664ae001", "0015654ae001\u0660",
                "\uff10015654ae001")) {
            HttpResponse<byte[]> r = phone.sendBytes("GET", "/" + java.net.URLEncoder.encode(variant,
                    java.nio.charset.StandardCharsets.UTF_8) + ".cfg", null, Map.of("Authorization",
                    DeviceIdentityAttacksTest.basic(MAC, password)));
            assertThat(r.statusCode()).as(variant).isEqualTo(404);
            assertThat(new String(r.body())).as(variant).doesNotContain(sipPassword);
        }
        AdminClient.Reply duplicate = admin.post("/accounts/" + accountId + "/devices",
                "{\"mac\":\"00:15:65:4A:E0:01\",\"model\":\"yealink-t46s\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        AdminClient.Reply unicode = admin.post("/accounts/" + accountId + "/devices",
                "{\"mac\":\"\u0660\u0660\u0661\u0665\u0666\u0665\u0664ae002\",\"model\":\"yealink-t46s\"}");
        assertThat(unicode.status()).isEqualTo(400);
        assertThat(unicode.text()).contains("\"field\":\"mac\"");
    }

    @Test
    void userFieldsWithTemplateSyntaxMarkupAndNewlinesRenderLiterallyOrAreRefused() throws Exception {
        String hostile = "${line.password} #set($x = 7*7)$x {{7*7}} </reg><reg x=\"1\">";
        AdminClient.Reply changed = admin.patch("/accounts/" + accountId + "/users/" + userId,
                Json.object("firstName", hostile, "lastName", "$user.username"));
        assertThat(changed.status()).isEqualTo(200);

        HttpResponse<String> r = phone.getBasic("/" + MAC + ".cfg", MAC, password);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("account.1.display_name = " + hostile + " $user.username\n")
                .doesNotContain(" 49 ");
        assertThat(r.body().split(sipPassword, -1)).hasSize(2);

        String before = admin.get("/accounts/" + accountId + "/users/" + userId).text();
        AdminClient.Reply newline = admin.patch("/accounts/" + accountId + "/users/" + userId,
                Json.object("lastName", "x\naccount.1.sip_server.1.address = evil.example"));
        assertThat(newline.status()).isEqualTo(400);
        assertThat(newline.text()).contains("\"field\":\"lastName\"");
        assertThat(admin.get("/accounts/" + accountId + "/users/" + userId).text()).isEqualTo(before);
        assertThat(phone.getBasic("/" + MAC + ".cfg", MAC, password).body()).doesNotContain("evil.example");
    }

    @Test
    void aTemplateThatReachesForJavaClassesCannot() throws Exception {
        HttpResponse<String> r = phone.getBasic("/" + MAC + ".cfg", MAC, password);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("x.class = \n").contains("x.forname = \n").contains("x.runtime = \n")
                .contains("x.loader = \n").doesNotContain("java.").doesNotContain("uid=");
    }

    /** Builds small JSON bodies with proper escaping. */
    static final class Json {
        static String object(String... keysAndValues) throws Exception {
            var node = dialtone.core.Json.MAPPER.createObjectNode();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                node.put(keysAndValues[i], keysAndValues[i + 1]);
            }
            return dialtone.core.Json.MAPPER.writeValueAsString(node);
        }
    }
}
