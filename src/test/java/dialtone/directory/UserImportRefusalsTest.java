package dialtone.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.MemoryDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows an import would refuse on insert are refused before any Argon2 work is spent on them. */
class UserImportRefusalsTest {

    MemoryDirectory memory;
    String account;
    String location;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        memory = new MemoryDirectory(dir);
        String[] acme = memory.accountWithLocation("Acme");
        account = acme[0];
        location = acme[1];
        memory.user(account, location, "Grace", "Hopper", "grace", "101");
        String[] other = memory.accountWithLocation("Other");
        memory.user(other[0], other[1], "Alan", "Turing", "alan", "101");
    }

    @AfterEach
    void stop() {
        memory.close();
    }

    private ImportRow row(int line, String username, String extension) {
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("firstName", "First");
        cells.put("lastName", "Last");
        cells.put("username", username);
        cells.put("email", username + "@example.com");
        cells.put("extension", extension);
        cells.put("locationId", location);
        cells.put("authorizedUser", "true");
        cells.put("pin", "8642");
        return new ImportRow(line, cells, List.of());
    }

    @Test
    void conflictingRowsFailWithTheInsertsWordsAndCostNoHashing() {
        UserBulk.Report report = memory.directory().userBulk().importRows("test", account, List.of(
                row(2, "alan", "201"), row(3, "newcomer", "101"), row(4, "twin", "202"), row(5, "twin", "203"),
                row(6, "other", "202")));
        assertThat(report.rows()).extracting(UserBulk.RowResult::status)
                .containsExactly("failed", "failed", "created", "failed", "failed");
        assertThat(report.rows().get(0).errors()).extracting("reason").containsExactly(UserService.USERNAME_TAKEN);
        assertThat(report.rows().get(1).errors()).extracting("reason").containsExactly(UserService.EXTENSION_USED);
        assertThat(report.created()).isEqualTo(1);
    }
}
