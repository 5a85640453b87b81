package dialtone.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths to family files: MAC case and query, prefixes, and the family.yaml schema's refusals. */
class FamilyRegistryTest {

    static final FamilyRegistry SHIPPED = FamilyRegistry.load(Path.of("templates"));

    @TempDir
    Path dir;

    private static List<String> families(List<PathMatch> matches) {
        return matches.stream().map(m -> m.family().id() + ":" + m.file().path()).toList();
    }

    @Test
    void aMacPathIsEveryFamilysWithThatPatternInEitherCase() {
        List<String> all = List.of("aastra:{MAC}.cfg", "fanvil:{mac}.cfg", "polycom:{mac}.cfg", "yealink-t4x:{mac}.cfg");
        assertThat(families(SHIPPED.match("/0004f2aabbcc.cfg"))).containsExactlyInAnyOrderElementsOf(all);
        assertThat(families(SHIPPED.match("/0004F2AABBCC.cfg"))).containsExactlyInAnyOrderElementsOf(all);
        assertThat(SHIPPED.match("/0004F2AABBCC.cfg")).allMatch(m -> m.mac().equals("0004f2aabbcc"));
        assertThat(families(SHIPPED.match("/0004f2aabbcc.boot"))).containsExactly("yealink-t4x:{mac}.boot");
        assertThat(SHIPPED.match("/000000000000.cfg")).extracting(m -> m.file().path()).containsExactly("000000000000.cfg");
    }

    @Test
    void prefixFoldersWorkWithAndWithoutThePrefix() {
        assertThat(families(SHIPPED.match("/Grandstream/cfgc074ad2bd859.xml"))).containsExactly("grandstream:cfg{mac}.xml");
        assertThat(families(SHIPPED.match("/cfgc074ad2bd859.xml"))).containsExactly("grandstream:cfg{mac}.xml");
        assertThat(families(SHIPPED.match("/Fanvil/0c383e07e16c.cfg"))).containsExactly("fanvil:{mac}.cfg");
        assertThat(SHIPPED.match("/Other/0c383e07e16c.cfg")).isEmpty();
        assertThat(SHIPPED.match("/Fanvil/x/0c383e07e16c.cfg")).isEmpty();
    }

    @Test
    void snomTakesTheMacFromTheQueryOnlyWhenItIsThere() {
        List<PathMatch> withMac = SHIPPED.match("/snomD785.htm", Map.of("mac", List.of("000413922D24")));
        List<PathMatch> without = SHIPPED.match("/snomD785.htm", Map.of());

        assertThat(withMac.get(0).mac()).isEqualTo("000413922d24");
        assertThat(withMac.get(0).file().secrets()).isTrue();
        assertThat(without).hasSize(1);
        assertThat(without.get(0).mac()).isNull();
        assertThat(SHIPPED.match("/snomD785.htm", Map.of("mac", List.of("0004-13922D24"))).get(0).mac()).isNull();
    }

    @Test
    void unsafePathsMatchNothing() {
        for (String path : new String[] {"/../0004f2aabbcc.cfg", "/%2e%2e/x.cfg", "/a\\b.cfg", "/x\0.cfg", "//x.cfg"}) {
            assertThat(SHIPPED.match(path)).as(path).isEmpty();
        }
    }

    @Test
    void theUserAgentNamesAModelButNothingMore() {
        Family polycom = SHIPPED.family("polycom").orElseThrow();
        Family.UserAgentInfo ua = polycom.parseUserAgent("FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477 Type/Application");

        assertThat(ua).isEqualTo(new Family.UserAgentInfo("VVX_500", "5.9.7.4477"));
        assertThat(polycom.modelNamed(ua.model()).map(PhoneModel::id)).hasValue("polycom-vvx500");
        Family aastra = SHIPPED.family("aastra").orElseThrow();
        assertThat(aastra.parseUserAgent("Aastra6731i MAC:00-08-5D-23-74-29 V:3.2.0.70-SIP"))
                .isEqualTo(new Family.UserAgentInfo("6731i", "3.2.0.70"));
    }

    @Test
    void everyShippedFamilyDeclaresItsResyncEvent() {
        assertThat(SHIPPED.families()).hasSize(9).allSatisfy(f -> assertThat(f.resyncEvent()).startsWith("check-sync"));
    }

    private TemplateException refused(String yaml) throws Exception {
        Files.createDirectories(dir.resolve("fam"));
        Files.writeString(dir.resolve("fam/family.yaml"), yaml);
        try {
            FamilyRegistry.load(dir);
        } catch (TemplateException e) {
            return e;
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void schemaMistakesAreRefusedNamingTheFile() throws Exception {
        String models = "models:\n  - {id: fam-a, model: A}\n";
        Path yaml = dir.resolve("fam/family.yaml");

        assertThat(refused("vendor: X\n" + models + "files: []\ncolour: red\n").getMessage())
                .isEqualTo(yaml + ":5: unknown key 'colour'");
        assertThat(refused("vendor: X\n" + models
                + "files:\n  - {path: \"{mac}.cfg\", template: t.vm, format: text, secrets: false}\n").getMessage())
                .startsWith(yaml + ": file {mac}.cfg: a file that names one device must have secrets: true");
        assertThat(refused("vendor: X\n" + models
                + "files:\n  - {path: \"{code}.cfg\", template: t.vm, format: text, secrets: false}\n").getMessage())
                .isEqualTo(yaml + ": file {code}.cfg: no model has the attribute 'code'");
        assertThat(refused("vendor: X\n" + models + "files: []\nuploads: [\"boot.log\"]\n").getMessage())
                .startsWith(yaml + ": upload boot.log: must name the device");
        assertThat(refused("vendor: X\n" + models
                + "files:\n  - {path: \"../x.cfg\", template: t.vm, format: text, secrets: false}\n").getMessage())
                .startsWith(yaml + ": file ../x.cfg: path may hold only");
        assertThat(refused("vendor: X\n" + models + "files: []\nuser-agent: '(unclosed'\n").getMessage())
                .startsWith(yaml + ": user-agent is not a valid regular expression");
    }
}
