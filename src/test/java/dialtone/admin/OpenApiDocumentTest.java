package dialtone.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dialtone.server.Router;
import dialtone.testing.MemoryDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document against the router it describes, with no listener: the admin API wired on an in-memory
 * database, its routes compared with the document served at {@code /api/v1/openapi.json}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");
    /** The one described operation outside the router: the document itself, served by ApiDocs without a token. */
    private static final String DOCUMENT_OPERATION = "GET " + ApiDocs.DOCUMENT;

    MemoryDirectory memory;
    List<Router.Description> routes;
    JsonNode document;

    @BeforeAll
    void wire(@TempDir Path dir) throws Exception {
        memory = new MemoryDirectory(dir);
        AdminApi api = AdminApi.wire(memory.db(), memory.directory(), null, new TokenService(memory.db()), () -> null,
                null, 1024, 1024, "");
        routes = api.routes();
        document = new ObjectMapper().readTree(new ApiDocs().document());
    }

    @AfterAll
    void close() {
        memory.close();
    }

    @Test
    void documentShouldBeJsonDeclaringOpenApi31() {
        assertThat(document.path("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(document.path("info").path("title").asText()).isEqualTo("Dialtone admin API");
        assertThat(document.path("servers").get(0).path("url").asText()).isEqualTo(AdminApi.BASE);
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(document.path("security").get(0).has("bearer")).as("a token by default").isTrue();
    }

    @Test
    void everyRouteShouldBeDescribedWithItsMethodAndPathTemplate() {
        assertThat(routes).hasSizeGreaterThan(40);
        List<String> missing = routes.stream().map(Object::toString).filter(route -> !operations().containsKey(route))
                .toList();
        assertThat(missing).as("routes the document does not describe").isEmpty();
    }

    @Test
    void everyDescribedOperationShouldBeRouted() {
        Set<String> routed = new TreeSet<>(routes.stream().map(Object::toString).toList());
        routed.add(DOCUMENT_OPERATION);
        List<String> unrouted = operations().keySet().stream().filter(op -> !routed.contains(op)).toList();
        assertThat(unrouted).as("described operations no route answers").isEmpty();
    }

    @Test
    void queryParametersShouldBeExactlyThoseEachRouteAccepts() {
        Map<String, JsonNode> operations = operations();
        for (Router.Description route : routes) {
            JsonNode operation = operations.get(route.toString());
            JsonNode pathItem = document.path("paths").path(route.pattern());
            assertThat(parameterNames(pathItem, operation, "query")).as("query parameters of %s", route)
                    .isEqualTo(new TreeSet<>(route.query()));
        }
    }

    @Test
    void everyPlaceholderShouldBeARequiredPathParameter() {
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Set<String> placeholders = new TreeSet<>();
            Matcher m = PLACEHOLDER.matcher(path.getKey());
            while (m.find()) {
                placeholders.add(m.group(1));
            }
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (!METHODS.contains(method)) {
                    continue;
                }
                JsonNode operation = path.getValue().get(method);
                assertThat(parameterNames(path.getValue(), operation, "path")).as("path parameters of %s %s", method,
                        path.getKey()).isEqualTo(placeholders);
                for (JsonNode parameter : parameters(path.getValue(), operation)) {
                    if (parameter.path("in").asText().equals("path")) {
                        assertThat(parameter.path("required").asBoolean()).as(parameter.toString()).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void everyOperationShouldNeedATokenExceptTheDocumentItself() {
        operations().forEach((name, operation) -> {
            if (name.equals(DOCUMENT_OPERATION)) {
                assertThat(operation.path("security").isArray() && operation.path("security").isEmpty())
                        .as("the document is public").isTrue();
            } else {
                assertThat(operation.has("security")).as("%s keeps the default (bearer) security", name).isFalse();
                assertThat(operation.at("/responses/401/$ref").asText()).as("%s answers 401", name)
                        .isEqualTo("#/components/responses/Unauthorized");
                assertThat(operation.at("/responses/403/$ref").asText()).as("%s answers 403 (a pbx token)", name)
                        .isEqualTo("#/components/responses/Forbidden");
            }
        });
    }

    @Test
    void errorsShouldBeProblemDocumentsNamingFieldsAndReasons() {
        JsonNode problem = document.at("/components/schemas/Problem");
        assertThat(fieldNames(problem.path("properties"))).containsExactly("type", "title", "status", "detail", "errors");
        assertThat(fieldNames(document.at("/components/schemas/FieldError/properties")))
                .containsExactly("field", "reason");
        Iterator<Map.Entry<String, JsonNode>> responses = document.at("/components/responses").fields();
        while (responses.hasNext()) {
            Map.Entry<String, JsonNode> response = responses.next();
            assertThat(response.getValue().at("/content/application~1problem+json/schema/$ref").asText())
                    .as(response.getKey()).isEqualTo("#/components/schemas/Problem");
        }
        operations().forEach((name, operation) -> operation.path("responses").fields().forEachRemaining(r -> {
            if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                assertThat(r.getValue().path("$ref").asText()).as("%s %s", name, r.getKey())
                        .startsWith("#/components/responses/");
            }
        }));
    }

    @Test
    void everyReferenceShouldResolveAndOperationIdsBeUnique() {
        List<String> broken = new ArrayList<>();
        references(document, broken);
        assertThat(broken).as("references to nothing").isEmpty();
        List<String> ids = operations().values().stream().map(op -> op.path("operationId").asText()).toList();
        assertThat(ids).doesNotContain("").doesNotHaveDuplicates();
    }

    /** Every operation as {@code METHOD /path}. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new TreeMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                operations.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
            }
        }));
        return operations;
    }

    /** The path item's parameters and the operation's, references resolved. */
    private List<JsonNode> parameters(JsonNode pathItem, JsonNode operation) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode list : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
            list.forEach(p -> all.add(p.has("$ref") ? resolve(p.get("$ref").asText()) : p));
        }
        return all;
    }

    private Set<String> parameterNames(JsonNode pathItem, JsonNode operation, String in) {
        Set<String> names = new TreeSet<>();
        parameters(pathItem, operation).stream().filter(p -> p.path("in").asText().equals(in))
                .forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    private JsonNode resolve(String ref) {
        assertThat(ref).startsWith("#/");
        return document.at(ref.substring(1));
    }

    private void references(JsonNode node, List<String> broken) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && (!ref.asText().startsWith("#/") || document.at(ref.asText().substring(1)).isMissingNode())) {
                broken.add(ref.asText());
            }
        }
        node.forEach(child -> references(child, broken));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
