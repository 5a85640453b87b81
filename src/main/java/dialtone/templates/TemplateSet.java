package dialtone.templates;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.velocity.Template;

/**
 * One consistent version of every family and its compiled templates. A reload builds a new set and
 * swaps it in whole, so a request never sees half an edit.
 */
public final class TemplateSet {

    private final FamilyRegistry families;
    private final TemplateEngine engine;
    private final Map<String, Template> compiled;

    private TemplateSet(FamilyRegistry families, TemplateEngine engine, Map<String, Template> compiled) {
        this.families = families;
        this.engine = engine;
        this.compiled = compiled;
    }

    /** Loads the families and parses every template they name; throws listing every broken one with file:line. */
    public static TemplateSet load(Path dir, Path overrideDir) {
        FamilyRegistry families = FamilyRegistry.load(dir, overrideDir);
        TemplateEngine engine = new TemplateEngine(dir, overrideDir);
        Map<String, Template> compiled = new HashMap<>();
        List<String> problems = new java.util.ArrayList<>();
        for (Family family : families.families()) {
            for (FileSpec file : family.files()) {
                if (compiled.containsKey(key(family, file))) {
                    continue;
                }
                try {
                    compiled.put(key(family, file), engine.compile(family, file.template()));
                } catch (TemplateException e) {
                    problems.addAll(e.problems());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new TemplateException(problems.stream().distinct().toList());
        }
        return new TemplateSet(families, engine, Map.copyOf(compiled));
    }

    private static String key(Family family, FileSpec file) {
        return family.id() + "/" + file.template();
    }

    public FamilyRegistry families() {
        return families;
    }

    /** This set's engine, for templates outside the families (e.g. {@code email/welcome.vm}). */
    public TemplateEngine engine() {
        return engine;
    }

    public String render(Family family, FileSpec file, Map<String, Object> data) {
        return render(family, file, data, null);
    }

    /** Renders; references the data cannot answer are collected into {@code invalid} when it is not null. */
    public String render(Family family, FileSpec file, Map<String, Object> data, List<String> invalid) {
        Template template = compiled.get(key(family, file));
        if (template == null) {
            throw new TemplateException(family.resolve(file.template()), 0, "template not loaded");
        }
        return engine.render(template, file.format(), data, invalid);
    }
}
