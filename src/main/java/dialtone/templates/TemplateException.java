package dialtone.templates;

import java.nio.file.Path;
import java.util.List;

/** A family file or template that cannot be used; the message says file and line. */
public class TemplateException extends RuntimeException {

    private final List<String> problems;

    public TemplateException(Path file, int line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
        this.problems = List.of(getMessage());
    }

    /** Several problems found at once (by {@code templates check}); one {@code file:line: reason} each. */
    public TemplateException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
