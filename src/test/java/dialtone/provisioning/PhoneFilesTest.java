package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What phones send (uploads, with caps and proof) and the static files they fetch; other methods get 405. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PhoneFilesTest {

    static final String UA = "FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477 Type/Application";
    Path dir;
    TestDialtone server;
    LogCapture logs;
    AdminClient admin;
    HttpsClient http;
    String accountId;
    byte[] firmware;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("dialtone-files");
        Path override = dir.resolve("override");
        Files.createDirectories(override.resolve("polycom/files/firmware"));
        firmware = new byte[5000];
        for (int i = 0; i < firmware.length; i++) {
            firmware[i] = (byte) (i * 7);
        }
        Files.write(override.resolve("polycom/files/sip.ld"), firmware);
        Files.writeString(override.resolve("polycom/files/firmware/notes.txt"), "notes\n");
        Files.writeString(dir.resolve("outside.txt"), "secret outside the folder\n");
        Files.createSymbolicLink(override.resolve("polycom/files/escape.txt"), dir.resolve("outside.txt"));
        logs = new LogCapture();
        server = new TestDialtone(dir, Map.of("DIALTONE_TEMPLATES_OVERRIDE_DIR", override.toString(),
                "DIALTONE_UPLOADS_MAX_FILE_BYTES", "2048", "DIALTONE_UPLOADS_MAX_DEVICE_BYTES", "5000",
                "DIALTONE_UPLOADS_MAX_DEVICE_FILES", "5"));
        admin = server.admin();
        http = server.phone();
        accountId = admin.createAccount("Acme");
    }

    @AfterAll
    void stop() {
        server.close();
        logs.close();
    }

    private Phone polycom(String mac) throws Exception {
        AdminClient.Reply device = admin.createDevice(accountId, mac, "polycom-vvx500");
        return new Phone(http, UA, mac, device.json().path("provisioning").path("password").asText());
    }

    private AdminClient.Reply uploads(String mac) throws Exception {
        return admin.get("/accounts/" + accountId + "/devices/" + mac + "/uploads");
    }

    @Test
    void aProvenUploadIsStoredListedAndDownloadable() throws Exception {
        Phone vvx = polycom("0004f2b00001");

        HttpResponse<String> put = vvx.putProven("/0004f2b00001-boot.log", "line one\nline two\n");

        assertThat(put.statusCode()).isEqualTo(204);
        AdminClient.Reply list = uploads("0004f2b00001");
        assertThat(list.json().path("items")).hasSize(1);
        assertThat(list.json().path("items").get(0).path("file").asText()).isEqualTo("0004f2b00001-boot.log");
        assertThat(list.json().path("items").get(0).path("size").asLong()).isEqualTo(18);
        String name = list.json().path("items").get(0).path("name").asText();
        HttpResponse<String> download = download("0004f2b00001", name);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(download.body()).isEqualTo("line one\nline two\n");
        assertThat(download("0004f2b00001", "..%2f..%2fsecret.key").statusCode()).isEqualTo(404);
    }

    @Test
    void uploadsTheDatabaseAndTheDataDirectoryAreForTheServersUserOnly() throws Exception {
        Phone vvx = polycom("0004f2b0000a");
        assertThat(vvx.putProven("/0004f2b0000a-calls.xml", "<calls>private</calls>").statusCode()).isEqualTo(204);

        Path data = server.config().dataDir();
        Path macDir = data.resolve("uploads/0004f2b0000a");
        Path upload;
        try (var files = Files.list(macDir)) {
            upload = files.findFirst().orElseThrow();
        }
        for (Path folder : java.util.List.of(data, data.resolve("uploads"), macDir)) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                    .as(folder.toString()).isEqualTo("rwx------");
        }
        // (No database file when the suite runs on PostgreSQL.)
        for (Path file : java.util.stream.Stream.of(upload, data.resolve("dialtone.mv.db"), data.resolve("secret.key"),
                data.resolve("operator.token")).filter(Files::exists).toList()) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .as(file.toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void uploadsNeverPassToTheNextOwnerOfAMac() throws Exception {
        Phone vvx = polycom("0004f2b00009");
        assertThat(vvx.putProven("/0004f2b00009-calls.xml", "<calls>private</calls>").statusCode()).isEqualTo(204);
        String name = uploads("0004f2b00009").json().path("items").get(0).path("name").asText();

        assertThat(admin.delete("/accounts/" + accountId + "/devices/0004f2b00009").status()).isEqualTo(204);
        String other = admin.createAccount("Next owner");
        admin.createDevice(other, "0004f2b00009", "polycom-vvx500");

        assertThat(admin.get("/accounts/" + other + "/devices/0004f2b00009/uploads").json().path("items")).isEmpty();
        HttpsClient raw = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate());
        assertThat(raw.get("/api/v1/accounts/" + other + "/devices/0004f2b00009/uploads/" + name,
                Map.of("Authorization", "Bearer " + server.operatorToken())).statusCode()).isEqualTo(404);
        assertThat(dir.resolve("data/uploads/0004f2b00009")).doesNotExist();
    }

    private HttpResponse<String> download(String mac, String name) throws Exception {
        HttpsClient raw = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate());
        return raw.get("/api/v1/accounts/" + accountId + "/devices/" + mac + "/uploads/" + name,
                Map.of("Authorization", "Bearer " + server.operatorToken()));
    }

    @Test
    void anUploadWithoutProofIsRefusedAndStoresNothing() throws Exception {
        Phone vvx = polycom("0004f2b00002");
        Phone impostor = new Phone(http, UA, "0004f2b00002", "guessed-password");
        Phone unknown = new Phone(http, UA, "0004f2b0ffff", "whatever");

        HttpResponse<String> none = http.send("PUT", "/0004f2b00002-app.log", "x", Map.of());
        HttpResponse<String> wrong = impostor.putProven("/0004f2b00002-app.log", "forged");
        HttpResponse<String> stranger = unknown.putProven("/0004f2b0ffff-app.log", "forged");
        HttpResponse<String> viaOtherFamily = vvx.putProven("/0004f2b00002-local.cfg", "forged");

        for (HttpResponse<String> r : new HttpResponse[] {none, wrong, stranger, viaOtherFamily}) {
            assertThat(r.statusCode()).isEqualTo(401);
        }
        assertThat(uploads("0004f2b00002").json().path("items")).isEmpty();
        assertThat(dir.resolve("data/uploads/0004f2b0ffff")).doesNotExist();
        assertThat(logs.all()).contains("reason=wrong-family-path:device-is-polycom,path-is-yealink-t4x");
    }

    @Test
    void uploadsOverTheFileCapAreRefusedAndTheOldestAreDroppedAtTheDeviceCap() throws Exception {
        Phone vvx = polycom("0004f2b00003");

        HttpResponse<String> tooBig = vvx.putProven("/0004f2b00003-app.log", "x".repeat(2049));
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(uploads("0004f2b00003").json().path("items")).isEmpty();

        for (int i = 1; i <= 4; i++) {
            assertThat(vvx.putProven("/0004f2b00003-app.log", String.valueOf(i).repeat(2000)).statusCode()).isEqualTo(204);
        }

        AdminClient.Reply list = uploads("0004f2b00003");
        assertThat(list.json().path("items")).hasSize(2);
        long total = 0;
        for (var item : list.json().path("items")) {
            total += item.path("size").asLong();
        }
        assertThat(total).isLessThanOrEqualTo(5000);
        String newest = list.json().path("items").get(0).path("name").asText();
        assertThat(download("0004f2b00003", newest).body()).isEqualTo("4".repeat(2000));
        String older = list.json().path("items").get(1).path("name").asText();
        assertThat(download("0004f2b00003", older).body()).isEqualTo("3".repeat(2000));
    }

    @Test
    void emptyUploadsCannotPileUpPastTheFileCapAndTheListingIsPagedNewestFirst() throws Exception {
        Phone vvx = polycom("0004f2b00004");
        for (int i = 0; i < 8; i++) {
            assertThat(vvx.putProven("/0004f2b00004-boot.log", "").statusCode()).isEqualTo(204);
        }
        assertThat(vvx.putProven("/0004f2b00004-app.log", "last").statusCode()).isEqualTo(204);

        List<String> names = new ArrayList<>();
        String after = "";
        int pages = 0;
        do {
            AdminClient.Reply page = admin.get("/accounts/" + accountId + "/devices/0004f2b00004/uploads?limit=2" + after);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().path("items").size()).isLessThanOrEqualTo(2);
            page.json().path("items").forEach(item -> names.add(item.path("name").asText()));
            after = page.json().path("next").isNull() ? null : "&after=" + page.json().path("next").asText();
            pages++;
        } while (after != null);

        assertThat(names).hasSize(5).doesNotHaveDuplicates();
        assertThat(names).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(names.get(0)).endsWith("-app.log");
        assertThat(pages).isEqualTo(3);
        try (var files = java.nio.file.Files.list(dir.resolve("data/uploads/0004f2b00004"))) {
            assertThat(files.count()).isEqualTo(5);
        }
        assertThat(admin.get("/accounts/" + accountId + "/devices/0004f2b00004/uploads?limit=1000000")
                .json().path("items")).hasSize(5);
    }

    @Test
    void methodsOtherThanGetHeadAndUploadPutGet405AndABodyOnlyAnUploadPathTakes() throws Exception {
        for (String method : new String[] {"POST", "DELETE", "OPTIONS", "PATCH"}) {
            HttpResponse<String> r = http.send(method, "/0004f2b00001-user.cfg", null, Map.of());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT");
            assertThat(http.send(method, "/0004f2b00001-user.cfg", "x", Map.of()).statusCode()).as(method + " with a body")
                    .isEqualTo(413);
        }
        HttpResponse<String> putConfig = http.send("PUT", "/0004f2b00001-user.cfg", null, Map.of());
        assertThat(putConfig.statusCode()).isEqualTo(405);
        assertThat(putConfig.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(http.send("PUT", "/0004f2b00001-user.cfg", "x", Map.of()).statusCode()).isEqualTo(413);
    }

    @Test
    void staticFilesHaveEtagsAndByteRanges() throws Exception {
        HttpResponse<byte[]> whole = http.sendBytes("GET", "/sip.ld", null, Map.of());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(firmware);
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        String etag = whole.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> range = http.sendBytes("GET", "/sip.ld", null, Map.of("Range", "bytes=100-199"));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(firmware, 100, 200));
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 100-199/5000");

        HttpResponse<byte[]> suffix = http.sendBytes("GET", "/sip.ld", null, Map.of("Range", "bytes=-10"));
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(firmware, 4990, 5000));

        HttpResponse<byte[]> beyond = http.sendBytes("GET", "/sip.ld", null, Map.of("Range", "bytes=6000-"));
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */5000");

        assertThat(http.sendBytes("GET", "/sip.ld", null, Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> head = http.sendBytes("HEAD", "/sip.ld", null, Map.of());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void noStaticPathLeavesTheFilesFolder() throws Exception {
        for (String path : new String[] {"/escape.txt", "/../outside.txt", "/%2e%2e/outside.txt", "/%252e%252e/x",
                "/files/sip.ld", "/polycom/files/sip.ld", "/firmware/..%2f..%2foutside.txt", "/%c0%ae%c0%ae/outside.txt",
                "/firmware%5c..%5csip.ld", "/sip.ld%00.cfg"}) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.body()).as(path).doesNotContain("secret outside");
        }
    }
}
