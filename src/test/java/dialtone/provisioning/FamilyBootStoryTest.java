package dialtone.provisioning;

import static dialtone.provisioning.ConfigFiles.attributes;
import static dialtone.provisioning.ConfigFiles.element;
import static dialtone.provisioning.ConfigFiles.keyValues;
import static dialtone.provisioning.ConfigFiles.named;
import static dialtone.provisioning.ConfigFiles.xml;
import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Document;

/**
 * Every family's whole boot sequence against a real server, with each family's real User-Agent: the
 * exact keys and values phones read, MAC files only with proof, common files without secrets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FamilyBootStoryTest {

    Path dir;
    TestDialtone server;
    LogCapture logs;
    AdminClient admin;
    HttpsClient http;
    String accountId;
    String userId;
    String sipUser;
    String sipPassword;
    String base;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("dialtone-families");
        logs = new LogCapture();
        server = new TestDialtone(dir);
        admin = server.admin();
        http = server.phone();
        base = "https://127.0.0.1:" + server.phonePort();
        accountId = admin.createAccount("Acme");
        String locationId = admin.createLocation(accountId, "America/New_York");
        AdminClient.Reply user = admin.createUser(accountId, locationId, "ada", "101");
        userId = user.get("id");
        sipUser = user.json().path("sip").path("username").asText();
        sipPassword = user.json().path("sip").path("password").asText();
    }

    @AfterAll
    void stop() {
        server.close();
        logs.close();
    }

    /** Creates a device of the model, binds it to Ada, and returns it as a phone with its credentials. */
    private Phone phone(String mac, String model, String userAgent) throws Exception {
        AdminClient.Reply device = admin.createDevice(accountId, mac, model);
        admin.bind(accountId, mac, userId);
        return new Phone(http, userAgent, device.json().path("provisioning").path("username").asText(),
                device.json().path("provisioning").path("password").asText());
    }

    private void assertNoSecret(HttpResponse<String> common, Phone phone) {
        assertThat(common.statusCode()).isEqualTo(200);
        assertThat(common.body()).doesNotContain(sipPassword).doesNotContain(phone.password()).doesNotContain(sipUser);
    }

    private void assertLastSeen(String mac, String model, String firmware) throws Exception {
        AdminClient.Reply device = admin.get("/accounts/" + accountId + "/devices/" + mac);
        assertThat(device.json().path("lastSeen").path("model").asText()).isEqualTo(model);
        assertThat(device.json().path("lastSeen").path("firmware").asText()).isEqualTo(firmware);
    }

    @Test
    void polycomBootsFromTheMasterFileToItsUserFile() throws Exception {
        String mac = "0004f2a10001";
        Phone vvx = phone(mac, "polycom-vvx500", "FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477 Type/Application");

        assertThat(vvx.putProven("/" + mac + "-boot.log", "boot log line\n").statusCode()).isEqualTo(204);
        HttpResponse<String> own = vvx.getProven("/" + mac + ".cfg");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(attributes(xml(own.body()))).containsEntry("CONFIG_FILES", "[PHONE_MAC_ADDRESS]-user.cfg, common.cfg");
        HttpResponse<String> master = vvx.get("/000000000000.cfg");
        assertNoSecret(master, vvx);
        assertThat(attributes(xml(master.body()))).containsEntry("APP_FILE_PATH", "sip.ld");
        assertNoSecret(vvx.get("/common.cfg"), vvx);
        assertThat(vvx.get("/" + mac + "-user.cfg").statusCode()).isEqualTo(401);

        HttpResponse<String> user = vvx.getProven("/" + mac + "-user.cfg");

        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(user.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
        assertThat(attributes(xml(user.body())))
                .containsEntry("reg.1.displayName", "Ada Lovelace")
                .containsEntry("reg.1.label", "101")
                .containsEntry("reg.1.address", sipUser + "@sip.test.example")
                .containsEntry("reg.1.auth.userId", sipUser)
                .containsEntry("reg.1.auth.password", sipPassword)
                .containsEntry("reg.1.server.1.address", "sip.test.example")
                .containsEntry("reg.1.server.1.port", "5060")
                .containsEntry("reg.1.server.1.transport", "UDPOnly")
                .containsEntry("msg.mwi.1.callBack", "*97")
                .containsEntry("tcpIpApp.sntp.gmtOffset", "-18000")
                .containsEntry("tcpIpApp.sntp.daylightSavings.enable", "1")
                .containsEntry("tcpIpApp.sntp.daylightSavings.start.month", "3")
                .containsEntry("tcpIpApp.sntp.daylightSavings.start.date", "8")
                .containsEntry("tcpIpApp.sntp.daylightSavings.start.dayOfWeek", "1")
                .containsEntry("tcpIpApp.sntp.daylightSavings.start.time", "2")
                .containsEntry("tcpIpApp.sntp.daylightSavings.stop.month", "11")
                .containsEntry("tcpIpApp.sntp.daylightSavings.stop.date", "1");
        for (String absent : new String[] {"-phone.cfg", "-web.cfg", "-license.cfg", "-directory.xml", "-calls.xml"}) {
            assertThat(vvx.getProven("/" + mac + absent).statusCode()).as(absent).isEqualTo(404);
        }
        assertThat(vvx.get("/000000000000-license.cfg").statusCode()).isEqualTo(404);
        assertThat(vvx.get("/000000000000-directory.xml").statusCode()).isEqualTo(404);
        assertThat(vvx.head("/" + mac + "-app.log").statusCode()).isEqualTo(404);
        assertThat(vvx.putProven("/" + mac + "-app.log", "app log\n").statusCode()).isEqualTo(204);
        assertLastSeen(mac, "VVX_500", "5.9.7.4477");
    }

    @Test
    void yealinkBootsFromItsBootFile() throws Exception {
        String mac = "001565a10002";
        Phone t46 = phone(mac, "yealink-t46s", "Yealink SIP-T46S 66.86.0.15 00:15:65:a1:00:02");

        HttpResponse<String> boot = t46.getProven("/" + mac + ".boot");
        assertThat(boot.statusCode()).isEqualTo(200);
        assertThat(boot.body()).startsWith("#!version:1.0.0.1\n")
                .contains("include:config \"" + base + "/y000000000066.cfg\"")
                .contains("include:config \"" + base + "/" + mac + ".cfg\"");
        assertNoSecret(t46.get("/y000000000066.cfg"), t46);

        Map<String, String> cfg = keyValues(t46.getProven("/" + mac + ".cfg").body(), " = ");

        assertThat(cfg).containsEntry("account.1.display_name", "Ada Lovelace")
                .containsEntry("account.1.user_name", sipUser)
                .containsEntry("account.1.auth_name", sipUser)
                .containsEntry("account.1.password", sipPassword)
                .containsEntry("account.1.sip_server.1.address", "sip.test.example")
                .containsEntry("voice_mail.number.1", "*97")
                .containsEntry("local_time.time_zone", "-5")
                .containsEntry("local_time.time_zone_name", "United States-Eastern Time")
                .containsEntry("local_time.summer_time", "1")
                .containsEntry("local_time.start_time", "3/2/7/2")
                .containsEntry("local_time.end_time", "11/1/7/2")
                .containsEntry("local_time.offset_time", "60");
        assertThat(t46.putProven("/" + mac + "-local.cfg", "#!version:1.0.0.1\n").statusCode()).isEqualTo(204);
        assertLastSeen(mac, "T46S", "66.86.0.15");
    }

    @Test
    void ciscoMppGetsItsModelFileThenItsMacFile() throws Exception {
        String mac = "00562ba10003";
        Phone cp = phone(mac, "cisco-cp-8841-3pcc", "Cisco-CP-8841-3PCC/11.0 (00562ba10003)");

        HttpResponse<String> common = cp.get("/8841-3PCC.xml");
        assertNoSecret(common, cp);
        assertThat(element(xml(common.body()), "Profile_Rule_B")).isEqualTo(base + "/$MA.xml");
        assertThat(xml(common.body()).getElementsByTagName("Profile_Rule").getLength()).isZero();
        assertThat(cp.get("/9999-3PCC.xml").statusCode()).isEqualTo(404);
        assertNoSecret(cp.get("/7832-3PCC.xml"), cp);

        Document profile = xml(cp.getProven("/" + mac + ".xml").body());

        assertThat(element(profile, "Profile_Rule"))
                .isEqualTo("[--uid " + cp.username() + " --pwd " + cp.password() + "]" + base + "/$MA.xml");
        assertThat(element(profile, "Profile_Rule_B")).isEmpty();
        assertThat(element(profile, "Line_Enable_1_")).isEqualTo("Yes");
        assertThat(element(profile, "Display_Name_1_")).isEqualTo("Ada Lovelace");
        assertThat(element(profile, "User_ID_1_")).isEqualTo(sipUser);
        assertThat(element(profile, "Auth_ID_1_")).isEqualTo(sipUser);
        assertThat(element(profile, "Password_1_")).isEqualTo(sipPassword);
        assertThat(element(profile, "Proxy_1_")).isEqualTo("sip.test.example:5060");
        assertThat(element(profile, "Voice_Mail_Number")).isEqualTo("*97");
        assertThat(element(profile, "Time_Zone")).isEqualTo("GMT-05:00");
        assertThat(element(profile, "Daylight_Saving_Time_Rule")).isEqualTo("start=3/8/7/2;end=11/1/7/2;save=1");
        assertLastSeen(mac, "8841", "11.0");
    }

    @Test
    void ciscoSpaGetsItsSeriesFileThenItsMacFile() throws Exception {
        String mac = "88755aa10004";
        Phone spa = phone(mac, "cisco-spa504g", "Cisco/SPA504G-7.6.2b (88755AA10004)(CCQ1234)");

        HttpResponse<String> common = spa.get("/spa504G.cfg");
        assertNoSecret(common, spa);
        assertThat(element(xml(common.body()), "Profile_Rule_B")).isEqualTo(base + "/spa$MA.xml");
        assertThat(xml(common.body()).getElementsByTagName("Profile_Rule").getLength()).isZero();

        Document profile = xml(spa.getProven("/spa" + mac + ".xml").body());

        assertThat(element(profile, "Profile_Rule"))
                .isEqualTo("[--uid " + spa.username() + " --pwd " + spa.password() + "]" + base + "/spa$MA.xml");
        assertThat(element(profile, "Display_Name_1_")).isEqualTo("Ada Lovelace");
        assertThat(element(profile, "User_ID_1_")).isEqualTo(sipUser);
        assertThat(element(profile, "Auth_ID_1_")).isEqualTo(sipUser);
        assertThat(element(profile, "Password_1_")).isEqualTo(sipPassword);
        assertThat(element(profile, "Proxy_1_")).isEqualTo("sip.test.example:5060");
        assertThat(element(profile, "Voice_Mail_Number")).isEqualTo("*97");
        assertThat(element(profile, "Time_Zone")).isEqualTo("GMT-05:00");
        assertThat(element(profile, "Daylight_Saving_Time_Rule")).isEqualTo("start=3/8/7/2;end=11/1/7/2;save=1");
        assertLastSeen(mac, "504G", "7.6.2b");
    }

    @Test
    void grandstreamIsServedWithAndWithoutItsFolder() throws Exception {
        String mac = "c074ada10005";
        Phone gxp = phone(mac, "grandstream-gxp2170", "Grandstream Model HW GXP2170 SW 1.0.11.3 DevId " + mac);

        assertThat(gxp.getProven("/Grandstream/cfg" + mac).statusCode()).isEqualTo(404);
        HttpResponse<String> own = gxp.getProven("/Grandstream/cfg" + mac + ".xml");
        assertNoSecret(gxp.get("/Grandstream/cfggxp2170.xml"), gxp);
        assertNoSecret(gxp.get("/cfggxp2170.xml"), gxp);
        assertNoSecret(gxp.get("/Grandstream/cfg.xml"), gxp);

        assertThat(own.statusCode()).isEqualTo(200);
        Document doc = xml(own.body());
        assertThat(element(doc, "P271")).isEqualTo("1");
        assertThat(element(doc, "P3")).isEqualTo("Ada Lovelace");
        assertThat(element(doc, "P35")).isEqualTo(sipUser);
        assertThat(element(doc, "P36")).isEqualTo(sipUser);
        assertThat(element(doc, "P34")).isEqualTo(sipPassword);
        assertThat(element(doc, "P47")).isEqualTo("sip.test.example:5060");
        assertThat(element(doc, "P33")).isEqualTo("*97");
        assertThat(element(doc, "P64")).isEqualTo("customize");
        assertThat(element(doc, "P246")).isEqualTo("EST5EDT,M3.2.0,M11.1.0");
        assertThat(element(doc, "P26015")).isEqualTo("0");
        assertThat(gxp.getProven("/cfg" + mac + ".xml").body()).isEqualTo(own.body());
        assertLastSeen(mac, "GXP2170", "1.0.11.3");
    }

    @Test
    void snomFollowsItsSettingFilesWithTheMacInPathOrQuery() throws Exception {
        String mac = "000413a10006";
        String upper = mac.toUpperCase();
        Phone d785 = phone(mac, "snom-d785",
                "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 " + upper + " SXM:0 UXM:0)");

        HttpResponse<String> list = d785.get("/snomD785.htm");
        assertNoSecret(list, d785);
        Document files = xml(list.body());
        assertThat(files.getElementsByTagName("file").getLength()).isEqualTo(1);
        assertThat(files.getElementsByTagName("file").item(0).getAttributes().getNamedItem("url").getNodeValue())
                .isEqualTo(base + "/snomD785.xml");
        assertNoSecret(d785.get("/snomD785.xml"), d785);

        for (String path : new String[] {"/snomD785-" + upper + ".htm", "/snomD785.htm?mac=" + upper, "/" + upper + ".xml"}) {
            HttpResponse<String> own = d785.getProven(path);
            assertThat(own.statusCode()).as(path).isEqualTo(200);
            Document doc = xml(own.body());
            assertThat(element(doc, "user_realname")).isEqualTo("Ada Lovelace");
            assertThat(element(doc, "user_name")).isEqualTo(sipUser);
            assertThat(element(doc, "user_pname")).isEqualTo(sipUser);
            assertThat(element(doc, "user_pass")).isEqualTo(sipPassword);
            assertThat(element(doc, "user_host")).isEqualTo("sip.test.example:5060");
            assertThat(element(doc, "user_mailbox")).isEqualTo("*97");
            assertThat(element(doc, "timezone")).isEqualTo("USA-5");
            assertThat(element(doc, "utc_offset")).isEqualTo("-18000");
            assertThat(element(doc, "setting_server")).isEqualTo(base + "/snomD785-" + upper + ".htm");
        }
        assertThat(d785.get("/snomD785.htm?mac=" + upper).statusCode()).isEqualTo(401);
        assertLastSeen(mac, "D785", "10.1.33.33");
    }

    @Test
    void fanvilIsServedWithAndWithoutItsFolder() throws Exception {
        String mac = "0c383ea10007";
        Phone x4 = phone(mac, "fanvil-x4", "Fanvil X4 2.10.2.6887 " + mac);

        assertNoSecret(x4.get("/Fanvil/f0X4hw1.100.cfg"), x4);
        assertNoSecret(x4.get("/Fanvil/F0V00X600000.cfg"), x4);
        HttpResponse<String> own = x4.getProven("/Fanvil/" + mac + ".cfg");

        assertThat(own.statusCode()).isEqualTo(200);
        Document doc = xml(own.body());
        assertThat(element(doc, "DisplayName")).isEqualTo("Ada Lovelace");
        assertThat(element(doc, "PhoneNumber")).isEqualTo(sipUser);
        assertThat(element(doc, "RegisterUser")).isEqualTo(sipUser);
        assertThat(element(doc, "RegisterPswd")).isEqualTo(sipPassword);
        assertThat(element(doc, "RegisterAddr")).isEqualTo("sip.test.example");
        assertThat(element(doc, "RegisterPort")).isEqualTo("5060");
        assertThat(element(doc, "MWINum")).isEqualTo("*97");
        assertThat(element(doc, "TimeZone")).isEqualTo("-20");
        assertThat(element(doc, "DSTStartMon")).isEqualTo("3");
        assertThat(x4.getProven("/" + mac + ".cfg").body()).isEqualTo(own.body());
        assertLastSeen(mac, "X4", "2.10.2.6887");
    }

    @Test
    void aastraGetsCommonModelAndUppercaseMacFiles() throws Exception {
        String mac = "00085da10008";
        String upper = mac.toUpperCase();
        Phone aastra = phone(mac, "aastra-6731i", "Aastra6731i MAC:00-08-5D-A1-00-08 V:3.2.0.70-SIP");

        assertNoSecret(aastra.get("/aastra.cfg"), aastra);
        assertNoSecret(aastra.get("/Aastra/aastra.cfg"), aastra);
        assertNoSecret(aastra.get("/6731i.cfg"), aastra);

        HttpResponse<String> own = aastra.getProven("/" + upper + ".cfg");

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(keyValues(own.body(), ": "))
                .containsEntry("sip line1 display name", "Ada Lovelace")
                .containsEntry("sip line1 user name", sipUser)
                .containsEntry("sip line1 auth name", sipUser)
                .containsEntry("sip line1 password", sipPassword)
                .containsEntry("sip line1 proxy ip", "sip.test.example")
                .containsEntry("sip line1 registrar ip", "sip.test.example")
                .containsEntry("sip line1 vmail", "*97")
                .containsEntry("time zone name", "US-Eastern");
        assertLastSeen(mac, "6731i", "3.2.0.70");
    }

    @Test
    void linphoneIsIdentifiedByTheUrlAndItsCredentials() throws Exception {
        String id = "5e0c6ba10009";
        Phone app = phone(id, "linphone-desktop", "Linphone/5.2.0 (belle-sip/5.2.0)");

        assertThat(app.get("/linphone/" + id + ".xml").statusCode()).isEqualTo(401);
        HttpResponse<String> own = app.getProven("/linphone/" + id + ".xml");

        assertThat(own.statusCode()).isEqualTo(200);
        Document doc = xml(own.body());
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.linphone.org/xsds/lpconfig.xsd");
        assertThat(named(doc, "entry", "name", "reg_proxy")).isEqualTo("<sip:sip.test.example:5060;transport=udp>");
        assertThat(named(doc, "entry", "name", "reg_identity"))
                .isEqualTo("\"Ada Lovelace\" <sip:" + sipUser + "@sip.test.example>");
        assertThat(named(doc, "entry", "name", "username")).isEqualTo(sipUser);
        assertThat(named(doc, "entry", "name", "passwd")).isEqualTo(sipPassword);
        assertThat(named(doc, "entry", "name", "realm")).isEqualTo("sip.test.example");
        assertLastSeen(id, "Linphone", "5.2.0");
    }

    @Test
    void aKnownMacAskedForThroughAnotherFamilysPathIsAnsweredAsAnUnknownMac() throws Exception {
        String mac = "00085da1000a";
        Phone aastra = phone(mac, "aastra-6731i", "Aastra6731i MAC:00-08-5D-A1-00-0A V:3.2.0.70-SIP");
        Phone stranger = new Phone(http, aastra.userAgent(), "00085da1000b", aastra.password());

        // <mac>.boot is Yealink's pattern, not Aastra's.
        HttpResponse<String> wrongFamily = aastra.getProven("/" + mac + ".boot");
        HttpResponse<String> unknown = stranger.getProven("/00085da1000b.boot");

        assertThat(wrongFamily.statusCode()).isEqualTo(401);
        assertThat(YealinkBootStoryTest.shape(wrongFamily)).isEqualTo(YealinkBootStoryTest.shape(unknown));
        assertThat(logs.all()).contains("mac=" + mac + " reason=wrong-family-path:device-is-aastra,path-is-yealink-t4x")
                .contains("mac=00085da1000b reason=unknown-mac");
    }

    @Test
    void modelsListsEveryModelOfEveryFamily() throws Exception {
        AdminClient.Reply models = admin.get("/models");

        assertThat(models.json().path("items").findValuesAsText("family")).contains("polycom", "yealink-t4x",
                "cisco-mpp", "cisco-spa", "grandstream", "snom", "fanvil", "aastra", "linphone");
        assertThat(models.json().path("items").findValuesAsText("id")).contains("polycom-vvx500", "snom-d785",
                "cisco-cp-8841-3pcc", "aastra-6731i", "linphone-android");
    }

    @Test
    void logsHoldNoSecretAfterEveryBoot() throws Exception {
        polycomBootsFromTheMasterFileToItsUserFileOnce();
        assertThat(logs.all()).doesNotContain(sipPassword).doesNotContain("reg.1.auth.password");
    }

    private void polycomBootsFromTheMasterFileToItsUserFileOnce() throws Exception {
        Phone vvx = phone("0004f2a1000c", "polycom-vvx410", "FileTransport PolycomVVX-VVX_410-UA/5.9.7.4477");
        assertThat(vvx.getProven("/0004f2a1000c-user.cfg").statusCode()).isEqualTo(200);
    }
}
