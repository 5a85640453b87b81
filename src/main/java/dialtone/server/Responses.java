package dialtone.server;

import dialtone.core.Json;
import dialtone.core.FieldError;
import dialtone.core.Problem;

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

    /** The one mapping from a domain problem to an HTTP answer. */
    public static Response problem(Problem problem) {
        Response response = problem(status(problem.kind()), problem.kind().type(), problem.kind().title(),
                problem.getMessage(), problem.errors());
        return problem.kind() == Problem.Kind.BUSY || problem.kind() == Problem.Kind.UNAVAILABLE
                ? response.withHeader("Retry-After", "1") : response;
    }

    /** The HTTP status that answers a problem of this kind. */
    public static int status(Problem.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED -> 415;
            case TOO_MANY -> 429;
            case NOT_IMPLEMENTED -> 501;
            case BUSY, UNAVAILABLE -> 503;
            case NO_SPACE -> 507;
        };
    }

    /** A problem the server itself finds in the protocol (a malformed request, a limit), not a domain one. */
    public static Response problem(int status, String type, String title, String detail) {
        return problem(status, type, title, detail, List.of());
    }

    private static Response problem(int status, String type, String title, String detail, List<FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://dialtone.invalid/problems/" + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!errors.isEmpty()) {
            body.put("errors", errors.stream().map(e -> Map.of("field", e.field(), "reason", e.reason())).toList());
        }
        return Response.of(status, PROBLEM_JSON, Json.bytes(body));
    }
}
