package dialtone.directory;

import dialtone.core.FieldError;
import java.util.List;
import java.util.Map;

/** One row of a bulk import: the line it starts on, its non-empty cells by column, problems found reading it. */
public record ImportRow(int line, Map<String, String> cells, List<FieldError> problems) {}
