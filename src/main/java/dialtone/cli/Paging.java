package dialtone.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** --limit and --after for list commands. */
final class Paging {

    @Option(names = "--limit", description = "page size (the server caps it)")
    Integer limit;

    @Option(names = "--after", description = "cursor from the previous page")
    String after;

    String query() {
        return query(Map.of());
    }

    /** The paging parameters plus one filter, left out when null. */
    String query(String filter, String value) {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put(filter, value);
        return query(filters);
    }

    /** The paging parameters plus the given filters; null filter values are left out. */
    String query(Map<String, String> filters) {
        Map<String, String> params = new LinkedHashMap<>();
        filters.forEach((name, value) -> {
            if (value != null) {
                params.put(name, value);
            }
        });
        if (limit != null) {
            params.put("limit", limit.toString());
        }
        if (after != null) {
            params.put("after", after);
        }
        return params.isEmpty() ? "" : params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&", "?", ""));
    }
}
