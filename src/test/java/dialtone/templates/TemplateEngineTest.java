package dialtone.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox and the per-format escaping of every inserted value. */
class TemplateEngineTest {

    @TempDir
    Path dir;
    Family family;
    TemplateEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(dir.resolve("fam"));
        family = new Family("fam", "Acme", dir.resolve("fam"), null, Pattern.compile("x"), null, List.of(), List.of(), List.of(),
                List.of(), Map.of());
        engine = new TemplateEngine(dir);
    }

    private String render(String template, OutputFormat format, Map<String, Object> data) throws Exception {
        Files.writeString(dir.resolve("fam/t.vm"), template);
        return engine.render(family, "t.vm", format, data);
    }

    @Test
    void xmlValuesCannotCloseElementsOrAttributes() throws Exception {
        String out = render("<reg name=\"$user.name\">$user.name</reg>", OutputFormat.XML,
                Map.of("user", Map.of("name", "</reg><reg x=\"1\"> & 'q'")));

        assertThat(out).isEqualTo("<reg name=\"&lt;/reg&gt;&lt;reg x=&quot;1&quot;&gt; &amp; &apos;q&apos;\">"
                + "&lt;/reg&gt;&lt;reg x=&quot;1&quot;&gt; &amp; &apos;q&apos;</reg>");
    }

    @Test
    void textValuesCannotStartANewLine() throws Exception {
        String out = render("a = $v\nb = 1\n", OutputFormat.TEXT, Map.of("v", "x\nb = 2\r\nc = 3"));

        assertThat(out.split("\n")).containsExactly("a = x b = 2  c = 3", "b = 1");
    }

    @Test
    void velocitySyntaxInValuesIsRenderedLiterally() throws Exception {
        String out = render("v = $v", OutputFormat.TEXT, Map.of("v", "${user.password} #set($x = 1) {{7*7}} $!x"));

        assertThat(out).isEqualTo("v = ${user.password} #set($x = 1) {{7*7}} $!x");
    }

    @Test
    void templatesCannotReachJavaClasses() throws Exception {
        String template = "[$v.getClass().forName('java.lang.Runtime')]"
                + "[$v.getClass().forName('java.lang.Runtime').getRuntime().exec('id')]"
                + "[$v.getClass().getClassLoader()][$v.getClass().getMethods()][$v.getClass().getModule()]";

        String out = render(template, OutputFormat.TEXT, Map.of("v", "text"));

        // Every reference stays unresolved, so Velocity prints it back as written.
        assertThat(out).isEqualTo(template);
    }

    @Test
    void brokenTemplateIsReportedWithFileAndLine() throws Exception {
        assertThatThrownBy(() -> render("ok\n#if($x\n", OutputFormat.TEXT, Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("t.vm:");
    }
}
