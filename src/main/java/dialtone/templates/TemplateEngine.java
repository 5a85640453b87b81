package dialtone.templates;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.exception.ParseErrorException;
import org.apache.velocity.exception.ResourceNotFoundException;
import org.apache.velocity.runtime.RuntimeInstance;

/**
 * Velocity, sandboxed: templates see only the maps and helpers they are given, cannot reach Java
 * classes ({@link StrictUberspector}), and every value they insert is escaped for the file's format.
 */
public final class TemplateEngine {

    private final RuntimeInstance velocity = new RuntimeInstance();

    public TemplateEngine(Path templatesDir) {
        Properties p = new Properties();
        p.setProperty("resource.loaders", "file");
        p.setProperty("resource.loader.file.class", "org.apache.velocity.runtime.resource.loader.FileResourceLoader");
        p.setProperty("resource.loader.file.path", templatesDir.toAbsolutePath().toString());
        p.setProperty("resource.loader.file.cache", "true");
        p.setProperty("resource.loader.file.modification_check_interval", "2");
        p.setProperty("introspector.uberspect.class", StrictUberspector.class.getName());
        p.setProperty("introspector.restrict.packages", "java.lang.reflect,java.lang.invoke,java.io,java.nio,java.net");
        p.setProperty("introspector.restrict.classes", String.join(",", "java.lang.Class", "java.lang.ClassLoader",
                "java.lang.Module", "java.lang.Package", "java.lang.Process", "java.lang.ProcessBuilder",
                "java.lang.Runtime", "java.lang.System", "java.lang.Thread", "java.lang.ThreadGroup",
                "java.lang.ThreadLocal", "java.lang.SecurityManager"));
        p.setProperty("runtime.log.log_invalid_references", "false");
        p.setProperty("resource.default_encoding", "UTF-8");
        velocity.init(p);
    }

    /** Renders {@code <family>/<template>} with the given data, escaping every inserted value for the format. */
    public String render(Family family, String template, OutputFormat format, Map<String, Object> data) {
        String name = family.id() + "/" + template;
        Template t;
        try {
            t = velocity.getTemplate(name, "UTF-8");
        } catch (ResourceNotFoundException e) {
            throw new TemplateException(family.dir().resolve(template), 0, "template not found");
        } catch (ParseErrorException e) {
            throw new TemplateException(family.dir().resolve(template), e.getLineNumber(), e.getMessage());
        }
        VelocityContext context = new VelocityContext(new java.util.HashMap<>(data));
        EventCartridge cartridge = new EventCartridge();
        cartridge.addReferenceInsertionEventHandler(escaping(format));
        cartridge.attachToContext(context);
        StringWriter out = new StringWriter();
        t.merge(context, out);
        return out.toString();
    }

    /**
     * Renders a template that belongs to no phone family, e.g. {@code email/welcome.vm}, with the same
     * sandbox and escaping.
     */
    public String render(String name, OutputFormat format, Map<String, Object> data) {
        Template t;
        try {
            t = velocity.getTemplate(name, "UTF-8");
        } catch (ResourceNotFoundException e) {
            throw new TemplateException(Path.of(name), 0, "template not found");
        } catch (ParseErrorException e) {
            throw new TemplateException(Path.of(name), e.getLineNumber(), e.getMessage());
        }
        VelocityContext context = new VelocityContext(new java.util.HashMap<>(data));
        EventCartridge cartridge = new EventCartridge();
        cartridge.addReferenceInsertionEventHandler(escaping(format));
        cartridge.attachToContext(context);
        StringWriter out = new StringWriter();
        t.merge(context, out);
        return out.toString();
    }

    private static ReferenceInsertionEventHandler escaping(OutputFormat format) {
        return (ctx, reference, value) -> value == null ? null : format.escape(value.toString());
    }
}
