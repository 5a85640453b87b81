package dialtone.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.core.Problem;
import dialtone.testing.MemoryDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The user list: sorted by name, searchable, paged with a cursor that survives equal names. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserListTest {

    MemoryDirectory memory;
    UserService users;
    String account;

    @BeforeAll
    void seed(@TempDir Path dir) throws Exception {
        memory = new MemoryDirectory(dir);
        users = memory.directory().users();
        String[] acme = memory.accountWithLocation("Acme");
        account = acme[0];
        memory.user(account, acme[1], "Grace", "Hopper", "grace", "103");
        memory.user(account, acme[1], "Ada", "Lovelace", "ada", "101");
        memory.user(account, acme[1], "alan", "turing", "alan", "102");
        memory.user(account, acme[1], "Ada", "Byron", "ada.byron", "104");
        String[] other = memory.accountWithLocation("Other");
        memory.user(other[0], other[1], "Ada", "Other", "ada.other", "101");
    }

    @AfterAll
    void stop() {
        memory.close();
    }

    private static List<String> usernames(Page<User> page) {
        return page.items().stream().map(User::username).toList();
    }

    @Test
    void listIsSortedByLastThenFirstNameIgnoringCase() {
        assertThat(usernames(users.list(account, null, null, 50))).containsExactly("ada.byron", "grace", "ada", "alan");
    }

    @Test
    void searchMatchesNamesUsernameExtensionAndEmailWithinTheAccountOnly() {
        assertThat(usernames(users.list(account, "ada", null, 50))).containsExactly("ada.byron", "ada");
        assertThat(usernames(users.list(account, "ADA LOVE", null, 50))).containsExactly("ada");
        assertThat(usernames(users.list(account, "103", null, 50))).containsExactly("grace");
        assertThat(usernames(users.list(account, "alan@example", null, 50))).containsExactly("alan");
        assertThat(usernames(users.list(account, "%", null, 50))).isEmpty();
    }

    @Test
    void pagesFollowTheNameOrderToTheEnd() {
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            Page<User> page = users.list(account, null, after, 1);
            seen.addAll(usernames(page));
            after = page.next();
        } while (after != null);
        assertThat(seen).containsExactly("ada.byron", "grace", "ada", "alan");
    }

    @Test
    void aCursorThatWasNotReturnedIsRefusedNamingAfter() {
        assertThatThrownBy(() -> users.list(account, null, "not-a-cursor!", 10)).isInstanceOfSatisfying(Problem.class,
                p -> assertThat(p.errors()).extracting("field").containsExactly("after"));
    }
}
