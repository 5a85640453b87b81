package dialtone.provisioning;

import dialtone.testing.HttpsClient;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** A phone as the server sees it: a User-Agent, a MAC's provisioning credentials, Digest on any method. */
record Phone(HttpsClient http, String userAgent, String username, String password) {

    HttpResponse<String> get(String path) throws Exception {
        return http.get(path, Map.of("User-Agent", userAgent));
    }

    HttpResponse<String> head(String path) throws Exception {
        return http.send("HEAD", path, null, Map.of("User-Agent", userAgent));
    }

    /** GET answering the Digest challenge with this phone's credentials. */
    HttpResponse<String> getProven(String path) throws Exception {
        return sendProven("GET", path, null);
    }

    HttpResponse<String> putProven(String path, String body) throws Exception {
        return sendProven("PUT", path, body);
    }

    HttpResponse<String> sendProven(String method, String path, String body) throws Exception {
        HttpResponse<String> challenge = http.send(method, path, body, Map.of("User-Agent", userAgent));
        if (challenge.statusCode() != 401) {
            return challenge;
        }
        String header = challenge.headers().allValues("WWW-Authenticate").stream()
                .filter(h -> h.startsWith("Digest ")).findFirst().orElseThrow();
        Map<String, String> headers = new HashMap<>();
        headers.put("User-Agent", userAgent);
        headers.put("Authorization", HttpsClient.digestAuthorization(header, method, path, username, password));
        return http.send(method, path, body, headers);
    }
}
