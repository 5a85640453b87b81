package dialtone.provisioning;

import static dialtone.provisioning.ConfigFiles.attributes;
import static dialtone.provisioning.ConfigFiles.element;
import static dialtone.provisioning.ConfigFiles.keyValues;
import static dialtone.provisioning.ConfigFiles.named;
import static dialtone.provisioning.ConfigFiles.xml;
import static org.assertj.core.api.Assertions.assertThat;

import dialtone.config.DialtoneConfig;
import dialtone.templates.Family;
import dialtone.templates.FileSpec;
import dialtone.templates.PhoneModel;
import dialtone.templates.TemplateSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Every family's device file as a real phone reads it, rendered through the shipped templates and the phone
 * side's data model: a SIP domain other than the registrar (so the registrar is the outbound proxy), TLS on
 * 5061, a forward-on-no-answer target with a 25 s delay, and a half-hour zone with summer time (St. John's,
 * UTC-3:30). Each is parsed with a real XML parser or the vendor's line syntax, then rendered again after the
 * forward target was removed: the phone must switch forwarding off and clear the old target.
 */
class FamilyConfigurationTest {

    static final DialtoneConfig.Sip SIP = new DialtoneConfig.Sip("registrar.example.net", 5061, "example.com", "tls",
            "*97", "pbx-realm");
    static final DialtoneConfig.Time TIME = new DialtoneConfig.Time("ntp.example.net", true);
    static final String TARGET = "+14155550199";

    final TemplateSet templates = TemplateSet.load(Path.of("templates"), null);
    final PhoneDataModel data = new PhoneDataModel(SIP, TIME, sealed -> sealed);

    /** Renders the family's file {@code path} for a device of {@code modelId} bound to Ada (forwarding to {@code forward}). */
    private String render(String familyId, String path, String modelId, String forward) {
        return render(familyId, path, modelId, forward, null);
    }

    private String render(String familyId, String path, String modelId, String forward, String nextPassword) {
        Family family = templates.families().family(familyId).orElseThrow();
        FileSpec file = family.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
        PhoneModel model = family.models().stream().filter(m -> m.id().equals(modelId)).findFirst().orElseThrow();
        PhoneRecord.BoundUser ada = new PhoneRecord.BoundUser("u-1", "l-1", "Ada", "Lovelace", "ada", "ada@example.com", false,
                "+14155552671", "101", forward, "America/St_Johns", false, "u101", "sip-secret", false);
        PhoneRecord device = new PhoneRecord("0a1b2c3d4e5f", "account", familyId, modelId, "Front desk",
                "0a1b2c3d4e5f", "CurrentProvPassw0rd", nextPassword, ada, "{\"forward_no_answer_seconds\":\"25\"}",
                null);
        return templates.render(family, file, data.forDevice(family, device, model, "https://prov.example.net:8443"));
    }

    @Test
    void yealinkRegistersAtTheDomainThroughTheRegistrarAndForwardsAfterRings() {
        Map<String, String> cfg = keyValues(render("yealink-t4x", "{mac}.cfg", "yealink-t46s", TARGET), " = ");

        assertThat(cfg).containsEntry("account.1.label", "101")
                .containsEntry("account.1.user_name", "u101")
                .containsEntry("account.1.sip_server.1.address", "example.com")
                .containsEntry("account.1.sip_server.1.port", "5061")
                .containsEntry("account.1.sip_server.1.transport_type", "2")
                .containsEntry("account.1.outbound_proxy_enable", "1")
                .containsEntry("account.1.outbound_proxy.1.address", "registrar.example.net")
                .containsEntry("account.1.outbound_proxy.1.port", "5061")
                .containsEntry("features.fwd.allow", "1")
                .containsEntry("features.fwd_mode", "1")
                .containsEntry("account.1.timeout_fwd.enable", "1")
                .containsEntry("account.1.timeout_fwd.target", TARGET)
                .containsEntry("account.1.timeout_fwd.timeout", "5")
                .containsEntry("local_time.ntp_server1", "ntp.example.net")
                .containsEntry("local_time.manual_ntp_srv_prior", "1")
                .containsEntry("local_time.dhcp_time", "0")
                .containsEntry("local_time.time_zone", "-3:30")
                .containsEntry("local_time.time_zone_name", "Canada-New Foundland(St.Johns)")
                .containsEntry("local_time.summer_time", "1")
                .containsEntry("local_time.start_time", "3/2/7/2")
                .containsEntry("local_time.end_time", "11/1/7/2")
                .containsEntry("local_time.offset_time", "60");

        Map<String, String> off = keyValues(render("yealink-t4x", "{mac}.cfg", "yealink-t46s", null), " = ");

        assertThat(off).containsEntry("account.1.timeout_fwd.enable", "0")
                .containsEntry("account.1.timeout_fwd.target", "%NULL%")
                .doesNotContainKey("account.1.timeout_fwd.timeout");
    }

