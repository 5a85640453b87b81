package dialtone.provisioning;

import dialtone.core.Mac;
import dialtone.security.HttpDigest;
import dialtone.security.Secrets;
import dialtone.server.Request;

/**
 * Decides whether a request proves it comes from the device whose MAC it names: HTTP Digest or Basic
 * with that device's provisioning credentials, current or next. An unknown device costs the same work
 * as a known one, so the answer's timing tells nothing about which MACs exist.
 */
final class DeviceAuthenticator {

    /** Which of the device's passwords the credentials matched. */
    enum Match { NONE, CURRENT, NEXT }

    private final HttpDigest digest;
    private final ProvisioningPasswords decoy = new ProvisioningPasswords("", Secrets.random(32), Secrets.random(32));

    DeviceAuthenticator(HttpDigest digest) {
        this.digest = digest;
    }

    /** Whether the credentials only failed because their Digest nonce expired. */
    boolean stale(HttpDigest.Credentials credentials) {
        return digest.isStale(credentials);
    }

    /** Whether verified credentials carry a nonce count not seen before (see {@link HttpDigest#firstUse}). */
    boolean firstUse(HttpDigest.Credentials credentials) {
        return digest.firstUse(credentials);
    }

    /** Which of the device's passwords the credentials prove; {@code device} null means no such device. */
    Match check(Request request, HttpDigest.Credentials credentials, ProvisioningPasswords device) {
        boolean known = device != null;
        ProvisioningPasswords expected = known ? device : decoy;
        // The username is the MAC: typed from the label it may come in capitals or with separators.
        String username = Mac.normalise(credentials.username()).orElse(credentials.username());
        boolean userMatches = Secrets.constantTimeEquals(username, expected.username());
        boolean current = digest.verify(credentials, request.method(), request.uri(), expected.current());
        boolean next = digest.verify(credentials, request.method(), request.uri(),
                expected.next() != null ? expected.next() : decoy.next());
        if (!known || !userMatches) {
            return Match.NONE;
        }
        if (current) {
            return Match.CURRENT;
        }
        return next && expected.next() != null ? Match.NEXT : Match.NONE;
    }
}
