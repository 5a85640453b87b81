package dialtone.templates;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * What {@code templates check} and every (re)load verify: each family's schema, each template parses,
 * renders with fixture data without undefined references, XML output is well-formed and text output has
 * only comments, sections and {@code key = value} / {@code key: value} lines. Problems read {@code file:line: why}.
 */
public final class TemplateChecker {

    private final TemplateFixtures fixtures;

    public TemplateChecker(TemplateFixtures fixtures) {
        this.fixtures = fixtures;
    }

    /** Loads and checks; throws a {@link TemplateException} listing every problem found. */
    public TemplateSet load(Path dir, Path overrideDir) {
        TemplateSet set = TemplateSet.load(dir, overrideDir);
        List<String> problems = check(set);
        if (!problems.isEmpty()) {
            throw new TemplateException(problems);
        }
        return set;
    }

    public List<String> check(TemplateSet set) {
        List<String> problems = new ArrayList<>();
        for (Family family : set.families().families()) {
            for (FileSpec file : family.files()) {
                for (PhoneModel model : modelsFor(family, file)) {
                    if (file.hasMac()) {
                        checkOne(set, family, file, model, fixtures.device(family, model, true), problems);
                        checkOne(set, family, file, model, fixtures.device(family, model, false), problems);
                    } else {
                        checkOne(set, family, file, model, fixtures.common(family, model), problems);
                    }
                }
            }
        }
        return problems.stream().distinct().toList();
    }

    /** A file naming a model attribute renders once per model that has it; others once per model. */
    private static List<PhoneModel> modelsFor(Family family, FileSpec file) {
        List<String> attributes = file.placeholders().stream().filter(p -> !FileSpec.isMacPlaceholder(p)).toList();
        List<PhoneModel> models = family.models().stream()
                .filter(m -> attributes.stream().allMatch(a -> m.attribute(a) != null)).toList();
        if (!file.hasMac() && attributes.isEmpty()) {
            List<PhoneModel> none = new ArrayList<>();
            none.add(null);
            return none;
        }
        return models;
    }

    private static void checkOne(TemplateSet set, Family family, FileSpec file, PhoneModel model,
                                 Map<String, Object> data, List<String> problems) {
        Path source = family.resolve(file.template());
        List<String> invalid = new ArrayList<>();
        String output;
        try {
            output = set.render(family, file, data, invalid);
        } catch (RuntimeException e) {
            problems.add(source + ": cannot render: " + e.getMessage());
            return;
        }
        for (String ref : invalid) {
            problems.add(source + ":" + ref);
        }
        String where = source + ": rendered " + file.path();
        switch (file.format()) {
            case XML -> checkXml(output, where, problems);
            case INI, TEXT -> checkLines(output, where, problems);
        }
    }

    /**
     * Made once, and the JDK's own: {@code newInstance()} would search the class path for another parser on every
     * call, which made checking every template at start take seconds. Factories are not thread-safe, parsers
     * are made under its lock; a parser only checks well-formedness (SAX: no tree is built).
     */
    private static final SAXParserFactory XML = xmlFactory();

    private static SAXParserFactory xmlFactory() {
        try {
            SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setNamespaceAware(true);
            return factory;
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured", e);
        }
    }

    static void checkXml(String output, String where, List<String> problems) {
        try {
            SAXParser parser;
            synchronized (XML) {
                parser = XML.newSAXParser();
            }
            parser.parse(new InputSource(new StringReader(output)), new DefaultHandler());
        } catch (SAXParseException e) {
            problems.add(where + ", output line " + e.getLineNumber() + ": XML is not well-formed: " + e.getMessage());
        } catch (Exception e) {
            problems.add(where + ": XML is not well-formed: " + e.getMessage());
        }
    }

    static void checkLines(String output, String where, List<String> problems) {
        String[] lines = output.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")
                    || (line.startsWith("[") && line.endsWith("]"))) {
                continue;
            }
            int sep = indexOfSeparator(line);
            if (sep <= 0 || line.substring(0, sep).isBlank()) {
                problems.add(where + ", output line " + (i + 1) + ": neither a comment nor 'key = value': " + line);
            }
        }
    }

    private static int indexOfSeparator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }
}
