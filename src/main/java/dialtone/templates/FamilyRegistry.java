package dialtone.templates;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/** Every phone family found under the templates folder, and the matching of request paths to their files. */
public final class FamilyRegistry {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    /** Only these characters may appear in a provisioning path: no '%', '\\', '..' or NUL gets through. */
    private static final Pattern SAFE_PATH = Pattern.compile("/(?:[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}/){0,2}"
            + "[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private final List<Family> families;
    private final Map<String, PhoneModel> models = new LinkedHashMap<>();

    private FamilyRegistry(List<Family> families) {
        this.families = List.copyOf(families);
        for (Family family : families) {
            for (PhoneModel model : family.models()) {
                if (models.putIfAbsent(model.id(), model) != null) {
                    throw new TemplateException(family.dir().resolve("family.yaml"), 0,
                            "model id '" + model.id() + "' is declared by two families");
                }
            }
        }
    }

    /** Loads every {@code <dir>/<family>/family.yaml}; a folder without one is skipped. */
    public static FamilyRegistry load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new TemplateException(dir, 0, "templates folder does not exist");
        }
        List<Family> families = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                Path yaml = child.resolve("family.yaml");
                if (Files.isRegularFile(yaml)) {
                    families.add(readFamily(child.getFileName().toString(), yaml));
                }
            }
        } catch (IOException e) {
            throw new TemplateException(dir, 0, "cannot list templates folder: " + e.getMessage());
        }
        return new FamilyRegistry(families);
    }

    public List<Family> families() {
        return families;
    }

    public List<PhoneModel> models() {
        return List.copyOf(models.values());
    }

    public Optional<PhoneModel> model(String id) {
        return Optional.ofNullable(id == null ? null : models.get(id.toLowerCase(Locale.ROOT)));
    }

    public Optional<Family> family(String id) {
        return families.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    /** Every family file this path could be; empty for a path no family serves or an unsafe path. */
    public List<PathMatch> match(String rawPath) {
        if (!SAFE_PATH.matcher(rawPath).matches() || rawPath.contains("..")) {
            return List.of();
        }
        List<PathMatch> matches = new ArrayList<>();
        for (Family family : families) {
            String name = stripPrefix(family, rawPath.substring(1));
            if (name == null) {
                continue;
            }
            for (FileSpec file : family.files()) {
                Matcher m = file.regex().matcher(name);
                if (m.matches()) {
                    PathMatch match = resolve(family, file, m);
                    if (match != null) {
                        matches.add(match);
                    }
                }
            }
        }
        return matches;
    }

    private static String stripPrefix(Family family, String path) {
        if (!path.contains("/")) {
            return path;
        }
        for (String prefix : family.prefixes()) {
            if (path.startsWith(prefix + "/") && !path.substring(prefix.length() + 1).contains("/")) {
                return path.substring(prefix.length() + 1);
            }
        }
        return null;
    }

    private static PathMatch resolve(Family family, FileSpec file, Matcher m) {
        Map<String, String> values = new LinkedHashMap<>();
        String mac = null;
        PhoneModel model = null;
        for (int i = 0; i < file.placeholders().size(); i++) {
            String name = file.placeholders().get(i);
            String value = m.group(i + 1);
            values.put(name, value);
            if (name.equals("mac")) {
                mac = value.toLowerCase(Locale.ROOT);
                if (mac.equals("000000000000")) {
                    return null;
                }
            } else {
                model = family.models().stream().filter(pm -> value.equalsIgnoreCase(pm.attribute(name)))
                        .findFirst().orElse(null);
                if (model == null) {
                    return null;
                }
            }
        }
        return new PathMatch(family, file, mac, model, values);
    }

    /** The family.yaml schema. */
    record FamilyYaml(@JsonProperty(value = "vendor", required = true) String vendor,
                      @JsonProperty("user-agent") String userAgent,
                      @JsonProperty("resync-event") String resyncEvent,
                      @JsonProperty("prefixes") List<String> prefixes,
                      @JsonProperty(value = "models", required = true) List<Map<String, String>> models,
                      @JsonProperty(value = "files", required = true) List<FileYaml> files) {}

    record FileYaml(@JsonProperty(value = "path", required = true) String path,
                    @JsonProperty(value = "template", required = true) String template,
                    @JsonProperty(value = "format", required = true) String format,
                    @JsonProperty(value = "secrets", required = true) Boolean secrets) {}

    private static Family readFamily(String id, Path yaml) {
        FamilyYaml raw;
        try {
            raw = YAML.readValue(yaml.toFile(), FamilyYaml.class);
        } catch (UnrecognizedPropertyException e) {
            throw new TemplateException(yaml, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "unknown key '" + e.getPropertyName() + "'");
        } catch (IOException e) {
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? j.getLocation().getLineNr() : 0;
            throw new TemplateException(yaml, line, e.getMessage().lines().findFirst().orElse("unreadable"));
        }
        Pattern userAgent = null;
        if (raw.userAgent() != null) {
            try {
                userAgent = Pattern.compile(raw.userAgent());
            } catch (PatternSyntaxException e) {
                throw new TemplateException(yaml, 0, "user-agent is not a valid regular expression: " + e.getDescription());
            }
        }
        List<PhoneModel> models = new ArrayList<>();
        for (Map<String, String> m : raw.models()) {
            Map<String, String> attributes = new LinkedHashMap<>(m);
            String modelId = attributes.remove("id");
            String name = attributes.remove("model");
            if (modelId == null || name == null || !modelId.matches("[a-z0-9][a-z0-9-]{0,59}")) {
                throw new TemplateException(yaml, 0, "every model needs an 'id' (lowercase, e.g. yealink-t46s) and a 'model'");
            }
            models.add(new PhoneModel(modelId, raw.vendor(), name, id, Map.copyOf(attributes)));
        }
        List<FileSpec> files = new ArrayList<>();
        for (FileYaml f : raw.files()) {
            OutputFormat format;
            try {
                format = OutputFormat.valueOf(f.format().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TemplateException(yaml, 0, "file " + f.path() + ": format must be xml, ini or text");
            }
            if (f.template().contains("..") || f.template().startsWith("/")) {
                throw new TemplateException(yaml, 0, "file " + f.path() + ": template must be a file of the family folder");
            }
            files.add(FileSpec.of(f.path(), f.template(), format, f.secrets()));
        }
        return new Family(id, raw.vendor(), yaml.getParent(), userAgent, raw.resyncEvent(),
                raw.prefixes() == null ? List.of() : List.copyOf(raw.prefixes()), List.copyOf(models), List.copyOf(files));
    }
}
