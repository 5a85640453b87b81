package dialtone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.Main;
import dialtone.security.SecretBox;
import dialtone.store.BackupSeal;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.crypto.Mac;
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

    @Test
    void backupIsForItsOwnerOnlyAndItsWorkingCopyStaysInThePrivateDataDirectory() throws Exception {
        Path backup = dir.resolve("backup.zip");
        try (TestDialtone server = new TestDialtone(dir.resolve("original"));
             WatchService watch = dir.getFileSystem().newWatchService()) {
            server.admin().createAccount("Acme");
            Path data = server.config().dataDir();
            data.register(watch, StandardWatchEventKinds.ENTRY_CREATE);

            assertThat(backup(server, backup)).isZero();

            // Events of one folder arrive in order: once our own marker shows, the backup's have shown too.
            Path marker = Files.createTempFile(data, "watch-marker", ".txt");
            List<String> created = new ArrayList<>();
            while (!created.contains(marker.getFileName().toString())) {
                WatchKey key = watch.take();
                key.pollEvents().forEach(e -> created.add(e.context().toString()));
                key.reset();
            }
            Files.delete(marker);
            assertThat(created).as("H2 wrote its copy in a folder of the data directory").anyMatch(n -> n.startsWith("backup-"));
            try (Stream<Path> left = Files.list(data)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("backup-"));
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
        }
    }

    @Test
    void restoreRefusesEntriesThatClimbOutOfTheDataDirectoryAndWritesNothingAnywhere() throws Exception {
        Path target = keptServer();
        Path data = target.resolve("data");
        Path outside = dir.resolve("outside");
        // From the staging folder (data/restore-*/) three levels up is dir: these names aim at dir/outside.
        List<String> names = List.of("dialtone.x/../../../../outside/climbed", "../../../outside/climbed2",
                outside.resolve("absolute").toString(), "dialtone.mv.db", "extra.sql");
        List<BackupSeal.Entry> entries = names.stream()
                .map(n -> new BackupSeal.Entry(n, "CREATE ALIAS X AS 'void x() {}';".getBytes())).toList();

        Path sealed = dir.resolve("sealed.zip");
        Files.write(sealed, BackupSeal.zip(sealKey(data), entries));
        Path unsealed = dir.resolve("unsealed.zip");
        Files.write(unsealed, BackupSeal.zip(sealKey(dir.resolve("stranger")), entries));

        StringWriter err = new StringWriter();
        assertThat(run(err, "restore", unsealed.toString(), "--config", config(target).toString())).isEqualTo(1);
        assertThat(err.toString()).contains("does not carry this data directory's seal");
        err = new StringWriter();
        assertThat(run(err, "restore", sealed.toString(), "--config", config(target).toString())).isEqualTo(1);
        assertThat(err.toString()).contains("must hold exactly one file, dialtone.mv.db")
                .contains("'dialtone.x/../../../../outside/climbed'");

        assertThat(outside).doesNotExist();
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("climbed") || n.equals("absolute"));
        }
        assertNothingChanged(target);
    }

    @Test
    void restoreRunsNoCodeStoredInTheBackupAndRefusesADatabaseThatIsNotOurs() throws Exception {
        Path original = dir.resolve("original");
        Path backup = dir.resolve("backup.zip");
        try (TestDialtone server = new TestDialtone(original)) {
            server.admin().createAccount("Acme");
            assertThat(backup(server, backup)).isZero();
        }
        Path target = keptServer();
        Files.copy(original.resolve("data/secret.key"), target.resolve("data/secret.key"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path ran = dir.resolve("ran");
        String write = "FILE_WRITE(X'6f', '" + ran + "')";
        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("TRIGGER", "CREATE FORCE TRIGGER evil BEFORE INSERT ON account FOR EACH ROW AS 'org.h2.api.Trigger "
                + "create() throws Exception { java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + ran
                + "\"), \"ran\"); return null; }'");
        attacks.put("FUNCTION", "CREATE ALIAS evil AS 'String evil() throws Exception { "
                + "java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + ran + "\"), \"ran\"); return \"\"; }'");
        attacks.put("VIEW", "CREATE VIEW evil AS SELECT " + write + " AS w");
        attacks.put("LINKED", "CREATE FORCE LINKED TABLE evil('org.h2.Driver', 'jdbc:h2:mem:evil;INIT=CALL "
                + write.replace("'", "''") + "', '', '', 'INFORMATION_SCHEMA.USERS')");
        attacks.put("DEFAULT", "ALTER TABLE account ALTER COLUMN name SET DEFAULT " + write);
        attacks.put("history", "UPDATE flyway_schema_history SET checksum = 1 WHERE version = '3'");

        for (Map.Entry<String, String> attack : attacks.entrySet()) {
            Path crafted = craft(backup, attack.getValue(), target.resolve("data"));
            Files.deleteIfExists(ran);
            StringWriter err = new StringWriter();

            int exit = run(err, "restore", crafted.toString(), "--config", config(target).toString());

            assertThat(exit).as(attack.getKey()).isEqualTo(1);
            assertThat(err.toString()).as(attack.getKey()).contains(attack.getKey().equals("history")
                    ? "the backup's migration history is not Dialtone's"
                    : "does not hold Dialtone's schema, so it was not opened");
            assertThat(ran).as(attack.getKey() + " ran").doesNotExist();
            assertNothingChanged(target);
        }
        assertThat(err(attacks, "TRIGGER", target, backup)).contains("TRIGGER CREATE FORCE TRIGGER \"public\".\"evil\"");
        assertThat(run("restore", backup.toString(), "--config", config(target).toString()))
                .as("the untouched backup still restores").isZero();
    }

    private String err(Map<String, String> attacks, String name, Path target, Path backup) throws Exception {
        StringWriter err = new StringWriter();
        run(err, "restore", craft(backup, attacks.get(name), target.resolve("data")).toString(),
                "--config", config(target).toString());
        return err.toString();
    }

    /** The backup's database with one statement run on it, sealed again with the key in {@code data}. */
    private Path craft(Path backup, String sql, Path data) throws Exception {
        Path work = Files.createTempDirectory(dir, "craft");
        try (ZipFile zip = new ZipFile(backup.toFile())) {
            Files.copy(zip.getInputStream(zip.getEntry("dialtone.mv.db")), work.resolve("dialtone.mv.db"));
        }
        String url = "jdbc:h2:file:" + work.resolve("dialtone") + ";DATABASE_TO_LOWER=TRUE";
        try (Connection c = DriverManager.getConnection(url, "dialtone", ""); Statement st = c.createStatement()) {
            st.execute(sql);
            st.execute("SHUTDOWN");
        }
        Path crafted = work.resolve("crafted.zip");
        Files.write(crafted, BackupSeal.zip(sealKey(data), List.of(new BackupSeal.Entry("dialtone.mv.db",
                Files.readAllBytes(work.resolve("dialtone.mv.db"))))));
        return crafted;
    }

    /** A stopped server holding one account, "Keep me". */
    private Path keptServer() throws Exception {
        Path target = dir.resolve("target");
        try (TestDialtone server = new TestDialtone(target)) {
            server.admin().createAccount("Keep me");
        }
        return target;
    }

    private void assertNothingChanged(Path target) throws Exception {
        try (Stream<Path> left = Files.list(target.resolve("data"))) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("restore-") || n.contains("before-restore"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + target.resolve("data/dialtone")
                + ";DATABASE_TO_LOWER=TRUE;IFEXISTS=TRUE", "dialtone", "");
             var rows = c.createStatement().executeQuery("select name from account")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("Keep me");
            assertThat(rows.next()).isFalse();
        }
    }

    private static Mac sealKey(Path data) {
        return SecretBox.loadOrCreate(data.resolve("secret.key")).mac(BackupSeal.PURPOSE);
    }

    private Path config(Path target) throws Exception {
        Path config = dir.resolve(target.getFileName() + ".yaml");
        Files.writeString(config, "data-dir: " + target.resolve("data") + "\n");
        return config;
    }

    private static int backup(TestDialtone server, Path file) throws Exception {
        return run("backup", file.toString(), "--server", "https://127.0.0.1:" + server.adminPort(),
                "--token", server.operatorToken(), "--cacert", server.certificate().toString());
    }

    private static int run(String... args) {
        return run(new StringWriter(), args);
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        if (exit != 0) {
            System.out.println("dialtone " + String.join(" ", args) + " -> " + exit + ": " + err);
        }
        return exit;
    }
}
