package dialtone.store;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.Await;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import dialtone.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped under a running Dialtone and started again: the admin API and the phones are told
 * 503 with Retry-After (not 500, not a hang), and everything works again without a restart. Runs when the
 * environment says how to stop and start the test server ({@code .ci/run} does).
 */
class DatabaseOutageTest {

    static final String MAC = "0015654aa937";

    @TempDir
    Path dir;

    @Test
    void whilePostgresIsDownAdminAndPhonesAreTold503AndAllWorksAgainWhenItIsBack() throws Exception {
        Assumptions.assumeTrue(TestPostgres.controllable(), "DIALTONE_TEST_POSTGRES_STOP/_START are not set");
        try (TestPostgres postgres = TestPostgres.create(); TestDialtone server = new TestDialtone(dir, postgres.overrides())) {
            AdminClient admin = server.admin();
            String accountId = admin.createAccount("Outage");
            String locationId = admin.createLocation(accountId, "Europe/Paris");
            String userId = admin.createUser(accountId, locationId, "ada", "101").get("id");
            String password = admin.createDevice(accountId, MAC, "yealink-t46s").json().path("provisioning")
                    .path("password").asText();
            admin.bind(accountId, MAC, userId);
            HttpsClient phone = server.phone();
            assertThat(phone.getBasic("/" + MAC + ".cfg", MAC, password).statusCode()).isEqualTo(200);

            TestPostgres.stopServer();
            try {
                AdminClient.Reply read = admin.get("/accounts/" + accountId + "/users/" + userId);
                AdminClient.Reply write = admin.post("/accounts/" + accountId + "/users", """
                        {"firstName":"Bo","lastName":"Down","username":"bo","email":"bo@example.com",
                         "extension":"102","locationId":"%s"}""".formatted(locationId));
                HttpResponse<String> config = phone.getBasic("/" + MAC + ".cfg", MAC, password);

                for (AdminClient.Reply reply : new AdminClient.Reply[] {read, write}) {
                    assertThat(reply.status()).as(reply.text()).isEqualTo(503);
                    assertThat(reply.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
                    assertThat(reply.raw().headers().firstValue("Retry-After")).isPresent();
                    assertThat(reply.json().path("detail").asText()).contains("database");
                }
                assertThat(config.statusCode()).isEqualTo(503);
                assertThat(config.headers().firstValue("Retry-After")).isPresent();
                assertThat(config.body()).doesNotContain("ada");
            } finally {
                TestPostgres.startServer();
            }

            // Back without a restart: broken connections are replaced as they are found.
            Await.until("the admin API to answer again", () -> admin.get("/accounts/" + accountId + "/users/" + userId)
                    .status(), status -> status == 200);
            assertThat(phone.getBasic("/" + MAC + ".cfg", MAC, password).statusCode()).isEqualTo(200);
            assertThat(admin.post("/accounts/" + accountId + "/users", """
                    {"firstName":"Bo","lastName":"Back","username":"bo","email":"bo@example.com",
                     "extension":"102","locationId":"%s"}""".formatted(locationId)).status()).isEqualTo(201);
        }
    }

    @Test
    void aBrokenDatabaseIsNotMistakenForAnOutage() {
        assertThat(DatabaseFailures.problemOf(new IllegalStateException("a bug"))).isNull();
        assertThat(DatabaseFailures.problemOf(new org.jooq.exception.DataAccessException("x",
                new java.sql.SQLException("syntax error", "42601")))).isNull();
        assertThat(DatabaseFailures.problemOf(new org.jooq.exception.DataAccessException("x",
                new java.sql.SQLTransientConnectionException("dialtone-db - Connection is not available")))
                .kind()).isEqualTo(dialtone.core.Problem.Kind.UNAVAILABLE);
        assertThat(DatabaseFailures.problemOf(new org.jooq.exception.DataAccessException("x",
                new java.sql.SQLException("could not extend file: No space left on device", "53100")))
                .kind()).isEqualTo(dialtone.core.Problem.Kind.NO_SPACE);
        assertThat(DatabaseFailures.problemOf(new java.sql.SQLException("terminating connection", "57P01")).kind())
                .isEqualTo(dialtone.core.Problem.Kind.UNAVAILABLE);
    }
}
