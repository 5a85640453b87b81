package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SECURITY.md lines 2, 8, 9 and 20: MAC sweeps, password guessing and the NAT boot storm, with the
 * default failure budget. The test client is a trusted proxy, so each test attacks from its own
 * X-Forwarded-For address and the counters of one test never touch another's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnumerationDefenceTest {

    /** What fail2ban is told to match (README): one line per failed or refused phone request. */
    static final Pattern FAIL2BAN = Pattern.compile(
            "^phone-request ip=(?<host>[0-9a-fA-F.:]+) method=\\S+ path=\\S+ status=(401|403|404|429) .*");
    static final int SWEEP = 10_000;
    static final int SCANNERS = 4;

    @TempDir
    static Path dir;
    TestDialtone server;
    LogCapture logs;
    AdminClient admin;
    HttpsClient phone;
    String accountId;
    final Map<String, String> passwords = new ConcurrentHashMap<>();

    @BeforeAll
    void start() throws Exception {
        logs = new LogCapture();
        // Default budgets (failures: slow after 20, refuse after 60; challenges: 1,000); short delay cap.
        server = new TestDialtone(dir, Map.of("DIALTONE_SERVER_TRUSTED_PROXIES", "127.0.0.1",
                "DIALTONE_THROTTLE_MAX_DELAY_MS", "40"));
        admin = server.admin();
        phone = server.phone();
        accountId = admin.createAccount("Acme");
    }

    @AfterAll
    void stop() {
        server.close();
        logs.close();
    }

    static String sweepMac(int i) {
        return String.format("001565%06x", 0x100000 + i);
    }

    static boolean known(int i) {
        return i == 3 || i == 11 || i == 19 || i == 27 || i == 35 || i == 45 || (i % 500 == 7 && i > 7);
    }

    Map<String, String> from(String address) {
        return Map.of("X-Forwarded-For", address);
    }

    /** Status, every header (Digest nonce/opaque and Retry-After are per-answer values) and body. */
    static String signature(HttpResponse<String> r) {
        StringBuilder out = new StringBuilder().append(r.statusCode()).append('\n');
        r.headers().map().forEach((name, values) -> out.append(name.toLowerCase()).append(": ").append(values.stream()
                .map(v -> v.replaceAll("nonce=\"[^\"]*\"", "nonce=*").replaceAll("opaque=\"[^\"]*\"", "opaque=*"))
                .map(v -> name.equalsIgnoreCase("retry-after") && v.matches("[1-9][0-9]*") ? "n" : v)
                .toList()).append('\n'));
        return out.append(r.body()).toString();
    }

    @Test
    void sweepOf10000MacsAnswersKnownAndUnknownAlikeAndIsRefusedBeforeItEnds() throws Exception {
        for (int i = 0; i < SWEEP; i++) {
            if (known(i)) {
                admin.createDevice(accountId, sweepMac(i), "yealink-t46s");
            }
        }
        Set<String> knownAnswers = ConcurrentHashMap.newKeySet();
        Set<String> unknownAnswers = ConcurrentHashMap.newKeySet();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicLong knownNanos = new AtomicLong();
        AtomicLong unknownNanos = new AtomicLong();
        AtomicInteger knownTimed = new AtomicInteger();
        AtomicInteger unknownTimed = new AtomicInteger();
        AtomicInteger firstRefusal = new AtomicInteger(Integer.MAX_VALUE);
        long started = System.nanoTime();
        // Four scanners in parallel from one address, as a scanning tool would run.
        ExecutorService scanners = Executors.newFixedThreadPool(SCANNERS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < SCANNERS; t++) {
            int first = t;
            done.add(scanners.submit(() -> {
                for (int i = first; i < SWEEP; i += SCANNERS) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = phone.get("/" + sweepMac(i) + ".cfg", from("198.51.100.1"));
                    long took = System.nanoTime() - t0;
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                    if (r.statusCode() == 429) {
                        firstRefusal.accumulateAndGet(i, Math::min);
                    }
                    (known(i) ? knownAnswers : unknownAnswers).add(signature(r));
                    if (i >= SCANNERS && i < 20) {   // warm connection, before any slow-down
                        (known(i) ? knownNanos : unknownNanos).addAndGet(took);
                        (known(i) ? knownTimed : unknownTimed).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        scanners.shutdown();
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        String figures = "requests=" + SWEEP + " challenged(401)=" + statuses.getOrDefault(401, 0)
                + " refused(429)=" + statuses.getOrDefault(429, 0) + " firstRefusalAt=" + firstRefusal
                + " elapsedMs=" + elapsedMillis + " meanKnownMicros(warm16)="
                + knownNanos.get() / knownTimed.get() / 1000
                + " meanUnknownMicros(warm16)=" + unknownNanos.get() / unknownTimed.get() / 1000;
        Files.writeString(Path.of("target", "enumeration-figures.txt"), figures + "\n", StandardCharsets.UTF_8);
        System.out.println("enumeration sweep: " + figures);

        assertThat(statuses.keySet()).containsExactlyInAnyOrder(401, 429);
        assertThat(knownAnswers).isEqualTo(unknownAnswers).hasSize(2);
        // Credential-less probes are challenges: the 1,000th outstanding one (the default challenge budget)
        // trips the refusal; requests already in flight at that moment may still be answered 401.
        assertThat(statuses.get(401)).isBetween(1_000, 1_000 + SCANNERS);
        assertThat(firstRefusal.get()).isLessThan(1_100);
        List<String> refusals = logs.lines().stream().filter(l -> l.contains("ip=198.51.100.1 ") && l.contains("status=429"))
                .toList();
        assertThat(refusals).hasSize(statuses.get(429)).allMatch(l -> FAIL2BAN.matcher(l).matches())
                .allMatch(l -> l.contains("mac=- reason=refused-too-many-failures"));
    }

    @Test
    void passwordGuessingFromOneSourceIsRefusedEvenForTheRightPasswordLater() throws Exception {
        String mac = "0015654ad001";
        String password = admin.createDevice(accountId, mac, "yealink-t46s").json().path("provisioning").path("password")
                .asText();
        int attempts = 0;
        HttpResponse<String> r;
        do {
            r = phone.get("/" + mac + ".cfg", Map.of("X-Forwarded-For", "198.51.100.2",
                    "Authorization", DeviceIdentityAttacksTest.basic(mac, "guess" + attempts)));
            attempts++;
        } while (r.statusCode() == 401 && attempts < 1000);

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(attempts).isEqualTo(61);
        assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        HttpResponse<String> right = phone.get("/" + mac + ".cfg", Map.of("X-Forwarded-For", "198.51.100.2",
                "Authorization", DeviceIdentityAttacksTest.basic(mac, password)));
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.body()).doesNotContain("account.1");
        // Another source is not punished for this one's guessing.
        HttpResponse<String> elsewhere = phone.get("/" + mac + ".cfg", Map.of("X-Forwarded-For", "198.51.100.3",
                "Authorization", DeviceIdentityAttacksTest.basic(mac, password)));
        assertThat(elsewhere.statusCode()).isEqualTo(200);
        assertThat(logs.lines()).anyMatch(l -> l.startsWith("phone-request ip=198.51.100.2 ") && l.contains("status=429")
                && FAIL2BAN.matcher(l).matches());
    }

    @Test
    void fiveHundredPhonesBehindOneNatAddressBootingTogetherAreAllServed() throws Exception {
        int phones = 500;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < phones; i++) {
                String mac = String.format("00156590%04x", i);
                created.add(pool.submit(() -> {
                    passwords.put(mac, admin.createDevice(accountId, mac, "yealink-t46s").json()
                            .path("provisioning").path("password").asText());
                    return null;
                }));
            }
            for (Future<?> f : created) {
                f.get();
            }
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            List<Future<?>> boots = new ArrayList<>();
            for (var device : passwords.entrySet()) {
                if (!device.getKey().startsWith("00156590")) {
                    continue;
                }
                boots.add(pool.submit(() -> {
                    HttpResponse<String> r = phone.getDigest("/" + device.getKey() + ".cfg", device.getKey(),
                            device.getValue(), from("203.0.113.50"));
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                    return null;
                }));
            }
            for (Future<?> f : boots) {
                f.get();
            }
            assertThat(statuses).containsExactly(Map.entry(200, phones));
        } finally {
            pool.shutdownNow();
        }
        assertThat(logs.lines()).noneMatch(l -> l.startsWith("phone-request ip=203.0.113.50 ") && l.contains("status=429"));
    }

    @Test
    void forwardedForIsBelievedFromATrustedProxy() throws Exception {
        phone.get("/" + sweepMac(99_999) + ".cfg", from("192.0.2.77"));
        assertThat(logs.lines()).anyMatch(l -> l.startsWith("phone-request ip=192.0.2.77 "));
    }
}
