package dialtone.server;

import dialtone.core.FieldError;
import dialtone.core.Problem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches a method and a path such as {@code /api/v1/accounts/{accountId}/users} to a handler.
 * Routes are registered by hand, in one readable place per API; no reflection.
 */
public final class Router<T> {

    /** A route's logic, given the call (request and whatever the API adds) and the path's {placeholders}. */
    @FunctionalInterface
    public interface Route<T> {
        Response handle(T call, Map<String, String> params) throws Exception;
    }

    /** A registered route as a caller sees it: method, path pattern and the query parameters it takes. */
    public record Description(String method, String pattern, Set<String> query) {
        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    private record Entry<T>(String method, String pattern, Set<String> query, String[] segments, Route<T> route) {}

    private final List<Entry<T>> entries = new ArrayList<>();

    /** A route that takes no query parameters. */
    public Router<T> add(String method, String pattern, Route<T> route) {
        return add(method, pattern, Set.of(), route);
    }

    /** A route that takes the {@code query} parameters; any other is refused with 400 before the route runs. */
    public Router<T> add(String method, String pattern, Set<String> query, Route<T> route) {
        entries.add(new Entry<>(method, pattern, Set.copyOf(query), split(pattern), route));
        return this;
    }

    /** Every route, in the order registered. */
    public List<Description> routes() {
        return entries.stream().map(e -> new Description(e.method(), e.pattern(), e.query())).toList();
    }

    /**
     * Dispatches, answering 404 for an unknown path, 405 (with Allow) for a known path and wrong method, and 400
     * naming each query parameter the route does not take.
     */
    public Response dispatch(T call, String method, String path, Set<String> queryNames) throws Exception {
        String[] segments = split(path);
        Set<String> allowed = new LinkedHashSet<>();
        for (Entry<T> entry : entries) {
            Map<String, String> params = match(entry.segments(), segments);
            if (params == null) {
                continue;
            }
            if (entry.method().equals(method)) {
                refuseUnknown(queryNames, entry.query());
                return entry.route().handle(call, params);
            }
            allowed.add(entry.method());
        }
        if (allowed.isEmpty()) {
            throw Problem.notFound("the resource " + path);
        }
        return Responses.problem(405, "method-not-allowed", "Method Not Allowed",
                method + " is not allowed here").withHeader("Allow", String.join(", ", allowed));
    }

    private static void refuseUnknown(Set<String> given, Set<String> accepted) {
        List<FieldError> errors = given.stream().filter(name -> !accepted.contains(name)).sorted()
                .map(name -> new FieldError(name, accepted.isEmpty() ? "is not a query parameter of this operation"
                        : "is not a query parameter of this operation (it takes " + String.join(", ",
                        accepted.stream().sorted().toList()) + ")"))
                .toList();
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
    }

    private static Map<String, String> match(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), path[i]);
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.split("/", -1);
    }
}
