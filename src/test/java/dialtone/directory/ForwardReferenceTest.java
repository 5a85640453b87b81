package dialtone.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.core.Problem;
import dialtone.testing.MemoryDirectory;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An "unreachable" forward to an extension keeps meaning that user: the extension cannot move away under it. */
class ForwardReferenceTest {

    MemoryDirectory memory;
    UserService users;
    String account;
    String target;
    String forwarder;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        memory = new MemoryDirectory(dir);
        users = memory.directory().users();
        String[] acme = memory.accountWithLocation("Acme");
        account = acme[0];
        target = memory.user(account, acme[1], "Grace", "Hopper", "grace", "101");
        forwarder = memory.user(account, acme[1], "Ada", "Lovelace", "ada", "102");
        users.update("test", account, forwarder, only("unreachableForward", "101"));
    }

    @AfterEach
    void stop() {
        memory.close();
    }

    private static UserInput only(String field, String value) {
        return new UserInput(Set.of(field), null, null, null, null, null, null,
                field.equals("extension") ? value : null, field.equals("unreachableForward") ? value : null,
                null, null, null, null, null);
    }

    @Test
    void anExtensionSomeoneForwardsToCannotChangeAndTheAnswerNamesWho() {
        assertThatThrownBy(() -> users.update("test", account, target, only("extension", "199")))
                .isInstanceOfSatisfying(Problem.class, p -> {
                    assertThat(p.kind()).isEqualTo(Problem.Kind.CONFLICT);
                    assertThat(p.errors()).extracting("field").containsExactly("extension");
                    assertThat(p.getMessage()).contains("ada").contains("101");
                });
        assertThat(users.find(account, target).orElseThrow().extension()).isEqualTo("101");
    }

    @Test
    void aUserSomeoneForwardsToCannotBeDeleted() {
        assertThatThrownBy(() -> users.delete("test", account, target)).isInstanceOf(Problem.class);
        assertThat(users.find(account, target)).isPresent();
    }

    @Test
    void onceTheForwardMovesTheExtensionMayChange() {
        users.update("test", account, forwarder, only("unreachableForward", "+14155550199"));
        assertThat(users.update("test", account, target, only("extension", "199")).extension()).isEqualTo("199");
    }
}
