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

    /** What a phone sends when it reuses a nonce: the same nonce with its own count (hex, 8 digits). */
    private static HttpDigest.Credentials withCount(String nonce, String nc, String uri, String password) {
        String ha1 = HttpDigest.md5("0015654aa937:dialtone:" + password);
        String ha2 = HttpDigest.md5("GET:" + uri);
        String response = HttpDigest.md5(ha1 + ":" + nonce + ":" + nc + ":c0ffee:auth:" + ha2);
        return HttpDigest.parse("Digest username=\"0015654aa937\", realm=\"dialtone\", nonce=\"" + nonce
                + "\", uri=\"" + uri + "\", qop=auth, nc=" + nc + ", cnonce=\"c0ffee\", response=\"" + response + "\"");
    }

    private static String nonceOf(HttpDigest digest) {
        String challenge = digest.challenges(false)[0];
        int start = challenge.indexOf("nonce=\"") + "nonce=\"".length();
        return challenge.substring(start, challenge.indexOf('"', start));
    }

    @Test
    void aVerifiedAnswerIsAcceptedOnceAndAfterThatOnlyWithAHigherNonceCount() {
        String nonce = nonceOf(digest);
        HttpDigest.Credentials first = withCount(nonce, "00000001", "/0015654aa937.cfg", "secret");
        assertThat(digest.verify(first, "GET", "/0015654aa937.cfg", "secret")).isTrue();

        assertThat(digest.firstUse(first)).isTrue();
        assertThat(digest.firstUse(first)).as("the same request again: a replay").isFalse();
        HttpDigest.Credentials third = withCount(nonce, "00000003", "/0015654aa937.cfg", "secret");
        assertThat(digest.firstUse(third)).isTrue();
        assertThat(digest.firstUse(withCount(nonce, "00000002", "/0015654aa937.cfg", "secret")))
                .as("a lower count after a higher one").isFalse();
        assertThat(digest.firstUse(HttpDigest.parse("Digest username=\"0015654aa937\", nonce=\"" + nonce
                + "\", qop=auth, nc=zz, response=\"0\""))).as("a count that is not hex").isFalse();
    }

    @Test
    void withoutQopThereIsNoCountSoANonceServesOneRequest() {
        String nonce = nonceOf(digest);
        HttpDigest.Credentials noQop = HttpDigest.parse("Digest username=\"0015654aa937\", realm=\"dialtone\", "
                + "nonce=\"" + nonce + "\", uri=\"/x\", response=\"" + HttpDigest.md5(HttpDigest.md5(
                "0015654aa937:dialtone:secret") + ":" + nonce + ":" + HttpDigest.md5("GET:/x")) + "\"");
        assertThat(digest.verify(noQop, "GET", "/x", "secret")).isTrue();

        assertThat(digest.firstUse(noQop)).isTrue();
        assertThat(digest.firstUse(noQop)).isFalse();
    }

    @Test
    void whenTrackingIsFullTheNoncesItForgotAreRefusedRatherThanReplayable() {
        HttpDigest small = new HttpDigest("dialtone", now::get, 2);
        String a = nonceOf(small);
        now.incrementAndGet();
        String b = nonceOf(small);
        now.incrementAndGet();
        String c = nonceOf(small);
        assertThat(small.firstUse(withCount(a, "00000001", "/x", "s"))).isTrue();
        assertThat(small.firstUse(withCount(b, "00000001", "/x", "s"))).isTrue();
        assertThat(small.firstUse(withCount(c, "00000001", "/x", "s"))).isTrue();

        assertThat(small.firstUse(withCount(a, "00000001", "/x", "s"))).as("forgotten, so never again").isFalse();
        assertThat(small.firstUse(withCount(a, "00000009", "/x", "s"))).isFalse();
        assertThat(small.firstUse(withCount(b, "00000002", "/x", "s"))).as("still tracked").isTrue();
        assertThat(small.firstUse(withCount(b, "00000002", "/x", "s"))).isFalse();
    }

    @Test
    void trackedNoncesAreForgottenOnceExpiredSoMemoryStaysBounded() {
        NonceCounts counts = new NonceCounts(1000, 5 * 60 * 1000);
        for (int i = 0; i < 500; i++) {
            counts.advance("n" + i, 0, 1, 0);
        }
        assertThat(counts.size()).isEqualTo(500);
        counts.advance("later", 6 * 60 * 1000, 1, 6 * 60 * 1000);
        assertThat(counts.size()).isOne();
        for (int i = 0; i < 5000; i++) {
            counts.advance("m" + i, 6 * 60 * 1000 + i, 1, 6 * 60 * 1000 + i);
        }
        assertThat(counts.size()).isEqualTo(1000);
    }
}
