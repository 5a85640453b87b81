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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Boot storm: many phones fetch their own (secret-bearing, authenticated, rendered) file at once.
 * Reference, measured in the same run on the same server: the common file, which needs no database
 * lookup and no authentication. Prints requests per second for both and their ratio.
 *
 * Run: mvn -q -DskipTests package && java -cp target/dialtone.jar bench/BootStorm.java [phones] [rounds]
 */
public class BootStorm {

    public static void main(String[] args) throws Exception {
        int phones = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("dialtone-bench");
        var config = ConfigLoader.load(null, Map.of("DIALTONE_DATA_DIR", dir.resolve("data").toString(),
                "DIALTONE_PHONE_PORT", "0", "DIALTONE_ADMIN_PORT", "0", "DIALTONE_MANAGEMENT_PORT", "0",
                "DIALTONE_TLS_CERT", dir.resolve("s.crt").toString(), "DIALTONE_TLS_KEY", dir.resolve("s.key").toString()));
        try (Dialtone dialtone = Dialtone.start(config)) {
            HttpClient http = client(config.tls().cert());
            String admin = "https://127.0.0.1:" + dialtone.adminPort() + "/api/v1";
            String token = Files.readString(config.dataDir().resolve("operator.token")).trim();
            String account = field(post(http, admin + "/accounts", token, "{\"name\":\"Bench\"}"), "id");
            String location = field(post(http, admin + "/accounts/" + account + "/locations", token,
                    "{\"name\":\"HQ\",\"address\":{\"street\":\"1 Main\",\"city\":\"X\",\"region\":\"IL\",\"postalCode\":\"62701\","
                            + "\"country\":\"US\"},\"timeZone\":\"America/Chicago\"}"), "id");
            List<String[]> devices = new ArrayList<>();
            for (int i = 0; i < phones; i++) {
                String mac = "0015650%05x".formatted(i);
                String user = field(post(http, admin + "/accounts/" + account + "/users", token,
                        "{\"firstName\":\"U\",\"lastName\":\"" + i + "\",\"username\":\"u" + i + "\",\"email\":\"u" + i
                                + "@example.com\",\"extension\":\"" + (1000 + i) + "\",\"locationId\":\"" + location + "\"}"), "id");
                String created = post(http, admin + "/accounts/" + account + "/devices", token,
                        "{\"mac\":\"" + mac + "\",\"model\":\"yealink-t46s\"}");
                String password = created.replaceAll(".*\"password\":\"([^\"]+)\".*", "$1");
                put(http, admin + "/accounts/" + account + "/devices/" + mac + "/user", token, "{\"userId\":\"" + user + "\"}");
                devices.add(new String[] {mac, password});
            }
            String phone = "https://127.0.0.1:" + dialtone.phonePort();
            run(http, phone, devices, false); // warm-up
            run(http, phone, devices, true);
            double common = 0;
            double own = 0;
            for (int r = 0; r < rounds; r++) {
                common += run(http, phone, devices, false);
                own += run(http, phone, devices, true);
            }
            common /= rounds;
            own /= rounds;
            System.out.printf("phones=%d rounds=%d%n", phones, rounds);
            System.out.printf("reference  common file (no auth, no db): %8.0f req/s%n", common);
            System.out.printf("measured   own file (Basic auth, db, render): %8.0f req/s%n", own);
            System.out.printf("ratio own/common: %.2f%n", own / common);
        }
    }

    /** Every phone fetches once, 32 at a time; returns requests per second. */
    static double run(HttpClient http, String base, List<String[]> devices, boolean own) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> all = new ArrayList<>();
        for (String[] d : devices) {
            all.add(pool.submit(() -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + (own ? "/" + d[0] + ".cfg" : "/y000000000066.cfg")));
                if (own) {
                    b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((d[0] + ":" + d[1]).getBytes()));
                }
                try {
                    if (http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " requests failed");
        }
        return devices.size() / seconds;
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
        return send(http, "POST", url, token, body);
    }

    static String put(HttpClient http, String url, String token, String body) throws Exception {
        return send(http, "PUT", url, token, body);
    }

    static String send(HttpClient http, String method, String url, String token, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String field(String json, String name) {
        return json.replaceAll(".*?\"" + name + "\":\"([^\"]+)\".*", "$1");
    }
}
