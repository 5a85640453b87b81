package dialtone.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dialtone.testing.AdminClient;
import dialtone.testing.JarProcess;
import dialtone.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar, killed with SIGKILL while several clients create users through the admin API, three times,
 * restarted each time on the same data: every user whose creation was answered 201 is there afterwards, and
 * the database opened without any repair. On the embedded H2 default, and on PostgreSQL when
 * {@code DIALTONE_TEST_POSTGRES_URL} names one.
 */
class CrashDurabilityIT {

    static final int CLIENTS = 4;
    static final int KILLS = 3;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesSigkillOnTheEmbeddedDatabase() throws Exception {
        try (JarProcess dialtone = new JarProcess(dir, Map.of())) {
            killWhileWritingAndCheck(dialtone);
            try (Stream<Path> files = Files.list(dialtone.dataDir())) {
                // H2 reports corruption and recovery in a trace file beside the database; there is none.
                assertThat(files.map(p -> p.getFileName().toString())).contains("dialtone.mv.db")
                        .noneMatch(name -> name.endsWith(".trace.db") || name.contains("corrupt"));
            }
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkillOnPostgres() throws Exception {
        Assumptions.assumeTrue(TestPostgres.configured(), TestPostgres.URL_VARIABLE + " is not set");
        try (TestPostgres postgres = TestPostgres.create(); JarProcess dialtone = new JarProcess(dir, postgres.overrides())) {
            killWhileWritingAndCheck(dialtone);
        }
    }

    private void killWhileWritingAndCheck(JarProcess dialtone) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        AdminClient admin = dialtone.admin();
        String accountId = admin.createAccount("Durable");
        String locationId = admin.createLocation(accountId, "Europe/Berlin");
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger sequence = new AtomicInteger(1000);
        for (int round = 0; round < KILLS; round++) {
            // The kill comes after a random number of acknowledged creations, with the other clients mid-request.
            int killAfter = 40 + random.nextInt(60);
            writeUntilKilled(dialtone, accountId, locationId, killAfter, sequence, acknowledged);
            dialtone.start();
            assertThat(dialtone.outputLines()).as("start-up after kill %d (seed %d)", round + 1, seed)
                    .noneMatch(line -> line.contains(" ERROR ") || line.contains(" WARN "));
            Map<String, String> stored = users(dialtone.admin(), accountId);
            assertThat(stored).as("after kill %d of %d, seed %d", round + 1, KILLS, seed)
                    .containsAllEntriesOf(acknowledged);
        }
        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(3 * 40);
        assertThat(dialtone.admin().get("/accounts/" + accountId + "/locations/" + locationId).status()).isEqualTo(200);
    }

    /** Creates users from several clients until {@code killAfter} are acknowledged, then SIGKILLs the server. */
    private static void writeUntilKilled(JarProcess dialtone, String accountId, String locationId, int killAfter,
                                        AtomicInteger sequence, Map<String, String> acknowledged) throws Exception {
        AdminClient admin = dialtone.admin();
        AtomicInteger thisRound = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    while (dialtone.process().isAlive()) {
                        int n = sequence.getAndIncrement();
                        String username = "crash" + n;
                        AdminClient.Reply reply;
                        try {
                            reply = admin.post("/accounts/" + accountId + "/users", """
                                    {"firstName":"Kill","lastName":"Nine","username":"%s","email":"%s@example.com",
                                     "extension":"%d","locationId":"%s"}""".formatted(username, username, n, locationId));
                        } catch (java.io.IOException connectionLost) {
                            return null; // killed mid-request: not acknowledged, may or may not be stored
                        }
                        if (reply.status() != 201) {
                            throw new AssertionError("unexpected answer " + reply.status() + ": " + reply.text());
                        }
                        acknowledged.put(reply.get("id"), username);
                        if (thisRound.incrementAndGet() == killAfter) {
                            dialtone.kill();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(dialtone.process().isAlive()).isFalse();
    }

    /** id -> username of every user of the account, read page by page. */
    private static Map<String, String> users(AdminClient admin, String accountId) throws Exception {
        Map<String, String> users = new HashMap<>();
        String after = null;
        do {
            AdminClient.Reply page = admin.get("/accounts/" + accountId + "/users?limit=200"
                    + (after == null ? "" : "&after=" + after));
            assertThat(page.status()).isEqualTo(200);
            for (JsonNode user : page.json().path("items")) {
                users.put(user.path("id").asText(), user.path("username").asText());
            }
            after = page.json().path("next").isTextual() ? page.json().path("next").asText() : null;
        } while (after != null);
        return users;
    }
}
