package dialtone.server;

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

    /** A registered route as a caller sees it: method and path pattern. */
    public record Description(String method, String pattern) {
        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    private record Entry<T>(String method, String pattern, String[] segments, Route<T> route) {}

    private final List<Entry<T>> entries = new ArrayList<>();

    public Router<T> add(String method, String pattern, Route<T> route) {
        entries.add(new Entry<>(method, pattern, split(pattern), route));
        return this;
    }

    /** Every route, in the order registered. */
    public List<Description> routes() {
        return entries.stream().map(e -> new Description(e.method(), e.pattern())).toList();
    }

    /** Dispatches, answering 404 for an unknown path and 405 (with Allow) for a known path and wrong method. */
    public Response dispatch(T call, String method, String path) throws Exception {
        String[] segments = split(path);
        Set<String> allowed = new LinkedHashSet<>();
        for (Entry<T> entry : entries) {
            Map<String, String> params = match(entry.segments(), segments);
            if (params == null) {
                continue;
            }
            if (entry.method().equals(method)) {
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
