package dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dialtone.core.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Matching a method and a path to a route, with path parameters, 404 and 405. */
class RouterTest {

    /** A route that answers with its name and the parameters it was given. */
    private static Router.Route<String> named(String name) {
        return (call, params) -> Response.of(200, "text/plain",
                (call + " " + name + " " + new TreeMap<>(params)).getBytes(StandardCharsets.UTF_8));
    }

    private static String body(Response response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private final Router<String> router = new Router<String>()
            .add("GET", "/accounts", Set.of("limit", "cursor"), named("list"))
            .add("POST", "/accounts", named("create"))
            .add("GET", "/accounts/{accountId}", named("one"))
            .add("DELETE", "/accounts/{accountId}", named("delete"))
            .add("GET", "/accounts/{accountId}/users/{userId}", named("user"))
            .add("GET", "/accounts/export", named("export"));

    @Test
    void aMethodAndPathReachTheirRouteWithTheCall() throws Exception {
        assertThat(body(router.dispatch("call-1", "GET", "/accounts", Set.of()))).isEqualTo("call-1 list {}");
        assertThat(body(router.dispatch("call-2", "POST", "/accounts", Set.of()))).isEqualTo("call-2 create {}");
    }

    @Test
    void placeholdersBecomeNamedParameters() throws Exception {
        assertThat(body(router.dispatch("c", "GET", "/accounts/a-1/users/u-2", Set.of())))
                .isEqualTo("c user {accountId=a-1, userId=u-2}");
        assertThat(body(router.dispatch("c", "DELETE", "/accounts/a-1", Set.of()))).isEqualTo("c delete {accountId=a-1}");
    }

    @Test
    void theFirstRegisteredMatchWinsOverALaterLiteral() throws Exception {
        assertThat(body(router.dispatch("c", "GET", "/accounts/export", Set.of()))).isEqualTo("c one {accountId=export}");
    }

    @Test
    void aTrailingSlashMatchesTheSameRoute() throws Exception {
        assertThat(body(router.dispatch("c", "GET", "/accounts/", Set.of()))).isEqualTo("c list {}");
    }

    @Test
    void anEmptySegmentNeverFillsAPlaceholder() {
        assertThatThrownBy(() -> router.dispatch("c", "GET", "/accounts//users/u-2", Set.of()))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.NOT_FOUND));
    }

    @Test
    void anUnknownPathIsNotFound() {
        assertThatThrownBy(() -> router.dispatch("c", "GET", "/nothing/here", Set.of()))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.NOT_FOUND));
        assertThatThrownBy(() -> router.dispatch("c", "GET", "/accounts/a-1/users", Set.of()))
                .isInstanceOf(Problem.class);
    }

    @Test
    void aKnownPathWithTheWrongMethodIs405ListingTheAllowedOnes() throws Exception {
        Response response = router.dispatch("c", "PUT", "/accounts/a-1", Set.of());

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers().get("Allow")).isEqualTo("GET, DELETE");
        assertThat(response.headers().get("Content-Type")).isEqualTo(Responses.PROBLEM_JSON);
        assertThat(body(response)).contains("\"status\":405", "PUT is not allowed here");
    }

    @Test
    void aQueryParameterTheRouteTakesIsLetThrough() throws Exception {
        assertThat(body(router.dispatch("c", "GET", "/accounts", Set.of("limit")))).isEqualTo("c list {}");
    }

    @Test
    void everyQueryParameterTheRouteDoesNotTakeIsRefusedByName() {
        Problem refused = catchThrowableOfType(Problem.class,
                () -> router.dispatch("c", "GET", "/accounts", Set.of("sort", "limit", "admin")));

        assertThat(refused.kind()).isEqualTo(Problem.Kind.INVALID);
        assertThat(refused.errors()).extracting(e -> e.field()).containsExactly("admin", "sort");
        assertThat(refused.errors().get(0).reason()).contains("it takes cursor, limit");
    }

    @Test
    void aRouteWithoutQueryParametersRefusesAny() {
        Problem refused = catchThrowableOfType(Problem.class,
                () -> router.dispatch("c", "DELETE", "/accounts/a-1", Set.of("force")));

        assertThat(refused.errors()).extracting(e -> e.field()).containsExactly("force");
    }

    @Test
    void theRoutesAreListedInTheOrderRegistered() {
        assertThat(router.routes()).extracting(Router.Description::toString).containsExactly("GET /accounts",
                "POST /accounts", "GET /accounts/{accountId}", "DELETE /accounts/{accountId}",
                "GET /accounts/{accountId}/users/{userId}", "GET /accounts/export");
        assertThat(router.routes().get(0).query()).isEqualTo(Set.of("limit", "cursor"));
        assertThat(router.routes().get(1).query()).isEmpty();
    }

    @Test
    void theRouteSeesNoParametersOfAnotherRoute() throws Exception {
        Map<String, String>[] seen = new Map[1];
        Router<String> single = new Router<String>().add("GET", "/a/{x}", (call, params) -> {
            seen[0] = params;
            return Response.empty(204);
        });

        assertThat(single.dispatch("c", "GET", "/a/1", Set.of()).status()).isEqualTo(204);
        assertThat(seen[0]).containsExactly(Map.entry("x", "1"));
    }
}
