package dialtone.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file a family serves (or accepts as an upload): its path pattern (e.g. {@code {mac}.cfg}), the
 * template that renders it, the output format and whether it carries secrets (and so may only go to the
 * proven device). {@code {mac}} names a MAC the family writes in lowercase, {@code {MAC}} one it writes in
 * uppercase (both match either case); any other {@code {name}} is a model attribute. {@code macQuery}, when set, names the query argument that carries
 * the MAC instead (Snom's {@code ?mac=}); such a spec matches only requests that have it.
 */
public record FileSpec(String path, String template, OutputFormat format, boolean secrets, String macQuery,
                       Pattern regex, List<String> placeholders) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

    public static FileSpec of(String path, String template, OutputFormat format, boolean secrets, String macQuery) {
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(path);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(last, m.start())));
            String name = m.group(1);
            names.add(name);
            regex.append(switch (name) {
                // Either case is accepted for either spelling: a MAC is normalised, never told apart by case.
                case "mac", "MAC" -> "([0-9a-fA-F]{12})";
                default -> "([A-Za-z0-9_]{1,32})";
            });
            last = m.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        return new FileSpec(path, template, format, secrets, macQuery, Pattern.compile(regex.toString()),
                List.copyOf(names));
    }

    public static boolean isMacPlaceholder(String name) {
        return name.equals("mac") || name.equals("MAC");
    }

    /** Whether this file names one device (by path or query argument) rather than being common. */
    public boolean hasMac() {
        return macQuery != null || placeholders.stream().anyMatch(FileSpec::isMacPlaceholder);
    }
}