    @Test
    void polycomCarriesTheDomainInTheAddressAndDivertsLocally() {
        Map<String, String> cfg = attributes(xml(render("polycom", "{mac}-user.cfg", "polycom-vvx500", TARGET)));

        assertThat(cfg).containsEntry("reg.1.label", "101")
                .containsEntry("reg.1.address", "u101@example.com")
                .containsEntry("reg.1.server.1.address", "registrar.example.net")
                .containsEntry("reg.1.server.1.port", "5061")
                .containsEntry("reg.1.server.1.transport", "TLS")
                .containsEntry("msg.mwi.1.subscribe", "u101")
                .containsEntry("voIpProt.SIP.serverFeatureControl.cf", "0")
                .containsEntry("divert.noanswer.1.enabled", "1")
                .containsEntry("divert.noanswer.1.contact", TARGET)
                .containsEntry("divert.noanswer.1.timeout", "25")
                .containsEntry("tcpIpApp.sntp.address", "ntp.example.net")
                .containsEntry("tcpIpApp.sntp.address.overrideDHCP", "1")
                .containsEntry("tcpIpApp.sntp.gmtOffset", "-12600")
                .containsEntry("tcpIpApp.sntp.gmtOffset.overrideDHCP", "1")
                .containsEntry("tcpIpApp.sntp.daylightSavings.enable", "1")
                .containsEntry("tcpIpApp.sntp.daylightSavings.start.month", "3")
                .containsEntry("tcpIpApp.sntp.daylightSavings.start.date", "8")
                .containsEntry("tcpIpApp.sntp.daylightSavings.start.dayOfWeek", "1")
                .containsEntry("tcpIpApp.sntp.daylightSavings.start.time", "2")
                .containsEntry("tcpIpApp.sntp.daylightSavings.stop.month", "11")
                .containsEntry("tcpIpApp.sntp.daylightSavings.stop.date", "1");

        Map<String, String> off = attributes(xml(render("polycom", "{mac}-user.cfg", "polycom-vvx500", null)));

        assertThat(off).containsEntry("divert.noanswer.1.enabled", "0").containsEntry("divert.noanswer.1.contact", "");
    }

    @Test
    void ciscoMppUsesTheRegistrarAsOutboundProxyAndForwardsOnNoAnswer() {
        Document profile = xml(render("cisco-mpp", "{mac}.xml", "cisco-cp-8841-3pcc", TARGET));

        assertThat(element(profile, "Proxy_1_")).isEqualTo("example.com");
        assertThat(element(profile, "Outbound_Proxy_1_")).isEqualTo("registrar.example.net:5061");
        assertThat(element(profile, "Use_OB_Proxy_In_Dialog_1_")).isEqualTo("Yes");
        assertThat(element(profile, "SIP_Transport_1_")).isEqualTo("TLS");
        assertThat(element(profile, "Short_Name_1_")).isEqualTo("101");
        assertThat(element(profile, "Station_Display_Name")).isEqualTo("+14155552671");
        assertThat(element(profile, "Use_Auth_ID_1_")).isEqualTo("Yes");
        assertThat(element(profile, "Cfwd_Setting")).isEqualTo("Yes");
        assertThat(element(profile, "Cfwd_No_Answer")).isEqualTo("Yes");
        assertThat(element(profile, "Cfwd_No_Ans_Dest")).isEqualTo(TARGET);
        assertThat(element(profile, "Cfwd_No_Ans_Delay")).isEqualTo("25");
        assertThat(element(profile, "Primary_NTP_Server")).isEqualTo("ntp.example.net");
        assertThat(element(profile, "Ignore_DHCP_Time_Offset")).isEqualTo("Yes");
        assertThat(element(profile, "Time_Zone")).isEqualTo("GMT-03:30");
        assertThat(element(profile, "Daylight_Saving_Time_Rule")).isEqualTo("start=3/8/7/2;end=11/1/7/2;save=1");

        Document off = xml(render("cisco-mpp", "{mac}.xml", "cisco-cp-8841-3pcc", null));

        assertThat(element(off, "Cfwd_No_Answer")).isEqualTo("No");
        assertThat(element(off, "Cfwd_No_Ans_Dest")).isEmpty();
    }

