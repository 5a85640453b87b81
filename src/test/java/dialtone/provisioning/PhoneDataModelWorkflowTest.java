package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.config.DialtoneConfig;
import dialtone.directory.AccountSip;
import dialtone.security.SecretBox;
import dialtone.templates.Family;
import dialtone.templates.PhoneModel;
import dialtone.templates.TemplateSet;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The add-user workflow's fields that templates (a phone config, a voicemail integration) can use. */
class PhoneDataModelWorkflowTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void templatesSeeTheEmailVoicemailsFlagAndWhetherTheGreetingIsCustom() {
        SecretBox secrets = SecretBox.loadOrCreate(dir.resolve("secret.key"));
        PhoneDataModel model = new PhoneDataModel(new DialtoneConfig.Sip("sip.test", 5060, "", "udp", "*97"),
                new DialtoneConfig.Time("pool.ntp.org", true),
                secrets::open);
        Family family = TemplateSet.load(Path.of("templates"), null).families().family("yealink-t4x").orElseThrow();
        PhoneModel t46s = new PhoneModel("yealink-t46s", "Yealink", "T46S", "yealink-t4x", Map.of());
        for (boolean custom : new boolean[] {true, false}) {
            PhoneRecord.BoundUser user = new PhoneRecord.BoundUser("u-1", "l-1", "Ada", "Lovelace", "ada", "ada@example.com", custom,
                    null, "101", null, "America/Chicago", false, "usip", secrets.seal("secret"), custom);
            Map<String, Object> data = model.forDevice(family, new PhoneRecord("0015654aa937", "a", "yealink-t4x",
                    "yealink-t46s", null, "0015654aa937", secrets.seal("prov"), null, user, null, null, AccountSip.NONE, true), t46s,
                    "https://prov.example");
            Map<String, Object> shown = (Map<String, Object>) data.get("user");
            assertThat(shown.get("emailVoicemails")).isEqualTo(custom);
            assertThat(shown.get("greeting")).isEqualTo(custom ? "custom" : "default");
        }
    }
}
