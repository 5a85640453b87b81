package dialtone.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.Main;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import dialtone.testing.Trees;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Templates an operator edits: checked at start and by the CLI, reloaded live, shadowed by an override folder. */
class TemplateLifecycleTest {

    @TempDir
    Path dir;

    private Path copyOfTemplates() throws Exception {
        return Trees.copy(Path.of("templates"), dir.resolve("templates"));
    }

    @Test
    void serverRefusesToStartOnASyntaxErrorNamingFileAndLine() throws Exception {
        Path templates = copyOfTemplates();
        Files.writeString(templates.resolve("snom/files.xml.vm"), "<?xml version=\"1.0\"?>\n<setting-files>\n#set($a = )\n</setting-files>\n");

        assertThatThrownBy(() -> new TestDialtone(dir, Map.of("DIALTONE_TEMPLATES_DIR", templates.toString())))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining(templates.resolve("snom/files.xml.vm") + ":3:");
    }

    @Test
    void serverRefusesToStartOnAnUndefinedReferenceOrBrokenXml() throws Exception {
        Path templates = copyOfTemplates();
        Path user = templates.resolve("polycom/user.cfg.vm");
        Files.writeString(user, Files.readString(user).replace("$line.password", "$line.passwrd"));
        Path fanvil = templates.resolve("fanvil/common.xml.vm");
        Files.writeString(fanvil, Files.readString(fanvil) + "<trailing>\n");

        assertThatThrownBy(() -> new TestDialtone(dir, Map.of("DIALTONE_TEMPLATES_DIR", templates.toString())))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining(user + ":5: undefined reference $line.passwrd")
                .hasMessageContaining(fanvil + ": rendered f0{hw}hw1.100.cfg, output line 15: XML is not well-formed");
    }

    @Test
    void aBrokenHotEditKeepsTheLastGoodVersionAndAFixTakesEffect() throws Exception {
        Path templates = copyOfTemplates();
        Path common = templates.resolve("yealink-t4x/common.cfg.vm");
        String original = Files.readString(common);
        try (LogCapture logs = new LogCapture();
             TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_TEMPLATES_DIR", templates.toString(),
                     "DIALTONE_TEMPLATES_RELOAD_INTERVAL_MS", "100"))) {
            HttpsClient phone = server.phone();
            Files.writeString(common, original + "marker = one\n");
            Trees.await("first edit served", () -> body(phone, "/y000000000066.cfg").contains("marker = one"));

            Files.writeString(common, original + "#if($broken\n");
            Trees.await("broken edit logged", () -> logs.all().contains("edit refused, still serving the last good version: "
                    + common + ":"));
            assertThat(body(phone, "/y000000000066.cfg")).contains("marker = one");

            Files.writeString(common, original + "marker = two\n");
            Trees.await("fix served", () -> body(phone, "/y000000000066.cfg").contains("marker = two"));
        }
    }

    @Test
    void theOverrideFolderShadowsShippedFilesOneByOne() throws Exception {
        Path override = dir.resolve("override");
        Files.createDirectories(override.resolve("yealink-t4x"));
        Files.writeString(override.resolve("yealink-t4x/common.cfg.vm"), "#!version:1.0.0.1\nfrom.override = $model.name\n");
        try (TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_TEMPLATES_OVERRIDE_DIR", override.toString()))) {
            HttpsClient phone = server.phone();

            assertThat(body(phone, "/y000000000066.cfg")).isEqualTo("#!version:1.0.0.1\nfrom.override = T41S\n");
            assertThat(body(phone, "/y000000000028.cfg")).isEqualTo("#!version:1.0.0.1\nfrom.override = T46G\n");
            assertThat(body(phone, "/000000000000.cfg")).contains("APPLICATION");
        }
    }

    @Test
    void templatesCheckCommandReportsEveryProblemWithFileAndLine() throws Exception {
        Path templates = copyOfTemplates();
        Path aastra = templates.resolve("aastra/model.cfg.vm");
        Files.writeString(aastra, Files.readString(aastra) + "just words\nkey: $nosuch\n");
        Path config = dir.resolve("dialtone.yaml");
        Files.writeString(config, "templates:\n  dir: " + templates + "\n");

        Run broken = run("templates", "check", "--config", config.toString());
        Files.writeString(config, "templates:\n  dir: templates\n");
        Run good = run("templates", "check", "--config", config.toString());

        assertThat(broken.code()).isEqualTo(1);
        assertThat(broken.err()).contains("error: " + aastra + ":5: undefined reference $nosuch")
                .contains("error: " + aastra + ": rendered {model}.cfg, output line 4: neither a comment nor 'key = value': just words")
                .contains("2 problem(s) found");
        assertThat(good.code()).isZero();
        assertThat(good.out()).startsWith("templates OK: 9 families");
    }

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new Main()).execute(args);
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String body(HttpsClient phone, String path) {
        try {
            return phone.get(path).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