    @Test
    void aUsersOwnNoAnswerForwardAndTimeWinOverTheUnreachableTargetOnThePhone() {
        Family family = templates.families().family("cisco-mpp").orElseThrow();
        FileSpec file = family.files().stream().filter(f -> f.path().equals("{mac}.xml")).findFirst().orElseThrow();
        PhoneModel model = family.models().stream().filter(m -> m.id().equals("cisco-cp-8841-3pcc")).findFirst().orElseThrow();
        PhoneRecord.BoundUser ada = new PhoneRecord.BoundUser("u-1", "l-1", "Ada", "Lovelace", "ada", "ada@example.com",
                false, "+14155552671", "101", TARGET, "America/St_Johns", false, "u101", "sip-secret", false, true,
                "+14155550199", 40);
        PhoneRecord device = new PhoneRecord("0a1b2c3d4e5f", "account", "cisco-mpp", model.id(), "Front desk",
                "0a1b2c3d4e5f", "CurrentProvPassw0rd", null, ada, "{\"forward_no_answer_seconds\":\"25\"}", null);

        Document profile = xml(templates.render(family, file,
                data.forDevice(family, device, model, "https://prov.example.net:8443")));

        assertThat(element(profile, "Cfwd_No_Answer")).isEqualTo("Yes");
        assertThat(element(profile, "Cfwd_No_Ans_Dest")).isEqualTo("+14155550199");
        assertThat(element(profile, "Cfwd_No_Ans_Delay")).isEqualTo("40");
    }

    @Test
    void ciscoSpaTurnsTheOutboundProxyOnAndForwardsOnNoAnswer() {
        Document profile = xml(render("cisco-spa", "spa{mac}.xml", "cisco-spa504g", TARGET));

        assertThat(element(profile, "Proxy_1_")).isEqualTo("example.com");
        assertThat(element(profile, "Use_Outbound_Proxy_1_")).isEqualTo("Yes");
        assertThat(element(profile, "Outbound_Proxy_1_")).isEqualTo("registrar.example.net:5061");
        assertThat(element(profile, "SIP_Transport_1_")).isEqualTo("TLS");
        assertThat(element(profile, "Short_Name_1_")).isEqualTo("101");
        assertThat(element(profile, "Use_Auth_ID_1_")).isEqualTo("Yes");
        assertThat(element(profile, "Cfwd_No_Ans_Dest")).isEqualTo(TARGET);
        assertThat(element(profile, "Cfwd_No_Ans_Delay")).isEqualTo("25");
        assertThat(element(profile, "Primary_NTP_Server")).isEqualTo("ntp.example.net");
        assertThat(element(profile, "Time_Zone")).isEqualTo("GMT-03:30");
        assertThat(profile.getElementsByTagName("Cfwd_No_Answer").getLength()).isZero();

        Document off = xml(render("cisco-spa", "spa{mac}.xml", "cisco-spa504g", null));

        assertThat(element(off, "Cfwd_No_Ans_Dest")).isEmpty();
    }

    @Test
    void grandstreamSetsServerProxyTransportAndACustomZoneButNeverSipReset() {
        Document doc = xml(render("grandstream", "cfg{mac}.xml", "grandstream-gxp2170", TARGET));

        assertThat(element(doc, "P270")).isEqualTo("101");
        assertThat(element(doc, "P47")).isEqualTo("example.com");
        assertThat(element(doc, "P48")).isEqualTo("registrar.example.net:5061");
        assertThat(element(doc, "P130")).isEqualTo("2");
        assertThat(element(doc, "P139")).isEqualTo("25");
        assertThat(element(doc, "P30")).isEqualTo("ntp.example.net");
        assertThat(element(doc, "P144")).isEqualTo("0");
        assertThat(element(doc, "P64")).isEqualTo("customize");
        assertThat(element(doc, "P246")).isEqualTo("NST3:30NDT,M3.2.0,M11.1.0");
        assertThat(element(doc, "P26015")).isEqualTo("0");
        assertThat(element(doc, "P4428")).isEqualTo("1");

        String off = render("grandstream", "cfg{mac}.xml", "grandstream-gxp2170", null);

        assertThat(element(xml(off), "P139")).isEqualTo("25");
        assertThat(off).doesNotContain(TARGET);
        assertThat(render("grandstream", "cfg{mac}.xml", "grandstream-gxp2170", TARGET)).doesNotContain(TARGET);
    }

