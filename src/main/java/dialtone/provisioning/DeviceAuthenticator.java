package dialtone.provisioning;

import dialtone.security.HttpDigest;
import dialtone.security.SecretBox;
import dialtone.security.Secrets;
import dialtone.server.Request;

/**
 * Decides whether a request proves it comes from the device whose MAC it names: HTTP Digest or Basic
 * with that device's provisioning credentials. An unknown device costs the same work as a known one,
 * so the answer's timing tells nothing about which MACs exist.
 */
final class DeviceAuthenticator {

    private final HttpDigest digest;
    private final SecretBox secrets;
    private final String decoySealed;

    DeviceAuthenticator(HttpDigest digest, SecretBox secrets) {
        this.digest = digest;
        this.secrets = secrets;
        this.decoySealed = secrets.seal(Secrets.random(32));
    }

    /** Whether the request's credentials are the device's; {@code device} null means no such device. */
    boolean proves(Request request, HttpDigest.Credentials credentials, PhoneRecord device) {
        boolean known = device != null;
        String sealed = known ? device.provisioningPasswordSealed() : decoySealed;
        String expectedUser = known ? device.provisioningUsername() : "";
        String password = secrets.open(sealed);
        boolean userMatches = Secrets.constantTimeEquals(credentials.username(), expectedUser);
        boolean passwordMatches = digest.verify(credentials, request.method(), request.uri(), password);
        return known && userMatches && passwordMatches;
    }
}
