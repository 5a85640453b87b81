package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.HttpsClient;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HttpDigestTest {

    final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    final HttpDigest digest = new HttpDigest("dialtone", now::get);

    private HttpDigest.Credentials answer(String password, String uri) {
        String header = HttpsClient.digestAuthorization(digest.challenges(false)[0], "GET", uri, "0015654aa937", password);
        return HttpDigest.parse(header);
    }

    @Test
    void aFreshAnswerForThisTargetVerifies() {
        HttpDigest.Credentials credentials = answer("secret", "/0015654aa937.cfg");

        assertThat(digest.verify(credentials, "GET", "/0015654aa937.cfg", "secret")).isTrue();
        assertThat(digest.verify(credentials, "GET", "/0015654aa937.cfg", "other")).isFalse();
        assertThat(digest.verify(credentials, "GET", "/0015654aa938.cfg", "secret")).isFalse();
        assertThat(digest.isStale(credentials)).isFalse();
    }

    @Test
    void anExpiredNonceIsStaleNotWrongAndTheNextChallengeSaysSo() {
        HttpDigest.Credentials credentials = answer("secret", "/0015654aa937.cfg");
        now.addAndGet(6 * 60 * 1000);

        assertThat(digest.verify(credentials, "GET", "/0015654aa937.cfg", "secret")).isFalse();
        assertThat(digest.isStale(credentials)).isTrue();
        assertThat(digest.challenges(true)[0]).endsWith(", stale=true");
        assertThat(digest.challenges(false)[0]).doesNotContain("stale");
    }

    @Test
    void aNonceWeDidNotSignIsNeverStale() {
        HttpDigest.Credentials forged = HttpDigest.parse("Digest username=\"x\", realm=\"dialtone\", "
                + "nonce=\"1.aa.forged\", uri=\"/x\", response=\"00\", qop=auth, nc=00000001, cnonce=\"c\"");

        assertThat(digest.isStale(forged)).isFalse();
    }
}
