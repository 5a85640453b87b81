package dialtone.ops;

import dialtone.core.Json;
import dialtone.server.Request;
import dialtone.server.RequestHandler;
import dialtone.server.Response;
import dialtone.server.Responses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The management listener's three read-only resources: {@code /metrics} (Prometheus text format),
 * {@code /health/live} and {@code /health/ready} (200, or 503 naming each failing check). GET and HEAD only.
 */
final class ManagementApi implements RequestHandler {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private final PrometheusMeterRegistry registry;
    private final Runnable beforeScrape;
    private final Health health;

    ManagementApi(PrometheusMeterRegistry registry, Runnable beforeScrape, Health health) {
        this.registry = registry;
        this.beforeScrape = beforeScrape;
        this.health = health;
    }

    @Override
    public Response handle(Request request) {
        String path = Request.pathOf(request.uri());
        if (!path.equals("/metrics") && !path.equals("/health/live") && !path.equals("/health/ready")) {
            return Responses.problem(404, "not-found", "Not found", path + " is not a management resource;"
                    + " there are /metrics, /health/live and /health/ready");
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Responses.problem(405, "method-not-allowed", "Method Not Allowed",
                    path + " answers GET and HEAD only").withHeader("Allow", "GET, HEAD");
        }
        return switch (path) {
            case "/metrics" -> metrics();
            case "/health/live" -> Responses.json(200, Map.of("status", "up"));
            default -> ready();
        };
    }

    private Response metrics() {
        beforeScrape.run();
        return Response.of(200, PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private Response ready() {
        Map<String, String> checks = health.ready();
        Map<String, String> failing = new LinkedHashMap<>(checks);
        failing.values().removeIf("ok"::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", failing.isEmpty() ? "ready" : "not ready");
        body.put("checks", checks);
        if (!failing.isEmpty()) {
            body.put("failing", failing.keySet());
        }
        Response response = Response.of(failing.isEmpty() ? 200 : 503, "application/json", Json.bytes(body));
        return failing.isEmpty() ? response : response.withHeader("Retry-After", 1);
    }
}