    @Test
    void snomSendsThroughTheOutboundProxyWithItsTransportAndForwardsPerIdentity() {
        Document doc = xml(render("snom", "{MAC}.xml", "snom-d785", TARGET));

        assertThat(element(doc, "user_host")).isEqualTo("example.com");
        assertThat(element(doc, "user_outbound")).isEqualTo("registrar.example.net:5061;transport=tls");
        assertThat(element(doc, "user_idle_text")).isEqualTo("101");
        assertThat(element(doc, "user_idle_number")).isEqualTo("+14155552671");
        assertThat(element(doc, "fwd_time_enabled")).isEqualTo("on");
        assertThat(element(doc, "fwd_time_target")).isEqualTo(TARGET);
        assertThat(element(doc, "fwd_time_secs")).isEqualTo("25");
        assertThat(element(doc, "redirect_event")).isEqualTo("time");
        assertThat(element(doc, "redirect_time_number")).isEqualTo(TARGET);
        assertThat(element(doc, "redirect_time")).isEqualTo("25");
        assertThat(element(doc, "ntp_server")).isEqualTo("ntp.example.net");
        assertThat(element(doc, "timezone")).isEqualTo("CAN-3.5");
        assertThat(element(doc, "utc_offset")).isEqualTo("-12600");

        Document off = xml(render("snom", "{MAC}.xml", "snom-d785", null));

        assertThat(element(off, "fwd_time_enabled")).isEqualTo("off");
        assertThat(element(off, "fwd_time_target")).isEmpty();
        assertThat(element(off, "redirect_event")).isEqualTo("none");
        assertThat(element(off, "redirect_time_number")).isEmpty();
    }

    @Test
    void fanvilWritesProxyTlsForwardAndItsQuarterHourZoneUnderTheDateSettings() {
        Document doc = xml(render("fanvil", "{mac}.cfg", "fanvil-x4", TARGET));

        assertThat(element(doc, "RegisterAddr")).isEqualTo("example.com");
        assertThat(element(doc, "RegisterPort")).isEqualTo("5061");
        assertThat(element(doc, "ProxyAddr")).isEqualTo("registrar.example.net");
        assertThat(element(doc, "ProxyPort")).isEqualTo("5061");
        assertThat(element(doc, "Transport")).isEqualTo("3");
        assertThat(element(doc, "NoAnswerFWD")).isEqualTo("1");
        assertThat(element(doc, "NoAnswerFWDNum")).isEqualTo(TARGET);
        assertThat(element(doc, "FWDTimer")).isEqualTo("25");
        assertThat(element(doc, "LCDTitle")).isEqualTo("101 Ada Lovelace");
        assertThat(element(doc, "DHCPAutoTime")).isEqualTo("0");
        assertThat(doc.getElementsByTagName("date").item(0).getParentNode().getNodeName()).isEqualTo("phone");
        assertThat(element(doc, "SNTPServer")).isEqualTo("ntp.example.net");
        assertThat(element(doc, "TimeZone")).isEqualTo("-14");
        assertThat(element(doc, "EnableDST")).isEqualTo("2");
        assertThat(element(doc, "DSTMinOffset")).isEqualTo("60");
        assertThat(element(doc, "DSTStartMon")).isEqualTo("3");
        assertThat(element(doc, "DSTStartWeek")).isEqualTo("2");
        assertThat(element(doc, "DSTStartWday")).isEqualTo("0");
        assertThat(element(doc, "DSTStartHour")).isEqualTo("2");
        assertThat(element(doc, "DSTEndMon")).isEqualTo("11");
        assertThat(element(doc, "DSTEndWeek")).isEqualTo("1");
        assertThat(element(doc, "DSTEndWday")).isEqualTo("0");
        assertThat(element(doc, "DSTEndHour")).isEqualTo("2");

        Document off = xml(render("fanvil", "{mac}.cfg", "fanvil-x4", null));

        assertThat(element(off, "NoAnswerFWD")).isEqualTo("0");
        assertThat(element(off, "NoAnswerFWDNum")).isEmpty();
    }

