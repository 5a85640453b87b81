package dialtone.cli;

import picocli.CommandLine.Option;

/** --limit and --after for list commands. */
final class Paging {

    @Option(names = "--limit", description = "page size (the server caps it)")
    Integer limit;

    @Option(names = "--after", description = "cursor from the previous page")
    String after;

    String query() {
        StringBuilder q = new StringBuilder();
        if (limit != null) {
            q.append("limit=").append(limit);
        }
        if (after != null) {
            q.append(q.length() == 0 ? "" : "&").append("after=").append(java.net.URLEncoder.encode(after,
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return q.length() == 0 ? "" : "?" + q;
    }
}
