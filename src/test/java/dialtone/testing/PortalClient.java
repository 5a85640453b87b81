package dialtone.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A scripted visitor of the portal over real HTTPS, for the attack tests: keeps its cookies, never follows
 * redirects, reads the CSRF token of the last page, and can send whatever headers an attacker would.
 */
public final class PortalClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
    private final String base;
    private final HttpClient client;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String csrf;

    public PortalClient(String base, Path certificate) throws Exception {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.client = HttpClient.newBuilder().sslContext(HttpsClient.trusting(certificate))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    /** The CSRF token of the last page that had a form. */
    public String csrf() {
        return csrf;
    }

    public HttpResponse<String> get(String path, String... headers) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    /** Posts the fields as a form; {@code csrf} is added unless the fields carry their own (or "csrf" is null). */
    public HttpResponse<String> post(String path, Map<String, String> fields, String... headers) throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        if (!fields.containsKey("csrf") && csrf != null) {
            all.put("csrf", csrf);
        }
        fields.forEach((k, v) -> {
            if (v != null) {
                all.put(k, v);
            }
        });
        String body = all.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-www-form-urlencoded"), headers);
    }

    private HttpResponse<String> send(HttpRequest.Builder builder, String... headers) throws Exception {
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = client.send(builder.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        for (String set : response.headers().allValues("Set-Cookie")) {
            String pair = set.substring(0, set.indexOf(';'));
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            if (value.isEmpty() || set.contains("Max-Age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        Matcher m = CSRF.matcher(response.body());
        if (m.find()) {
            csrf = m.group(1);
        }
        return response;
    }

    /** Logs in (administrator or user login page) and returns the answer to the POST. */
    public HttpResponse<String> login(String loginPath, String username, String password, String... headers)
            throws Exception {
        get(loginPath);
        return post(loginPath, Map.of("username", username, "password", password), headers);
    }
}
