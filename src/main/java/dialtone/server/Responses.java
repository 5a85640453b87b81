package dialtone.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for the responses every handler shares: JSON documents and RFC 9457 problems. */
public final class Responses {

    public static final String PROBLEM_JSON = "application/problem+json";

    private Responses() {}

    public static Response json(int status, Object body) {
        return Response.of(status, "application/json", Json.bytes(body));
    }

    public static Response problem(ProblemException problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://dialtone.invalid/problems/" + problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.getMessage());
        if (!problem.errors().isEmpty()) {
            List<Map<String, String>> errors = problem.errors().stream()
                    .map(e -> Map.of("field", e.field(), "reason", e.reason())).toList();
            body.put("errors", errors);
        }
        return Response.of(problem.status(), PROBLEM_JSON, Json.bytes(body));
    }

    public static Response problem(int status, String type, String title, String detail) {
        return problem(new ProblemException(status, type, title, detail, List.of()));
    }
}
