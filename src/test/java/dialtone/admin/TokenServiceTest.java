package dialtone.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.MemoryDirectory;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token lifetimes: an expired token opens nothing; revoking a token revokes every token minted through it. */
class TokenServiceTest {

    MemoryDirectory memory;
    TokenService tokens;
    String account;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        memory = new MemoryDirectory(dir);
        tokens = new TokenService(memory.db());
        account = memory.accountWithLocation("Acme")[0];
    }

    @AfterEach
    void stop() {
        memory.close();
    }

    private String idOf(String token) {
        return tokens.findByToken(token).id();
    }

    private boolean works(String token) {
        return tokens.authenticate("Bearer " + token).isPresent();
    }

    @Test
    void aTokenWorksUntilItExpires() {
        String later = tokens.issue("test", null, Caller.Role.ADMIN, account, "later", OffsetDateTime.now().plusHours(1));
        String past = tokens.issue("test", null, Caller.Role.ADMIN, account, "past", OffsetDateTime.now().minusMinutes(1));
        assertThat(works(later)).isTrue();
        assertThat(works(past)).isFalse();
        assertThat(tokens.findByToken(later).expiresAt()).isNotNull();
    }

    @Test
    void revokingATokenRevokesWhatItMintedAndWhatThoseMinted() {
        String operator = tokens.issue("test", null, Caller.Role.OPERATOR, null, "ops", null);
        String admin = tokens.issue("test", idOf(operator), Caller.Role.ADMIN, account, "admin", null);
        String technician = tokens.issue("test", idOf(admin), Caller.Role.TECHNICIAN, account, "van", null);
        String otherAdmin = tokens.issue("test", idOf(operator), Caller.Role.ADMIN, account, "other", null);

        assertThat(tokens.revoke("test", null, idOf(admin))).isTrue();

        assertThat(works(admin)).isFalse();
        assertThat(works(technician)).isFalse();
        assertThat(works(operator)).isTrue();
        assertThat(works(otherAdmin)).isTrue();
        assertThat(tokens.findByToken(technician).revoked()).isTrue();
    }

    @Test
    void aTokenOfAnotherAccountIsNotRevoked() {
        String other = memory.accountWithLocation("Other")[0];
        String token = tokens.issue("test", null, Caller.Role.ADMIN, other, "theirs", null);
        assertThat(tokens.revoke("test", account, idOf(token))).isFalse();
        assertThat(works(token)).isTrue();
    }
}
