package dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.core.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
            .add("GET", "/accounts", named("list"))
            .add("POST", "/accounts", named("create"))
            .add("GET", "/accounts/{accountId}", named("one"))
            .add("DELETE", "/accounts/{accountId}", named("delete"))
            .add("GET", "/accounts/{accountId}/users/{userId}", named("user"))
            .add("GET", "/accounts/export", named("export"));

    @Test
    void aMethodAndPathReachTheirRouteWithTheCall() throws Exception {
        assertThat(body(router.dispatch("call-1", "GET", "/accounts"))).isEqualTo("call-1 list {}");
        assertThat(body(router.dispatch("call-2", "POST", "/accounts"))).isEqualTo("call-2 create {}");
    }

    @Test
    void placeholdersBecomeNamedParameters() throws Exception {
        assertThat(body(router.dispatch("c", "GET", "/accounts/a-1/users/u-2")))
                .isEqualTo("c user {accountId=a-1, userId=u-2}");
        assertThat(body(router.dispatch("c", "DELETE", "/accounts/a-1"))).isEqualTo("c delete {accountId=a-1}");
    }

    @Test
    void theFirstRegisteredMatchWinsOverALaterLiteral() throws Exception {
        assertThat(body(router.dispatch("c", "GET", "/accounts/export"))).isEqualTo("c one {accountId=export}");
    }

    @Test
    void aTrailingSlashMatchesTheSameRoute() throws Exception {
        assertThat(body(router.dispatch("c", "GET", "/accounts/"))).isEqualTo("c list {}");
    }

    @Test
    void anEmptySegmentNeverFillsAPlaceholder() {
        assertThatThrownBy(() -> router.dispatch("c", "GET", "/accounts//users/u-2"))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.NOT_FOUND));
    }

    @Test
    void anUnknownPathIsNotFound() {
        assertThatThrownBy(() -> router.dispatch("c", "GET", "/nothing/here"))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.NOT_FOUND));
        assertThatThrownBy(() -> router.dispatch("c", "GET", "/accounts/a-1/users"))
                .isInstanceOf(Problem.class);
    }

    @Test
    void aKnownPathWithTheWrongMethodIs405ListingTheAllowedOnes() throws Exception {
        Response response = router.dispatch("c", "PUT", "/accounts/a-1");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers().get("Allow")).isEqualTo("GET, DELETE");
        assertThat(response.headers().get("Content-Type")).isEqualTo(Responses.PROBLEM_JSON);
        assertThat(body(response)).contains("\"status\":405", "PUT is not allowed here");
    }

    @Test
    void theRouteSeesNoParametersOfAnotherRoute() throws Exception {
        Map<String, String>[] seen = new Map[1];
        Router<String> single = new Router<String>().add("GET", "/a/{x}", (call, params) -> {
            seen[0] = params;
            return Response.empty(204);
        });

        assertThat(single.dispatch("c", "GET", "/a/1").status()).isEqualTo(204);
        assertThat(seen[0]).containsExactly(Map.entry("x", "1"));
    }
}
