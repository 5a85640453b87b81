package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.config.DialtoneConfig;
import dialtone.templates.Family;
import dialtone.templates.FileSpec;
import dialtone.templates.OutputFormat;
import dialtone.templates.PhoneModel;
import dialtone.templates.TemplateSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * A user named {@code </reg><reg x="1">}, or holding quotes, ampersands and a newline, must not change the
 * structure of any family's file: same elements and attributes (XML), same keys (text), value kept literally.
 */
class HostileNamesTest {

    static final String HOSTILE_FIRST = "</reg><reg x=\"1\">";
    static final String HOSTILE_LAST = "\"Q\" & A'\nB";
    static final String ADMIN_PASSWORD = "x&<y>\":z:";
    static final DialtoneConfig.Sip SIP = new DialtoneConfig.Sip("sip.test.example", 5060, "", "udp", "*97");

    final TemplateSet templates = TemplateSet.load(Path.of("templates"), null);
    final PhoneDataModel data = new PhoneDataModel(SIP, new DialtoneConfig.Time("pool.ntp.org", true), sealed -> sealed);

    private String render(Family family, FileSpec file, PhoneModel model, String first, String last) {
        PhoneRecord.BoundUser user = new PhoneRecord.BoundUser("u-1", "l-1", first, last, "ada", "ada@example.com", false, null,
                "101", null, "Europe/Berlin", false, "u101", "pass&<word>\"", false);
        PhoneRecord device = new PhoneRecord("0a1b2c3d4e5f", "a", family.id(), model.id(), first + last, "0a1b2c3d4e5f",
                "sealed", null, user, "{\"admin_password\":\"" + ADMIN_PASSWORD.replace("\"", "\\\"") + "\"}", null,
                dialtone.directory.AccountSip.NONE, true);
        return templates.render(family, file, data.forDevice(family, device, model, "https://prov.example"));
    }

    @Test
    void hostileNamesChangeNoFamilysStructure() {
        List<String> checked = new ArrayList<>();
        String expected = (HOSTILE_FIRST + " " + HOSTILE_LAST).replace('\n', ' ');
        for (Family family : templates.families().families()) {
            for (FileSpec file : family.files()) {
                if (!file.hasMac()) {
                    continue;
                }
                PhoneModel model = family.models().get(0);
                String benign = render(family, file, model, "Ada", "Lovelace");
                String hostile = render(family, file, model, HOSTILE_FIRST, HOSTILE_LAST);
                String what = family.id() + "/" + file.path();
                if (file.format() == OutputFormat.XML) {
                    Document before = ConfigFiles.xml(benign);
                    Document after = ConfigFiles.xml(hostile);
                    assertThat(ConfigFiles.structure(after)).as(what).isEqualTo(ConfigFiles.structure(before));
                    if (file.template().contains("master")) {
                        continue;
                    }
                    List<String> values = new ArrayList<>(ConfigFiles.attributes(after).values());
                    values.add(after.getDocumentElement().getTextContent());
                    if (family.id().equals("linphone")) {
                        values.add(sipDisplayName(ConfigFiles.named(after, "entry", "name", "reg_identity")));
                    }
                    assertThat(values).as(what).anyMatch(v -> v.contains(expected));
                } else {
                    List<Map.Entry<String, String>> before = keys(benign);
                    List<Map.Entry<String, String>> after = keys(hostile);
                    assertThat(after.stream().map(Map.Entry::getKey).toList()).as(what)
                            .isEqualTo(before.stream().map(Map.Entry::getKey).toList());
                    if (!file.path().endsWith(".boot")) {
                        assertThat(after).as(what).anyMatch(e -> e.getValue().contains(expected));
                    }
                }
                checked.add(what);
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void aDisplayNameWithQuotesAndBackslashesStaysInsideLinphonesSipQuotedString() {
        Family linphone = templates.families().family("linphone").orElseThrow();
        String first = "Ada \"\\\" <sip:evil@attacker.example>";

        String body = render(linphone, linphone.files().get(0), linphone.models().get(0), first, "O'Hara");
        String identity = ConfigFiles.named(ConfigFiles.xml(body), "entry", "name", "reg_identity");

        assertThat(sipDisplayName(identity)).isEqualTo(first + " O'Hara");
        assertThat(identity.substring(identity.lastIndexOf("\" ") + 2)).isEqualTo("<sip:u101@sip.test.example>");
    }

    @Test
    void yealinksAdminPasswordKeepsItsColonsAfterTheUserNameItIsPairedWith() {
        Family yealink = templates.families().family("yealink-t4x").orElseThrow();
        FileSpec file = yealink.files().stream().filter(f -> f.path().equals("{mac}.cfg")).findFirst().orElseThrow();

        String value = keys(render(yealink, file, yealink.models().get(0), "Ada", "Lovelace")).stream()
                .filter(e -> e.getKey().equals("static.security.user_password")).findFirst().orElseThrow().getValue();

        assertThat(value).isEqualTo("admin:" + ADMIN_PASSWORD);
        assertThat(value.substring(value.indexOf(':') + 1)).isEqualTo(ADMIN_PASSWORD);
    }

    /**
     * Reads the display name of a SIP name-addr ({@code "Name" <uri>}) as a SIP parser does: a quoted-string
     * in which a backslash escapes the next character; anything after the closing quote must be {@code " <"}.
     */
    static String sipDisplayName(String nameAddr) {
        assertThat(nameAddr).startsWith("\"");
        StringBuilder name = new StringBuilder();
        int i = 1;
        for (; i < nameAddr.length(); i++) {
            char c = nameAddr.charAt(i);
            if (c == '\\') {
                name.append(nameAddr.charAt(++i));
            } else if (c == '"') {
                break;
            } else {
                name.append(c);
            }
        }
        assertThat(nameAddr.substring(i + 1)).as("after the quoted display name").startsWith(" <sip:")
                .endsWith(">").doesNotContain("\"");
        return name.toString();
    }

    /** Key/value lines of a text file: the key ends at the first '=' or ':'. */
    private static List<Map.Entry<String, String>> keys(String body) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String line : body.split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            int colon = line.indexOf(':');
            int at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            assertThat(at).as("line '%s'", line).isPositive();
            out.add(Map.entry(line.substring(0, at).trim(), line.substring(at + 1).trim()));
        }
        return out;
    }

    @Test
    void everyFormatTurnsLineBreaksIntoSpacesAndXmlEscapesMarkup() {
        assertThat(OutputFormat.TEXT.escape("a\nb\r\nc")).isEqualTo("a b  c");
        assertThat(OutputFormat.INI.escape("a\nkey = 1")).isEqualTo("a key = 1");
        assertThat(OutputFormat.XML.escape("</reg><reg x=\"1\"> & '\n"))
                .isEqualTo("&lt;/reg&gt;&lt;reg x=&quot;1&quot;&gt; &amp; &apos; ");
    }
}