    @Test
    void aastraWritesTheGlobalTransportAnOutboundProxyAndACustomZoneWithItsRules() {
        Map<String, String> cfg = keyValues(render("aastra", "{MAC}.cfg", "aastra-6731i", TARGET), ": ");

        assertThat(cfg).containsEntry("sip line1 screen name 2", "+14155552671")
                .containsEntry("sip line1 proxy ip", "example.com")
                .containsEntry("sip line1 proxy port", "5061")
                .containsEntry("sip line1 registrar ip", "example.com")
                .containsEntry("sip line1 outbound proxy", "registrar.example.net")
                .containsEntry("sip line1 outbound proxy port", "5061")
                .containsEntry("sip transport protocol", "4")
                .containsEntry("time server1", "ntp.example.net")
                .containsEntry("time zone name", "Custom")
                .containsEntry("time zone minutes", "210")
                .containsEntry("dst config", "3")
                .containsEntry("dst minutes", "60")
                .containsEntry("dst start relative date", "1")
                .containsEntry("dst start month", "3")
                .containsEntry("dst start week", "2")
                .containsEntry("dst start day", "1")
                .containsEntry("dst start hour", "2")
                .containsEntry("dst end month", "11")
                .containsEntry("dst end week", "1")
                .containsEntry("dst end day", "1")
                .containsEntry("dst end hour", "2")
                .doesNotContainKey("sip line1 transport protocol");
        assertThat(cfg.values()).doesNotContain(TARGET);
    }

    @Test
    void linphoneRoutesThroughTheRegistrarWithTheConfiguredRealm() {
        Document doc = xml(render("linphone", "{mac}.xml", "linphone-desktop", TARGET));

        assertThat(named(doc, "entry", "name", "reg_proxy")).isEqualTo("<sip:example.com;transport=tls>");
        assertThat(named(doc, "entry", "name", "reg_route")).isEqualTo("<sip:registrar.example.net:5061;transport=tls;lr>");
        assertThat(named(doc, "entry", "name", "reg_identity")).isEqualTo("\"Ada Lovelace\" <sip:u101@example.com>");
        assertThat(named(doc, "entry", "name", "realm")).isEqualTo("pbx-realm");
        assertThat(named(doc, "entry", "name", "domain")).isEqualTo("example.com");
        assertThat(named(doc, "entry", "name", "config-uri"))
                .isEqualTo("https://0a1b2c3d4e5f:CurrentProvPassw0rd@prov.example.net:8443/linphone/0a1b2c3d4e5f.xml");
    }

    @Test
    void withoutADomainEveryFamilyRegistersAtTheRegistrarWithoutOutboundProxy() {
        PhoneDataModel plain = new PhoneDataModel(new DialtoneConfig.Sip("sip.example.net", 5060, "", "udp", "*97"),
                TIME, sealed -> sealed);
        Family yealink = templates.families().family("yealink-t4x").orElseThrow();
        PhoneModel t46s = yealink.models().stream().filter(m -> m.id().equals("yealink-t46s")).findFirst().orElseThrow();
        PhoneRecord device = new PhoneRecord("0a1b2c3d4e5f", "account", "yealink-t4x", "yealink-t46s", "",
                "0a1b2c3d4e5f", "sealed", null, new PhoneRecord.BoundUser("u-1", "l-1", "Ada", "Lovelace", "ada", "ada@example.com",
                false, null, "101", null, "Asia/Kolkata", false, "u101", "sip-secret", false), null, null);
        FileSpec file = yealink.files().stream().filter(f -> f.path().equals("{mac}.cfg")).findFirst().orElseThrow();

        Map<String, String> cfg = keyValues(templates.render(yealink, file,
                plain.forDevice(yealink, device, t46s, "https://prov.example.net")), " = ");

        assertThat(cfg).containsEntry("account.1.sip_server.1.address", "sip.example.net")
                .containsEntry("account.1.sip_server.1.transport_type", "0")
                .containsEntry("account.1.outbound_proxy_enable", "0")
                .containsEntry("account.1.outbound_proxy.1.address", "%NULL%")
                .containsEntry("local_time.time_zone", "+5:30")
                .containsEntry("local_time.time_zone_name", "India(Calcutta)")
                .containsEntry("local_time.summer_time", "0");
    }

