package dialtone.cli;

import java.util.Locale;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Plain-text tables for people; scripts use --json. */
final class Tables {

    private Tables() {}

    static void print(PrintWriter out, JsonNode items, List<String> columns) {
        List<String> cols = columns.isEmpty() ? fieldsOf(items) : columns;
        List<String[]> rows = new ArrayList<>();
        rows.add(cols.stream().map(c -> c.toUpperCase(Locale.ROOT)).toArray(String[]::new));
        for (JsonNode item : items) {
            rows.add(cols.stream().map(c -> text(at(item, c))).toArray(String[]::new));
        }
        int[] widths = new int[cols.size()];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : "  ").append(i == row.length - 1 ? row[i] : pad(row[i], widths[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static void printObject(PrintWriter out, JsonNode object) {
        flatten("", object, out);
    }

    private static void flatten(String prefix, JsonNode node, PrintWriter out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), out);
            }
        } else {
            out.println(prefix + ": " + text(node));
        }
    }

    private static List<String> fieldsOf(JsonNode items) {
        List<String> names = new ArrayList<>();
        if (items.size() > 0) {
            items.get(0).fieldNames().forEachRemaining(n -> {
                if (!items.get(0).get(n).isContainerNode()) {
                    names.add(n);
                }
            });
        }
        return names;
    }

    private static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String part : path.split("\\.")) {
            current = current.path(part);
        }
        return current;
    }

    private static String text(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "-";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static String pad(String value, int width) {
        return value + " ".repeat(width - value.length());
    }
}
