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
    /** Paths (without a query) already matched: phones ask for the same few names over and over. */
    private final com.github.benmanes.caffeine.cache.Cache<String, List<PathMatch>> matched =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(20_000).build();
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
        return load(dir, null);
    }

    /**
     * Loads every family found in the shipped folder or the operator's override folder (may be null);
     * for each family the override's files shadow the shipped ones file by file.
     */
    public static FamilyRegistry load(Path dir, Path overrideDir) {
        if (!Files.isDirectory(dir)) {
            throw new TemplateException(dir, 0, "templates folder does not exist");
        }
        if (overrideDir != null && !Files.isDirectory(overrideDir)) {
            throw new TemplateException(overrideDir, 0, "templates override folder does not exist");
        }
        java.util.TreeSet<String> ids = new java.util.TreeSet<>(familyFolders(dir));
        if (overrideDir != null) {
            ids.addAll(familyFolders(overrideDir));
        }
        List<Family> families = new ArrayList<>();
        for (String id : ids) {
            Path override = overrideDir == null ? null : overrideDir.resolve(id);
            Path yaml = override != null && Files.isRegularFile(override.resolve("family.yaml"))
                    ? override.resolve("family.yaml") : dir.resolve(id).resolve("family.yaml");
            if (Files.isRegularFile(yaml)) {
                families.add(readFamily(id, yaml, dir.resolve(id), override));
            }
        }
        return new FamilyRegistry(families);
    }

    private static List<String> familyFolders(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).map(c -> c.getFileName().toString())
                    .filter(name -> name.matches("[a-z0-9][a-z0-9-]{0,59}")).toList();
        } catch (IOException e) {
            throw new TemplateException(dir, 0, "cannot list templates folder: " + e.getMessage());
        }
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
        return match(rawPath, Map.of());
    }

    /** As {@link #match(String)}, with the query arguments a file may take its MAC from. */
    public List<PathMatch> match(String rawPath, Map<String, List<String>> query) {
        if (!query.isEmpty()) {
            return match(rawPath, query, false);
        }
        return matched.get(rawPath, path -> List.copyOf(match(path, Map.of(), false)));
    }

    /** Every family upload this path could be (e.g. Polycom's {@code <mac>-boot.log}). */
    public List<PathMatch> matchUpload(String rawPath) {
        return match(rawPath, Map.of(), true);
    }

    /** Whether the path is one a phone may request at all: no '%', '\\', '..', NUL, at most two folders. */
    public static boolean isSafePath(String rawPath) {
        return SAFE_PATH.matcher(rawPath).matches() && !rawPath.contains("..");
    }

    /** The path relative to a family's root: as asked, or without one of the family's prefix folders. */
    public static String relativeName(Family family, String rawPath) {
        return stripPrefix(family, rawPath.substring(1));
    }

    private List<PathMatch> match(String rawPath, Map<String, List<String>> query, boolean uploads) {
        if (!isSafePath(rawPath)) {
            return List.of();
        }
        List<PathMatch> matches = new ArrayList<>();
        for (Family family : families) {
            String name = relativeName(family, rawPath);
            if (name == null || name.contains("/")) {
                continue;
            }
            for (FileSpec file : uploads ? family.uploads() : family.files()) {
                Matcher m = file.regex().matcher(name);
                if (m.matches()) {
                    PathMatch match = resolve(family, file, m, query);
                    if (match != null) {
                        matches.add(match);
                    }
                }
            }
        }
        // A spec that takes its MAC from the query is more specific than the same path's common file.
        matches.sort(java.util.Comparator.comparing(pm -> pm.file().macQuery() == null));
        return matches;
    }

    private static String stripPrefix(Family family, String path) {
        if (!path.contains("/")) {
            return path;
        }
        for (String prefix : family.prefixes()) {
            if (path.startsWith(prefix + "/")) {
                return path.substring(prefix.length() + 1);
            }
        }
        return null;
    }

    private static PathMatch resolve(Family family, FileSpec file, Matcher m, Map<String, List<String>> query) {
        String mac = null;
        PhoneModel model = null;
        if (file.macQuery() != null) {
            List<String> given = query.get(file.macQuery());
            if (given == null || given.size() != 1) {
                return null;
            }
            mac = dialtone.core.Mac.normalise(given.get(0)).orElse(null);
            if (mac == null || given.get(0).length() != 12) {
                return null;
            }
        }
        for (int i = 0; i < file.placeholders().size(); i++) {
            String name = file.placeholders().get(i);
            String value = m.group(i + 1);
            if (FileSpec.isMacPlaceholder(name)) {
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
        return new PathMatch(family, file, mac, model);
    }

    /** The family.yaml schema. */
    record FamilyYaml(@JsonProperty(value = "vendor", required = true) String vendor,
                      @JsonProperty("user-agent") String userAgent,
                      @JsonProperty("resync-event") String resyncEvent,
                      @JsonProperty("prefixes") List<String> prefixes,
                      @JsonProperty(value = "models", required = true) List<Map<String, String>> models,
                      @JsonProperty(value = "files", required = true) List<FileYaml> files,
                      @JsonProperty("uploads") List<String> uploads,
                      @JsonProperty("time-zone-names") Map<String, String> timeZoneNames) {}

    record FileYaml(@JsonProperty(value = "path", required = true) String path,
                    @JsonProperty(value = "template", required = true) String template,
                    @JsonProperty(value = "format", required = true) String format,
                    @JsonProperty(value = "secrets", required = true) Boolean secrets,
                    @JsonProperty("mac-query") String macQuery) {}

    /** The line where a key is written: the YAML parser's own position is where it noticed, often later. */
    private static int lineOfKey(Path yaml, String key, int fallback) {
        try {
            List<String> lines = Files.readAllLines(yaml);
            Pattern written = Pattern.compile("\\s*(?:-\\s*\\{?\\s*)?" + Pattern.quote(key) + "\\s*:.*|.*[{,]\\s*"
                    + Pattern.quote(key) + "\\s*:.*");
            for (int i = 0; i < lines.size(); i++) {
                if (written.matcher(lines.get(i)).matches()) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            // fall back to the parser's position
        }
        return fallback;
    }

    private static Family readFamily(String id, Path yaml, Path dir, Path overrideDir) {
        FamilyYaml raw;
        try {
            raw = YAML.readValue(yaml.toFile(), FamilyYaml.class);
        } catch (UnrecognizedPropertyException e) {
            throw new TemplateException(yaml, lineOfKey(yaml, e.getPropertyName(),
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr()), "unknown key '" + e.getPropertyName() + "'");
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
            if (!f.path().matches("[A-Za-z0-9_.{}-]{1,128}")) {
                throw new TemplateException(yaml, 0, "file " + f.path() + ": path may hold only letters, digits, "
                        + "'.', '_', '-' and {placeholders}");
            }
            if (f.macQuery() != null && !f.macQuery().matches("[a-z]{1,20}")) {
                throw new TemplateException(yaml, 0, "file " + f.path() + ": mac-query must be a query argument name");
            }
            FileSpec spec = FileSpec.of(f.path(), f.template(), format, f.secrets(), f.macQuery());
            if (spec.hasMac() && !spec.secrets()) {
                throw new TemplateException(yaml, 0, "file " + f.path() + ": a file that names one device must have "
                        + "secrets: true (answering it without proof would reveal which MACs exist)");
            }
            for (String name : spec.placeholders()) {
                if (!FileSpec.isMacPlaceholder(name) && models.stream().noneMatch(m -> m.attribute(name) != null)) {
                    throw new TemplateException(yaml, 0, "file " + f.path() + ": no model has the attribute '" + name + "'");
                }
            }
            files.add(spec);
        }
        List<FileSpec> uploads = new ArrayList<>();
        for (String path : raw.uploads() == null ? List.<String>of() : raw.uploads()) {
            FileSpec spec = FileSpec.of(path, "", OutputFormat.TEXT, true, null);
            if (!path.matches("[A-Za-z0-9_.{}-]{1,128}") || !spec.hasMac() || spec.placeholders().size() != 1) {
                throw new TemplateException(yaml, 0, "upload " + path + ": must name the device with {mac} or {MAC} "
                        + "and nothing else");
            }
            uploads.add(spec);
        }
        List<String> prefixes = raw.prefixes() == null ? List.of() : List.copyOf(raw.prefixes());
        for (String prefix : prefixes) {
            if (!prefix.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new TemplateException(yaml, 0, "prefix '" + prefix + "' must be one folder name");
            }
        }
        Map<String, String> zoneNames = raw.timeZoneNames() == null ? Map.of() : Map.copyOf(raw.timeZoneNames());
        return new Family(id, raw.vendor(), dir, overrideDir, userAgent, raw.resyncEvent(), prefixes,
                List.copyOf(models), List.copyOf(files), List.copyOf(uploads), zoneNames);
    }
}
