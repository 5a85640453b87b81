import dialtone.Dialtone;
import dialtone.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What durable commits cost: users created per second through the admin API by concurrent clients, on
 * three databases measured in the same run: H2 in memory (the reference: no disk at all), an H2 file
 * written the way H2 does by default (commits reach the file about once a second, never forced: what
 * Dialtone did before its commits were made durable), and the embedded default as shipped (every commit
 * written and forced to the device before the API answers).
 *
 * Run: mvn -q -DskipTests package && java -cp target/dialtone.jar bench/UserWrites.java [users] [clients]
 */
public class UserWrites {

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path dir = Files.createTempDirectory("dialtone-bench");
        measure(dir.resolve("warm-up"), "jdbc:h2:mem:warm-up;DB_CLOSE_DELAY=-1", users, clients); // JIT
        double memory = 0;
        double lazy = 0;
        double durable = 0;
        for (int pass = 0; pass < 2; pass++) {
            memory += measure(dir.resolve("mem" + pass), "jdbc:h2:mem:bench" + pass + ";DB_CLOSE_DELAY=-1", users, clients) / 2;
            // nio: is H2's own file system under another name, which Dialtone leaves as H2 configures it.
            lazy += measure(dir.resolve("lazy" + pass), "jdbc:h2:nio:" + dir.resolve("lazy" + pass + "/db").toAbsolutePath(),
                    users, clients) / 2;
            durable += measure(dir.resolve("durable" + pass), null, users, clients) / 2;
        }
        System.out.printf("users=%d clients=%d cores=%d%n", users, clients, Runtime.getRuntime().availableProcessors());
        System.out.printf("reference  H2 in memory:                      %7.1f users/s%n", memory);
        System.out.printf("           H2 file, H2's default (not durable): %7.1f users/s%n", lazy);
        System.out.printf("measured   H2 file as shipped (durable):       %7.1f users/s%n", durable);
        System.out.printf("ratio durable/not durable: %.2f   durable/memory: %.2f%n", durable / lazy, durable / memory);
    }

    static double measure(Path dir, String url, int users, int clients) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("DIALTONE_DATA_DIR", dir.resolve("data").toString(),
                "DIALTONE_PHONE_PORT", "0", "DIALTONE_ADMIN_PORT", "0", "DIALTONE_MANAGEMENT_PORT", "0",
                "DIALTONE_TLS_CERT", dir.resolve("s.crt").toString(), "DIALTONE_TLS_KEY", dir.resolve("s.key").toString()));
        if (url != null) {
            env.put("DIALTONE_DATABASE_URL", url);
        }
        var config = ConfigLoader.load(null, env);
        try (Dialtone dialtone = Dialtone.start(config)) {
            HttpClient http = client(config.tls().cert());
            String admin = "https://127.0.0.1:" + dialtone.adminPort() + "/api/v1";
            String token = Files.readString(config.dataDir().resolve("operator.token")).trim();
            String account = field(post(http, admin + "/accounts", token, "{\"name\":\"Bench\"}"), "id");
            String location = field(post(http, admin + "/accounts/" + account + "/locations", token,
                    "{\"name\":\"HQ\",\"address\":{\"street\":\"1 Main\",\"city\":\"X\",\"region\":\"IL\",\"postalCode\":\"62701\","
                            + "\"country\":\"US\"},\"timeZone\":\"America/Chicago\"}"), "id");
            AtomicInteger next = new AtomicInteger();
            create(http, admin, token, account, location, next, users / 4, clients); // warm-up
            long start = System.nanoTime();
            create(http, admin, token, account, location, next, users, clients);
            return users / ((System.nanoTime() - start) / 1e9);
        }
    }

    static void create(HttpClient http, String admin, String token, String account, String location, AtomicInteger next,
                       int users, int clients) throws Exception {
        int end = next.get() + users;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> all = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            all.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < end) {
                    post(http, admin + "/accounts/" + account + "/users", token,
                            "{\"firstName\":\"U\",\"lastName\":\"" + i + "\",\"username\":\"u" + i + "\",\"email\":\"u" + i
                                    + "@example.com\",\"extension\":\"" + (1000 + i) + "\",\"locationId\":\"" + location + "\"}");
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        pool.shutdown();
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
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
    }

    static String post(HttpClient http, String url, String token, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST " + url + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String field(String json, String name) {
        return json.replaceAll("(?s).*\"" + name + "\":\"([^\"]+)\".*", "$1");
    }
}
