package dialtone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.Main;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A backup taken while phones are being served restores to a server that serves the same configs. */
@DisabledIfEnvironmentVariable(named = "DIALTONE_TEST_ALL_ON_POSTGRES", matches = "true",
        disabledReason = "backups through Dialtone cover embedded H2 only (PostgreSQL: pg_dump)")
class BackupRestoreTest {

    static final String MAC = "001565777777";

    @TempDir
    Path dir;

    @Test
    void backupTakenUnderLoadRestoresToTheSameConfigs() throws Exception {
        Path original = dir.resolve("original");
        Path restored = dir.resolve("restored");
        Path backup = dir.resolve("backup.zip");
        String password;
        String before;
        try (TestDialtone server = new TestDialtone(original)) {
            AdminClient admin = server.admin();
            String a = admin.createAccount("Acme");
            String user = admin.createUser(a, admin.createLocation(a, "Asia/Kolkata"), "ada", "101").get("id");
            password = admin.createDevice(a, MAC, "yealink-t46s").json().path("provisioning").path("password").asText();
            admin.bind(a, MAC, user);
            HttpsClient phone = server.phone();
            before = phone.getBasic("/" + MAC + ".cfg", MAC, password).body();

            AtomicBoolean serving = new AtomicBoolean(true);
            AtomicInteger served = new AtomicInteger();
            CountDownLatch underLoad = new CountDownLatch(3);
            Thread load = new Thread(() -> {
                while (serving.get()) {
                    try {
                        if (phone.getBasic("/" + MAC + ".cfg", MAC, password).statusCode() == 200) {
                            served.incrementAndGet();
                            underLoad.countDown();
                        }
                        admin.createAccount("Busy " + served.get());
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            load.start();
            assertThat(underLoad.await(30, TimeUnit.SECONDS)).as("three configs served under load").isTrue();
            int exit = run("backup", backup.toString(), "--server", "https://127.0.0.1:" + server.adminPort(),
                    "--token", server.operatorToken(), "--cacert", server.certificate().toString());
            serving.set(false);
            load.join();
            assertThat(exit).isZero();
            Files.createDirectories(restored.resolve("data"));
            Files.copy(server.config().dataDir().resolve("secret.key"), restored.resolve("data/secret.key"));
        }

        Path config = dir.resolve("restored.yaml");
        Files.writeString(config, "data-dir: " + restored.resolve("data") + "\n");
        assertThat(run("restore", backup.toString(), "--config", config.toString())).isZero();

        try (TestDialtone server = new TestDialtone(restored)) {
            String after = server.phone().getBasic("/" + MAC + ".cfg", MAC, password).body();
            assertThat(after).isEqualTo(before).contains("account.1.enable = 1");
        }
    }

    @Test
    void restoreWithAnotherSecretKeyIsRefusedAndChangesNothing() throws Exception {
        Path original = dir.resolve("original");
        Path backup = dir.resolve("backup.zip");
        try (TestDialtone server = new TestDialtone(original)) {
            AdminClient admin = server.admin();
            admin.createDevice(admin.createAccount("Acme"), MAC, "yealink-t46s");
            assertThat(run("backup", backup.toString(), "--server", "https://127.0.0.1:" + server.adminPort(),
                    "--token", server.operatorToken(), "--cacert", server.certificate().toString())).isZero();
        }
        Path other = dir.resolve("other");
        try (TestDialtone server = new TestDialtone(other)) {
            server.admin().createAccount("Keep me");
        }
        Path config = dir.resolve("other.yaml");
        Files.writeString(config, "data-dir: " + other.resolve("data") + "\n");

        assertThat(run("restore", backup.toString(), "--config", config.toString())).isEqualTo(1);
        try (TestDialtone server = new TestDialtone(other)) {
            assertThat(server.admin().get("/accounts").json().path("items").findValuesAsText("name"))
                    .containsExactly("Keep me");
        }
    }

    private static int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        if (exit != 0) {
            System.out.println("dialtone " + String.join(" ", args) + " -> " + exit + ": " + err);
        }
        return exit;
    }
}
