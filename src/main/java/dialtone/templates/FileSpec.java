package dialtone.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file a family serves: its path pattern (e.g. {@code {mac}.cfg}), the template that renders it,
 * the output format and whether it carries secrets (and so may only go to the proven device).
 */
public record FileSpec(String path, String template, OutputFormat format, boolean secrets,
                       Pattern regex, List<String> placeholders) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

    public static FileSpec of(String path, String template, OutputFormat format, boolean secrets) {
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(path);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(last, m.start())));
            String name = m.group(1);
            names.add(name);
            regex.append(name.equals("mac") ? "([0-9a-fA-F]{12})" : "([A-Za-z0-9_]{1,32})");
            last = m.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        return new FileSpec(path, template, format, secrets, Pattern.compile(regex.toString()), List.copyOf(names));
    }

    public boolean hasMac() {
        return placeholders.contains("mac");
    }
}