    @Test
    void ciscoProfileRulesCarryTheDevicesCredentialsOnlyInItsOwnProfile() {
        Pattern rule = Pattern.compile("\\[--uid (\\S+) --pwd (\\S+)](https://\\S+)");
        for (String[] f : new String[][] {{"cisco-mpp", "{mac}.xml", "cisco-cp-8841-3pcc", "/$MA.xml"},
                {"cisco-spa", "spa{mac}.xml", "cisco-spa504g", "/spa$MA.xml"}}) {
            Matcher current = rule.matcher(element(xml(render(f[0], f[1], f[2], null)), "Profile_Rule"));
            Matcher rotating = rule.matcher(element(xml(render(f[0], f[1], f[2], null, "NextProvPassw0rd")),
                    "Profile_Rule"));

            assertThat(current.matches()).as(f[0]).isTrue();
            assertThat(List.of(current.group(1), current.group(2), current.group(3)))
                    .containsExactly("0a1b2c3d4e5f", "CurrentProvPassw0rd", "https://prov.example.net:8443" + f[3]);
            assertThat(rotating.matches()).as(f[0]).isTrue();
            assertThat(rotating.group(2)).isEqualTo("NextProvPassw0rd");
        }
        Family mpp = templates.families().family("cisco-mpp").orElseThrow();
        FileSpec common = mpp.files().stream().filter(f -> !f.hasMac()).findFirst().orElseThrow();
        String body = templates.render(mpp, common, data.common(mpp, mpp.models().get(0), "https://prov.example.net"));
        assertThat(xml(body).getElementsByTagName("Profile_Rule").getLength()).isZero();
        assertThat(body).doesNotContain("--uid").doesNotContain("--pwd");
    }

    @Test
    void everyModelAUserAgentNamesHasACommonFile() {
        List<String> agents = List.of(
                "FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477 Type/Application",
                "FileTransport PolycomSoundPointIP-SPIP_550-UA/4.0.1.13681",
                "FileTransport PolycomRealPresenceTrio-Trio_8800-UA/5.9.1.10419",
                "Yealink SIP-T46S 66.86.0.15 00:15:65:a1:00:02", "Yealink SIP-T21P_E2 52.80.0.3 00:15:65:4c:4c:26",
                "Cisco-CP-7832-3PCC/11.3.1 (00562b043615)", "Cisco-CP-8832-3PCC/11.3.1 (00562b043616)",
                "Cisco/SPA504G-7.6.2b (88755AA10004)(CCQ1234)",
                "Grandstream Model HW GXP2170 SW 1.0.11.3 DevId c074ada10005",
                "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413A10006 SXM:0 UXM:0)",
                "Fanvil X4 2.10.2.6887 0c383e07e16c", "Fanvil X3S 2.10.2.6887 0c383e07e16d",
                "Fanvil X6 2.10.2.6887 0c383e07e16e", "Fanvil X210 2.4.5.2 0c383e07e16f",
                "Aastra6731i MAC:00-08-5D-23-74-29 V:3.2.0.70-SIP");
        for (String agent : agents) {
            List<Family> claiming = templates.families().families().stream()
                    .filter(f -> f.parseUserAgent(agent) != null).toList();
            assertThat(claiming).as(agent).hasSize(1);
            Family family = claiming.get(0);
            PhoneModel model = family.modelNamed(family.parseUserAgent(agent).model()).orElseThrow(
                    () -> new AssertionError(agent + " names no model of " + family.id()));
            assertThat(commonFileFor(family, model)).as(agent).isTrue();
        }
        Family mpp = templates.families().family("cisco-mpp").orElseThrow();
        for (int number = 0; number <= 9999; number++) {
            String agent = String.format("Cisco-CP-%04d-3PCC/11.3.1 (00562b043615)", number);
            Family.UserAgentInfo claimed = mpp.parseUserAgent(agent);
            if (claimed != null) {
                PhoneModel model = mpp.modelNamed(claimed.model()).orElseThrow(() -> new AssertionError(agent));
                assertThat(commonFileFor(mpp, model)).as(agent).isTrue();
            }
        }
    }

    /** Whether one of the family's files without a MAC is served for this model (its placeholders are the model's). */
    private static boolean commonFileFor(Family family, PhoneModel model) {
        return family.files().stream().filter(f -> !f.hasMac())
                .anyMatch(f -> f.placeholders().stream().allMatch(p -> model.attribute(p) != null));
    }
}
