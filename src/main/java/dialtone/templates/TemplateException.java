package dialtone.templates;

import java.nio.file.Path;

/** A family file or template that cannot be used; the message says file and line. */
public class TemplateException extends RuntimeException {

    public TemplateException(Path file, int line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
    }
}
