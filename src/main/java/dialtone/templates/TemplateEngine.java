package dialtone.templates;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.app.event.InvalidReferenceEventHandler;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.context.Context;
import org.apache.velocity.exception.ParseErrorException;
import org.apache.velocity.exception.ResourceNotFoundException;
import org.apache.velocity.runtime.RuntimeInstance;
import org.apache.velocity.util.introspection.Info;

/**
 * Velocity, sandboxed: templates see only the maps and helpers they are given, cannot reach Java
 * classes ({@link StrictUberspector}), and every value they insert is escaped for the file's format.
 * Templates are looked up in the operator's override folder first, then in the shipped folder.
 * One engine belongs to one {@link TemplateSet}: it never re-reads a file once compiled.
 */
public final class TemplateEngine {

    private final RuntimeInstance velocity = new RuntimeInstance();

    public TemplateEngine(Path templatesDir) {
        this(templatesDir, null);
    }

    public TemplateEngine(Path templatesDir, Path overrideDir) {
        this(fileLoader(templatesDir, overrideDir));
    }

    /**
     * An engine for templates shipped inside Dialtone's jar (e.g. the portal's pages under {@code portal/}),
     * with the same sandbox; names are classpath paths, and the macros of {@code macroLibrary} are known to all.
     */
    public static TemplateEngine classpath(String macroLibrary) {
        Properties p = new Properties();
        p.setProperty("velocimacro.library.path", macroLibrary);
        p.setProperty("resource.loaders", "class");
        p.setProperty("resource.loader.class.class",
                "org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader");
        p.setProperty("resource.loader.class.cache", "true");
        return new TemplateEngine(p);
    }

    private static Properties fileLoader(Path templatesDir, Path overrideDir) {
        Properties p = new Properties();
        p.setProperty("resource.loaders", "file");
        p.setProperty("resource.loader.file.class", "org.apache.velocity.runtime.resource.loader.FileResourceLoader");
        String path = templatesDir.toAbsolutePath().toString();
        if (overrideDir != null) {
            path = overrideDir.toAbsolutePath() + "," + path;
        }
        p.setProperty("resource.loader.file.path", path);
        p.setProperty("resource.loader.file.cache", "true");
        p.setProperty("resource.loader.file.modification_check_interval", "-1");
        return p;
    }

    private TemplateEngine(Properties p) {
        p.setProperty("introspector.uberspect.class", StrictUberspector.class.getName());
        p.setProperty("introspector.restrict.packages", "java.lang.reflect,java.lang.invoke,java.io,java.nio,java.net");
        p.setProperty("introspector.restrict.classes", String.join(",", "java.lang.Class", "java.lang.ClassLoader",
                "java.lang.Module", "java.lang.Package", "java.lang.Process", "java.lang.ProcessBuilder",
                "java.lang.Runtime", "java.lang.System", "java.lang.Thread", "java.lang.ThreadGroup",
                "java.lang.ThreadLocal", "java.lang.SecurityManager"));
        p.setProperty("runtime.log.log_invalid_references", "false");
        // Report a reference that resolves to null (e.g. a misspelt map key) as invalid, not just missing ones.
        p.setProperty("event_handler.invalid_references.null", "true");
        p.setProperty("event_handler.invalid_references.quiet", "false");
        p.setProperty("resource.default_encoding", "UTF-8");
        velocity.init(p);
    }

    /** Parses {@code <family>/<template>}; a syntax error is reported with the file and line. */
    public Template compile(Family family, String template) {
        return load(family.id() + "/" + template, family.resolve(template));
    }

    /** Loads and parses a template; a missing or broken one is reported against {@code file}, with its line. */
    private Template load(String name, Path file) {
        try {
            return velocity.getTemplate(name, "UTF-8");
        } catch (ResourceNotFoundException e) {
            throw new TemplateException(file, 0, "template not found");
        } catch (ParseErrorException e) {
            String reason = e.getMessage().lines().findFirst().orElse("syntax error");
            throw new TemplateException(file, e.getLineNumber(), reason);
        }
    }

    /** Renders {@code <family>/<template>} with the given data, escaping every inserted value for the format. */
    public String render(Family family, String template, OutputFormat format, Map<String, Object> data) {
        return render(compile(family, template), format, data, null);
    }

    /**
     * Renders a compiled template; every reference the data cannot answer is added to {@code invalid}
     * (when not null) as {@code line: $reference}.
     */
    public String render(Template template, OutputFormat format, Map<String, Object> data, List<String> invalid) {
        VelocityContext context = new VelocityContext(new HashMap<>(data));
        EventCartridge cartridge = new EventCartridge();
        cartridge.addReferenceInsertionEventHandler(escaping(format));
        if (invalid != null) {
            cartridge.addInvalidReferenceEventHandler(collecting(invalid));
        }
        cartridge.attachToContext(context);
        StringWriter out = new StringWriter();
        template.merge(context, out);
        return out.toString();
    }

    /**
     * Renders a template that belongs to no phone family, e.g. {@code email/welcome.vm}, with the same
     * sandbox and escaping.
     */
    public String render(String name, OutputFormat format, Map<String, Object> data) {
        return render(load(name, Path.of(name)), format, data, null);
    }

    private static ReferenceInsertionEventHandler escaping(OutputFormat format) {
        return (ctx, reference, value) -> value == null ? null : format.escape(value.toString());
    }

    /**
     * Collects references the data cannot answer ({@code $line.passwrd}): with fixture data shaped like the
     * real data, those are template mistakes. Method calls the sandbox refuses ({@code $x.getClass()}) are
     * not collected: the sandbox answers them at render time, and a template containing one still renders.
     */
    private static InvalidReferenceEventHandler collecting(List<String> invalid) {
        return new InvalidReferenceEventHandler() {
            @Override
            public Object invalidGetMethod(Context context, String reference, Object object, String property, Info info) {
                invalid.add(info.getLine() + ": undefined reference " + reference);
                return null;
            }

            @Override
            public boolean invalidSetMethod(Context context, String left, String right, Info info) {
                return false;
            }

            @Override
            public Object invalidMethod(Context context, String reference, Object object, String method, Info info) {
                return null;
            }
        };
    }
}
