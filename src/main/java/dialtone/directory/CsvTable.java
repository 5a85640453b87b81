package dialtone.directory;

import dialtone.core.Text;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dialtone.core.Problem;
import dialtone.core.FieldError;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CSV form of bulk import and export: a header row of field names, then one object per row.
 * Each row keeps the line it starts on, so a report can point at it.
 */
public final class CsvTable {

    private static final CsvMapper CSV = new CsvMapper();
    /**
     * A cell starting with one of these is read by spreadsheets as a formula (OWASP "CSV injection"): on
     * export it gets a leading apostrophe, which spreadsheets show as text, and import takes the apostrophe
     * off again, so an exported file can be edited and imported back.
     */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private CsvTable() {}

    /**
     * Reads the file; a file that is not usable as a whole (no header, unknown column, bad CSV, more than
     * {@code maxRows} rows) is a 400. {@code columns} are the allowed header names.
     */
    public static List<ImportRow> parse(byte[] body, Set<String> columns, String kind, int maxRows) {
        String text = utf8(body);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<ImportRow> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(text)) {
            if (!it.hasNextValue()) {
                throw Problem.badField("body", "is empty; send a header row of field names, then one "
                        + kind + " per row");
            }
            List<String> header = header(it.nextValue(), columns, kind);
            while (it.hasNextValue()) {
                // Where the parser stands before the row is where the row begins (its end may be a line later).
                int line = it.getParser().currentLocation().getLineNr();
                String[] cells = it.nextValue();
                if (cells.length == 1 && cells[0].isBlank()) {
                    continue;
                }
                if (rows.size() == maxRows) {
                    throw Problem.badField("body", "has more than " + maxRows + " rows; split the file");
                }
                Map<String, String> values = new LinkedHashMap<>();
                List<FieldError> problems = new ArrayList<>();
                for (int i = 0; i < cells.length && i < header.size(); i++) {
                    String cell = unneutralised(cells[i].strip());
                    if (Text.containsNul(cell)) {
                        problems.add(new FieldError(header.get(i), Text.NUL_REASON));
                    } else if (!cell.isEmpty()) {
                        values.put(header.get(i), cell);
                    }
                }
                if (cells.length > header.size()) {
                    problems.add(new FieldError("row",
                            "has " + cells.length + " cells but the header names " + header.size() + " columns"));
                }
                rows.add(new ImportRow(line, values, problems));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof Problem p) {
                throw p;
            }
            throw Problem.badField("body", "is not valid CSV: " + firstLine(e.getMessage()));
        }
        return rows;
    }

    private static List<String> header(String[] header, Set<String> allowed, String kind) {
        List<String> columns = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : header) {
            String name = raw.strip();
            if (!allowed.contains(name)) {
                errors.add(new FieldError("header." + name, "is not a " + kind + " field (expected some of "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
            } else if (!seen.add(name)) {
                errors.add(new FieldError("header." + name, "appears twice"));
            }
            columns.add(name);
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        return columns;
    }

    public static byte[] write(List<String> columns, List<Map<String, String>> rows) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        columns.forEach(schema::addColumn);
        StringWriter out = new StringWriter();
        List<Map<String, String>> safe = rows.stream().map(CsvTable::neutralised).toList();
        try {
            CSV.writer(schema.build()).writeValues(out).writeAll(safe).close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> neutralised(Map<String, String> row) {
        Map<String, String> safe = new LinkedHashMap<>();
        row.forEach((column, cell) -> safe.put(column, neutralised(cell)));
        return safe;
    }

    static String neutralised(String cell) {
        return cell != null && !cell.isEmpty() && FORMULA_STARTS.indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }

    private static String unneutralised(String cell) {
        return cell.length() > 1 && cell.charAt(0) == '\'' && FORMULA_STARTS.indexOf(cell.charAt(1)) >= 0
                ? cell.substring(1) : cell;
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw Problem.badField("body", "must be UTF-8 text");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
