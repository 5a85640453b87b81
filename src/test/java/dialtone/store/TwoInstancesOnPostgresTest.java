package dialtone.store;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.Await;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import dialtone.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Dialtone instances on one PostgreSQL database: a change made through one instance's API reaches the
 * phones served by the other, which keeps their files in memory. The other hears of it by LISTEN/NOTIFY; while
 * it cannot hear, it keeps nothing. Runs when {@code DIALTONE_TEST_POSTGRES_URL} names a server.
 */
class TwoInstancesOnPostgresTest {

    static final String MAC = "805ec0dd0001";

    @TempDir
    Path dir;
    TestPostgres postgres;
    TestDialtone first;
    TestDialtone second;
    AdminClient admin;
    HttpsClient secondPhone;
    String account;
    String user;
    String password;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(TestPostgres.configured(), TestPostgres.URL_VARIABLE
                + " is not set; two instances on PostgreSQL not checked (see README, Using PostgreSQL)");
        postgres = TestPostgres.create();
        first = new TestDialtone(dir.resolve("first"), postgres.overrides());
        // Instances that share a database share its secret key too (README, Using PostgreSQL).
        Files.createDirectories(dir.resolve("second/data"));
        Files.copy(dir.resolve("first/data/secret.key"), dir.resolve("second/data/secret.key"));
        second = new TestDialtone(dir.resolve("second"), postgres.overrides());
        admin = first.admin();
        secondPhone = second.phone();
        account = admin.createAccount("Shared");
        user = admin.createUser(account, admin.createLocation(account, "UTC"), "ada", "101").get("id");
        password = admin.createDevice(account, MAC, "yealink-t46s").json().path("provisioning").path("password").asText();
        admin.bind(account, MAC, user);
        assertThat(fetch().body()).contains("account.1.display_name = Ada Lovelace");
        assertThat(fetch().body()).contains("account.1.display_name = Ada Lovelace");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {second, first, postgres}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private HttpResponse<String> fetch() throws Exception {
        return secondPhone.getBasic("/" + MAC + ".cfg", MAC, password);
    }

    @Test
    void aChangeThroughOneInstanceIsServedByTheOther() throws Exception {
        admin.patch("/accounts/" + account + "/users/" + user, "{\"lastName\":\"Byron\"}");
        Await.until("the other instance serves the change", () -> fetch().body(), b -> b.contains("Ada Byron"));

        admin.put("/accounts/" + account + "/vars", "{\"vars\":{\"admin_password\":\"shared\"}}");
        Await.until("the other instance serves the account's change", () -> fetch().body(),
                b -> b.contains("admin:shared"));

        admin.delete("/accounts/" + account + "/devices/" + MAC);
        Await.until("the other instance refuses the deleted device", () -> fetch().statusCode(), s -> s == 401);
    }

    @Test
    void changesMadeWhileTheOtherCouldNotHearAreServedOnceItHearsAgain() throws Exception {
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            // Cuts every instance's listening connection, as a database restart or a network cut would.
            s.execute("select pg_terminate_backend(pid) from pg_stat_activity where query like 'listen %'");
        }
        admin.patch("/accounts/" + account + "/users/" + user, "{\"lastName\":\"Byron\"}");
        Await.until("the other instance serves the change", () -> fetch().body(), b -> b.contains("Ada Byron"));
    }
}
