package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin API hands the installer a Linphone app's provisioning URL with fresh credentials and its QR code;
 * the URL works on the phone listener. Devices of other families and a server without phone.public-url are
 * refused with the field at fault, and nothing is issued.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinphoneProvisioningRouteTest {

    Path dir;
    TestDialtone server;
    AdminClient admin;
    String account;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("dialtone-linphone-route");
        server = new TestDialtone(dir, Map.of("DIALTONE_PHONE_PUBLIC_URL", "https://prov.example.net:8443"));
        admin = server.admin();
        account = admin.createAccount("Acme");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String issuePath(String mac) {
        return "/accounts/" + account + "/devices/" + mac + "/linphone-provisioning";
    }

    /** The text of a {@code data:image/png;base64,...} QR code, read back with ZXing's decoder. */
    static String decodeQr(String dataUri) throws Exception {
        assertThat(dataUri).startsWith("data:image/png;base64,");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(dataUri.substring(dataUri.indexOf(',') + 1))));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText();
    }

    @Test
    void theUrlAndItsQrCodeCarryNewCredentialsThatTheAppCanFetchItsFileWith() throws Exception {
        String id = "5e0c6ba1000e";
        admin.createDevice(account, id, "linphone-android");

        AdminClient.Reply issued = admin.post(issuePath(id), "");

        assertThat(issued.status()).isEqualTo(200);
        String url = issued.json().path("url").asText();
        assertThat(decodeQr(issued.json().path("qrCode").asText())).isEqualTo(url);
        URI uri = URI.create(url);
        assertThat(uri.getHost()).isEqualTo("prov.example.net");
        assertThat(uri.getPort()).isEqualTo(8443);
        assertThat(uri.getPath()).isEqualTo("/linphone/" + id + ".xml");
        String[] userInfo = uri.getUserInfo().split(":", 2);
        assertThat(userInfo[0]).isEqualTo(id);
        HttpResponse<String> file = server.phone().getBasic(uri.getPath(), userInfo[0], userInfo[1]);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(ConfigFiles.named(ConfigFiles.xml(file.body()), "entry", "name", "config-uri"))
                .endsWith("/linphone/" + id + ".xml").contains(id + ":" + userInfo[1] + "@");
        assertThat(admin.get("/audit").text()).contains("device.provisioning-password.rotate")
                .doesNotContain(userInfo[1]);
    }

    @Test
    void aDeskPhoneIsNotALinphoneAppAndGetsNoCredentials() throws Exception {
        admin.createDevice(account, "001565a1000f", "yealink-t46s");

        AdminClient.Reply refused = admin.post(issuePath("001565a1000f"), "");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text()).contains("\"field\":\"mac\"").contains("not a Linphone app")
                .doesNotContain("password");
        assertThat(admin.post(issuePath("5e0c6ba1ffff"), "").status()).isEqualTo(404);
    }

    @Test
    void withoutAPublicUrlTheRouteSaysWhichSettingIsMissing() throws Exception {
        try (TestDialtone bare = new TestDialtone(dir.resolve("bare"))) {
            AdminClient bareAdmin = bare.admin();
            String a = bareAdmin.createAccount("Acme");
            bareAdmin.createDevice(a, "5e0c6ba10010", "linphone-ios");

            AdminClient.Reply refused = bareAdmin.post("/accounts/" + a + "/devices/5e0c6ba10010/linphone-provisioning", "");

            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.text()).contains("\"field\":\"phone.public-url\"");
        }
    }
}
