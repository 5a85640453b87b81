package dialtone.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.Map;

/** Calls the admin API with a bearer token and reads JSON answers. */
public final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpsClient http;
    private final String token;

    public AdminClient(HttpsClient http, String token) {
        this.http = http;
        this.token = token;
    }

    public AdminClient withToken(String other) {
        return new AdminClient(http, other);
    }

    /** A response: status and parsed JSON body (null when empty). */
    public record Reply(int status, JsonNode json, String text, HttpResponse<String> raw) {
        public String get(String field) {
            return json.path(field).asText();
        }
    }

    public Reply call(String method, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(method, "/api/v1" + path, body, body == null
                ? Map.of("Authorization", "Bearer " + token)
                : Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
        String text = response.body();
        return new Reply(response.statusCode(), text.isEmpty() ? null : JSON.readTree(text), text, response);
    }

    public Reply get(String path) throws Exception {
        return call("GET", path, null);
    }

    public Reply post(String path, String body) throws Exception {
        return call("POST", path, body);
    }

    public Reply put(String path, String body) throws Exception {
        return call("PUT", path, body);
    }

    public Reply patch(String path, String body) throws Exception {
        return call("PATCH", path, body);
    }

    public Reply delete(String path) throws Exception {
        return call("DELETE", path, null);
    }

    /** Creates an account, returns its id; fails the test on anything but 201. */
    public String createAccount(String name) throws Exception {
        return created(post("/accounts", "{\"name\":\"" + name + "\"}")).get("id");
    }

    public String createLocation(String accountId, String timeZone) throws Exception {
        return created(post("/accounts/" + accountId + "/locations", """
                {"name":"HQ","address":{"street":"1 Main St","city":"Springfield","region":"IL",
                 "postalCode":"62701","country":"US"},"timeZone":"%s"}""".formatted(timeZone))).get("id");
    }

    /** Creates a user; returns the 201 reply (it carries the SIP credentials). */
    public Reply createUser(String accountId, String locationId, String username, String extension) throws Exception {
        return created(post("/accounts/" + accountId + "/users", """
                {"firstName":"Ada","lastName":"Lovelace","username":"%s","email":"%s@example.com",
                 "extension":"%s","locationId":"%s","unreachableForward":"+14155552671"}"""
                .formatted(username, username, extension, locationId)));
    }

    /** Creates a device; returns the 201 reply (it carries the provisioning credentials). */
    public Reply createDevice(String accountId, String mac, String model) throws Exception {
        return created(post("/accounts/" + accountId + "/devices",
                "{\"mac\":\"" + mac + "\",\"model\":\"" + model + "\",\"label\":\"Desk\"}"));
    }

    public Reply bind(String accountId, String mac, String userId) throws Exception {
        Reply reply = put("/accounts/" + accountId + "/devices/" + mac + "/user", "{\"userId\":\"" + userId + "\"}");
        if (reply.status() != 200) {
            throw new AssertionError("bind failed: " + reply.status() + " " + reply.text());
        }
        return reply;
    }

    private static Reply created(Reply reply) {
        if (reply.status() != 201) {
            throw new AssertionError("expected 201, got " + reply.status() + " " + reply.text());
        }
        return reply;
    }
}
