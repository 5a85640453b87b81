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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The SIP directory under a registration storm: lookups per second and latency (p50/p99) of
 * GET /pbx/v1/subscribers/{user}, 32 concurrent TLS clients, against two references measured in the same run on
 * the same server: the phone listener's common file (no database, no authentication), and that same common file
 * fetched while the lookup storm runs (phone provisioning must not starve: the directory has its own workers).
 *
 * Run: mvn -q -DskipTests package && java -cp target/dialtone.jar bench/PbxLookups.java [users] [lookups]
 */
public class PbxLookups {

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
        Path dir = Files.createTempDirectory("dialtone-bench");
        var config = ConfigLoader.load(null, Map.of("DIALTONE_DATA_DIR", dir.resolve("data").toString(),
                "DIALTONE_PHONE_PORT", "0", "DIALTONE_ADMIN_PORT", "0", "DIALTONE_PBX_PORT", "0",
                "DIALTONE_TLS_CERT", dir.resolve("s.crt").toString(), "DIALTONE_TLS_KEY", dir.resolve("s.key").toString()));
        try (Dialtone dialtone = Dialtone.start(config)) {
            HttpClient http = client(config.tls().cert());
            String admin = "https://127.0.0.1:" + dialtone.adminPort() + "/api/v1";
            String token = Files.readString(config.dataDir().resolve("operator.token")).trim();
            String account = field(send(http, "POST", admin + "/accounts", token, "{\"name\":\"Bench\"}"), "id");
            String location = field(send(http, "POST", admin + "/accounts/" + account + "/locations", token,
                    "{\"name\":\"HQ\",\"address\":{\"street\":\"1 Main\",\"city\":\"X\",\"region\":\"IL\",\"postalCode\":\"62701\","
                            + "\"country\":\"US\"},\"timeZone\":\"America/Chicago\"}"), "id");
            List<String> sipUsers = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                String created = send(http, "POST", admin + "/accounts/" + account + "/users", token,
                        "{\"firstName\":\"U\",\"lastName\":\"" + i + "\",\"username\":\"u" + i + "\",\"email\":\"u" + i
                                + "@example.com\",\"extension\":\"" + (1000 + i) + "\",\"locationId\":\"" + location
                                + "\",\"unreachableForward\":\"+14155550199\"}");
                sipUsers.add(created.replaceAll(".*\"sip\":\\{\"username\":\"([^\"]+)\".*", "$1"));
            }
            String pbxToken = field(send(http, "POST", admin + "/tokens", token,
                    "{\"role\":\"pbx\",\"name\":\"bench\"}"), "token");
            String pbx = "https://127.0.0.1:" + dialtone.pbxPort() + "/pbx/v1/subscribers/";
            String common = "https://127.0.0.1:" + dialtone.phonePort() + "/y000000000066.cfg";
            List<URI> lookupUris = new ArrayList<>();
            List<URI> commonUris = new ArrayList<>();
            for (int i = 0; i < lookups; i++) {
                lookupUris.add(URI.create(pbx + sipUsers.get(i % users) + "?domain=sip.example.invalid"));
                commonUris.add(URI.create(common));
            }
            run(http, commonUris, null); // warm-up
            run(http, lookupUris, pbxToken);
            Result reference = run(http, commonUris, null);
            Result directory = run(http, lookupUris, pbxToken);
            ExecutorService storm = Executors.newSingleThreadExecutor();
            Future<Result> background = storm.submit(() -> run(http, lookupUris, pbxToken));
            Result duringStorm = run(http, commonUris.subList(0, Math.min(1000, lookups)), null);
            Result stormed = background.get();
            storm.shutdown();
            System.out.printf("users=%d requests per run=%d, 32 concurrent clients each%n", users, lookups);
            System.out.println("reference  phone common file (no db, no auth)      " + reference);
            System.out.println("measured   directory lookup (token, db, HA1)       " + directory);
            System.out.println("measured   phone common file during a lookup storm " + duringStorm
                    + "   (storm itself: " + stormed + ")");
            System.out.printf("ratio lookups/common: %.2f; common file during storm / alone: %.2f%n",
                    directory.perSecond / reference.perSecond, duringStorm.perSecond / reference.perSecond);
        }
    }

    record Result(double perSecond, double p50Millis, double p99Millis) {
        @Override
        public String toString() {
            return "%8.0f req/s  p50 %6.1f ms  p99 %6.1f ms".formatted(perSecond, p50Millis, p99Millis);
        }
    }

    /** Sends every request, 32 at a time; every answer must be 200. */
    static Result run(HttpClient http, List<URI> uris, String bearer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        AtomicInteger failures = new AtomicInteger();
        long[] latencies = new long[uris.size()];
        long start = System.nanoTime();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            int n = i;
            all.add(pool.submit(() -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(uris.get(n));
                if (bearer != null) {
                    b.header("Authorization", "Bearer " + bearer);
                }
                long sent = System.nanoTime();
                try {
                    if (http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
                latencies[n] = System.nanoTime() - sent;
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
        Arrays.sort(latencies);
        return new Result(uris.size() / seconds, latencies[latencies.length / 2] / 1e6,
                latencies[(int) (latencies.length * 0.99)] / 1e6);
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
