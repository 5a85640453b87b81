package dialtone.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dialtone.core.Json;
import dialtone.core.Problem;
import dialtone.server.Request;
import dialtone.server.Response;
import dialtone.server.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The admin API described: its OpenAPI document at {@code /api/v1/openapi.json} and Swagger UI at
 * {@code /api/docs/}. Both are served without a token: they hold the API's shape, no data, and the browser
 * must load the document before anyone can type a token into the UI. Everything is read once, at start, and
 * answered from memory.
 */
final class ApiDocs {

    /** The document's path below {@code /api/v1}; it is described in the document itself. */
    static final String DOCUMENT = "/openapi.json";
    static final String UI = "/api/docs/";
    static final String RESOURCE = "/openapi/dialtone-admin.yaml";
    /** Scripts, styles and pictures from this origin only, and no inline script: the initializer is a file. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";

    private final byte[] document;
    private final Map<String, byte[]> files;

    ApiDocs() {
        try {
            JsonNode described = new YAMLMapper().readTree(resource(RESOURCE));
            document = Json.bytes(described);
            String webjar = WEBJAR + swaggerUiVersion() + "/";
            files = Map.of(
                    "index.html", resource("/openapi/ui/index.html"),
                    "swagger-initializer.js", resource("/openapi/ui/swagger-initializer.js"),
                    "swagger-ui-bundle.js", resource(webjar + "swagger-ui-bundle.js"),
                    "swagger-ui.css", resource(webjar + "swagger-ui.css"),
                    "index.css", resource(webjar + "index.css"),
                    "favicon-32x32.png", resource(webjar + "favicon-32x32.png"),
                    "favicon-16x16.png", resource(webjar + "favicon-16x16.png"));
        } catch (IOException e) {
            throw new UncheckedIOException("the admin API's description cannot be read", e);
        }
    }

    /** The OpenAPI document as served (JSON). */
    byte[] document() {
        return document.clone();
    }

    /** Whether the path is the document's or the UI's (answered by {@link #answer}, without a token). */
    static boolean serves(String rawPath) {
        return rawPath.equals(AdminApi.BASE + DOCUMENT) || rawPath.equals("/api/docs") || rawPath.startsWith(UI);
    }

    /** The answer to a request for a path {@link #serves} names; never blocks (all in memory). */
    Response answer(Request request) {
        String path = request.rawPath();
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Responses.problem(405, "method-not-allowed", "Method Not Allowed",
                    request.method() + " is not allowed here").withHeader("Allow", "GET, HEAD");
        }
        if (path.equals(AdminApi.BASE + DOCUMENT)) {
            return Response.of(200, "application/json", document).withHeader("Cache-Control", "no-cache");
        }
        if (path.equals("/api/docs")) {
            return Response.empty(301).withHeader("Location", UI);
        }
        String name = path.equals(UI) ? "index.html" : path.substring(UI.length());
        byte[] file = files.get(name);
        if (file == null) {
            return Responses.problem(Problem.notFound("the resource " + path));
        }
        return Response.of(200, contentType(name), file)
                .withHeader("Cache-Control", name.equals("index.html") ? "no-cache" : "public, max-age=3600")
                .withHeader("Content-Security-Policy", CSP)
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Referrer-Policy", "no-referrer");
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return name.endsWith(".css") ? "text/css; charset=utf-8" : "image/png";
    }

    /** The webjar's version, from its own Maven metadata: bumping the dependency needs no change here. */
    private static String swaggerUiVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = new java.io.ByteArrayInputStream(
                resource("/META-INF/maven/org.webjars/swagger-ui/pom.properties"))) {
            properties.load(in);
        }
        return properties.getProperty("version");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ApiDocs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the class path");
            }
            return in.readAllBytes();
        }
    }
}
