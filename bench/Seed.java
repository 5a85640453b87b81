import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Seeds a running Dialtone for the boot-storm benchmark, through its admin API only:
 * N users, each with a bound Yealink device, by CSV import (chunks of 5,000 rows); then K more created one
 * by one (user, device, binding: what an integration does) to measure API writes. Writes
 * {@code devices.txt} (one line per phone: MAC, Basic credentials, User-Agent) for the load generator, and
 * each phone's own file exactly as Dialtone serves it into {@code www/} for nginx to serve the same bytes.
 *
 * Run by bench/boot-storm.sh: java -cp target/dialtone.jar bench/Seed.java ADMIN_URL PHONE_URL CERT TOKEN OUT N K
 */
public class Seed {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int CHUNK = 5_000;
    static final String MODEL = "yealink-t46s";

    public static void main(String[] args) throws Exception {
        String admin = args[0] + "/api/v1";
        String phone = args[1];
        HttpClient http = client(Path.of(args[2]));
        String token = Files.readString(Path.of(args[3])).trim();
        Path out = Path.of(args[4]);
        int n = Integer.parseInt(args[5]);
        int apiUsers = Integer.parseInt(args[6]);
        Api api = new Api(http, admin, token);

        String account = api.send("POST", "/accounts", "application/json", "{\"name\":\"Bench\"}").get("id").asText();
        String location = api.send("POST", "/accounts/" + account + "/locations", "application/json",
                "{\"name\":\"HQ\",\"address\":{\"street\":\"1 Main\",\"city\":\"Springfield\",\"region\":\"IL\","
                        + "\"postalCode\":\"62701\",\"country\":\"US\"},\"timeZone\":\"America/Chicago\"}").get("id").asText();

        List<String[]> devices = new ArrayList<>(n);
        long importStart = System.nanoTime();
        for (int first = 0; first < n; first += CHUNK) {
            StringBuilder csv = new StringBuilder("firstName,lastName,username,email,extension,locationId,mac,model\n");
            for (int i = first; i < Math.min(n, first + CHUNK); i++) {
                csv.append("Phone,User ").append(i).append(",u").append(i).append(',').append('u').append(i)
                        .append("@example.com,").append(10_000 + i).append(',').append(location).append(',')
                        .append(mac(i)).append(',').append(MODEL).append('\n');
            }
            JsonNode report = api.send("POST", "/accounts/" + account + "/users:import", "text/csv", csv.toString());
            if (report.get("failed").asInt() > 0) {
                throw new IllegalStateException("import failed rows: " + report.get("rows"));
            }
            for (JsonNode row : report.get("rows")) {
                JsonNode prov = row.get("provisioning");
                devices.add(new String[] {row.get("mac").asText(), prov.get("username").asText(), prov.get("password").asText()});
            }
        }
        double importSeconds = (System.nanoTime() - importStart) / 1e9;
        System.out.printf("seed: imported %d users with bound devices in %.1f s (%.0f rows/s, CSV import, no PINs)%n",
                n, importSeconds, n / importSeconds);

        long apiStart = System.nanoTime();
        for (int i = 0; i < apiUsers; i++) {
            int k = n + i;
            String user = api.send("POST", "/accounts/" + account + "/users", "application/json",
                    "{\"firstName\":\"Api\",\"lastName\":\"User " + k + "\",\"username\":\"u" + k + "\",\"email\":\"u" + k
                            + "@example.com\",\"extension\":\"" + (10_000 + k) + "\",\"locationId\":\"" + location + "\"}")
                    .get("id").asText();
            api.send("POST", "/accounts/" + account + "/devices", "application/json",
                    "{\"mac\":\"" + mac(k) + "\",\"model\":\"" + MODEL + "\"}");
            api.send("PUT", "/accounts/" + account + "/devices/" + mac(k) + "/user", "application/json",
                    "{\"userId\":\"" + user + "\"}");
        }
        if (apiUsers > 0) {
            double apiSeconds = (System.nanoTime() - apiStart) / 1e9;
            System.out.printf("seed: created %d users with a bound device through the API (3 calls each) in %.1f s "
                    + "(%.1f users/s)%n", apiUsers, apiSeconds, apiUsers / apiSeconds);
        }

        Path www = Files.createDirectories(out.resolve("www"));
        try (BufferedWriter list = Files.newBufferedWriter(out.resolve("devices.txt"))) {
            for (String[] d : devices) {
                list.write(d[0] + " " + basic(d[1], d[2]) + " " + userAgent(d[0]) + "\n");
            }
        }
        long fetchStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> fetches = new ArrayList<>();
        for (String[] d : devices) {
            fetches.add(pool.submit(() -> {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(phone + "/" + d[0] + ".cfg"))
                        .header("Authorization", "Basic " + basic(d[1], d[2])).header("User-Agent", userAgent(d[0]))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(d[0] + ".cfg -> " + r.statusCode());
                }
                Files.write(www.resolve(d[0] + ".cfg"), r.body());
                return null;
            }));
        }
        for (Future<?> f : fetches) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("seed: wrote %d phones' own files for nginx in %.1f s%n", devices.size(),
                (System.nanoTime() - fetchStart) / 1e9);
    }

    /** MACs in Yealink's prefix, one per phone. */
    static String mac(int i) {
        return "805ec0%06x".formatted(i);
    }

    static String userAgent(String mac) {
        StringBuilder colons = new StringBuilder();
        for (int i = 0; i < 12; i += 2) {
            colons.append(i == 0 ? "" : ":").append(mac, i, i + 2);
        }
        return "Yealink SIP-T46S 66.86.0.15 " + colons;
    }

    static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    record Api(HttpClient http, String base, String token) {
        JsonNode send(String method, String path, String type, String body) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", type)
                    .timeout(Duration.ofMinutes(30))
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        }
    }

    static HttpClient client(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var in = Files.newInputStream(cert)) {
            store.setCertificateEntry("s", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }
}
