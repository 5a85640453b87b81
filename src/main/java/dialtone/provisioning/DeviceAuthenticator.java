package dialtone.provisioning;

import dialtone.core.Mac;
import dialtone.security.HttpDigest;
import dialtone.security.SecretBox;
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
    private final SecretBox secrets;
    private final String decoySealed;

    DeviceAuthenticator(HttpDigest digest, SecretBox secrets) {
        this.digest = digest;
        this.secrets = secrets;
        this.decoySealed = secrets.seal(Secrets.random(32));
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
    Match check(Request request, HttpDigest.Credentials credentials, PhoneRecord device) {
        boolean known = device != null;
        String sealed = known ? device.provisioningPasswordSealed() : decoySealed;
        String nextSealed = known && device.provisioningPasswordNextSealed() != null
                ? device.provisioningPasswordNextSealed() : decoySealed;
        String expectedUser = known ? device.provisioningUsername() : "";
        // The username is the MAC: typed from the label it may come in capitals or with separators.
        String username = Mac.normalise(credentials.username()).orElse(credentials.username());
        boolean userMatches = Secrets.constantTimeEquals(username, expectedUser);
        boolean current = digest.verify(credentials, request.method(), request.uri(), secrets.open(sealed));
        boolean next = digest.verify(credentials, request.method(), request.uri(), secrets.open(nextSealed));
        if (!known || !userMatches) {
            return Match.NONE;
        }
        if (current) {
            return Match.CURRENT;
        }
        return next && device.provisioningPasswordNextSealed() != null ? Match.NEXT : Match.NONE;
    }
}
