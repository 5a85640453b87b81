package dialtone.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorTokenTest {

    @TempDir
    Path dir;

    @Test
    void firstStartWritesTheTokenToAPrivateFileAndLogsOnlyItsPath() throws Exception {
        try (LogCapture logs = new LogCapture(); TestDialtone server = new TestDialtone(dir)) {
            Path file = server.config().dataDir().resolve("operator.token");
            String token = server.operatorToken();

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.config().tls().key())))
                    .isEqualTo("rw-------");
            assertThat(token).startsWith("dtk_").hasSizeGreaterThan(40);
            assertThat(logs.all()).contains(file.toAbsolutePath().toString()).doesNotContain(token);
            assertThat(server.admin().get("/accounts").status()).isEqualTo(200);
            try (var db = java.sql.DriverManager.getConnection(dialtone.store.Database.jdbcUrl(server.config().database().url()), "dialtone", "");
                 var rows = db.createStatement().executeQuery("select token_hash from api_token")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isNotEqualTo(token).doesNotContain(token.substring(4));
            }
        }
    }
}
