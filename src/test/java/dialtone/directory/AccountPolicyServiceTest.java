package dialtone.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dialtone.core.Problem;
import dialtone.testing.MemoryDirectory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An account's proof policy on an in-memory database: validated as a whole, stored, read back, applied. */
class AccountPolicyServiceTest {

    MemoryDirectory memory;
    AccountPolicyService policies;
    String accountId;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        memory = new MemoryDirectory(dir);
        policies = memory.directory().policies();
        accountId = memory.directory().accounts().create("test", "Acme").id();
    }

    @AfterEach
    void close() {
        memory.close();
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void anAccountWithoutAPolicyHasTheDefault() {
        assertThat(policies.get(accountId)).isEqualTo(AccountPolicy.DEFAULT);
        assertThat(policies.get("")).isEqualTo(AccountPolicy.DEFAULT);
    }

    @Test
    void aStoredPolicyIsReadBackAndItsBlocksDecideTheSource() throws Exception {
        policies.replace("test", accountId, List.of("digest"), List.of(" 10.1.0.0/16", "2001:db8::/32", "192.0.2.7"),
                true);

        AccountPolicy read = policies.get(accountId);

        assertThat(read.proofs()).isEqualTo(Set.of("digest"));
        assertThat(read.allowedSources()).containsExactly("10.1.0.0/16", "2001:db8::/32", "192.0.2.7");
        assertThat(read.plainHttp()).isTrue();
        assertThat(read.allowsSource(ip("10.1.200.3"))).isTrue();
        assertThat(read.allowsSource(ip("2001:db8:5::1"))).isTrue();
        assertThat(read.allowsSource(ip("192.0.2.7"))).isTrue();
        assertThat(read.allowsSource(ip("192.0.2.8"))).isFalse();
        assertThat(read.allowsSource(ip("10.2.0.1"))).isFalse();
        assertThat(read.accepts("digest")).isTrue();
        assertThat(read.accepts("basic")).isFalse();
    }

    @Test
    void badBlocksAndProofsAreRefusedTogetherAndChangeNothing() {
        policies.replace("test", accountId, List.of("certificate"), List.of("10.0.0.0/8"), false);

        Problem refused = catchThrowableOfType(Problem.class, () -> policies.replace("test", accountId,
                List.of("magic"), List.of("10.0.0.0/33", "not-an-address"), true));

        assertThat(refused.kind()).isEqualTo(Problem.Kind.INVALID);
        assertThat(refused.errors()).extracting(e -> e.field())
                .containsExactlyInAnyOrder("proofs", "allowedSources", "allowedSources");
        assertThat(policies.get(accountId)).isEqualTo(new AccountPolicy(Set.of("certificate"), List.of("10.0.0.0/8"), false));
    }

    @Test
    void noAllowedSourcesMeansAnywhere() throws Exception {
        policies.replace("test", accountId, null, List.of(), null);

        AccountPolicy read = policies.get(accountId);

        assertThat(read.allowsSource(ip("198.51.100.1"))).isTrue();
        assertThat(read.proofs()).isEqualTo(AccountPolicy.ALL_PROOFS);
        assertThat(read.plainHttp()).isFalse();
    }
}
