package dialtone.provisioning;

import dialtone.directory.AccountPolicy;
import dialtone.security.DeviceCertificateVerifier;
import dialtone.security.HttpDigest;
import dialtone.server.Request;
import java.time.Instant;

/**
 * Whether a request proves it is the device it names, under the device's account policy: a vendor
 * certificate for that MAC, or Digest/Basic with the device's credentials. The same work is done for
 * an unknown MAC, and every failure carries only a reason for the log, never a different answer.
 */
final class DeviceProof {

    /**
     * @param reason why not proven (for the log line), or the proof used
     * @param attempted whether the client offered any proof (a plain first request is only a challenge)
     * @param usedNext whether the device used its next provisioning password
     */
    record Result(boolean proven, String reason, boolean attempted, boolean usedNext) {
        static Result failed(String reason, boolean attempted) {
            return new Result(false, reason, attempted, false);
        }
    }

    /** The reason for a request whose Digest nonce had merely expired. */
    static final String STALE_NONCE = "stale-nonce";
    /** The reason for a request that repeats a nonce count already accepted: a replay, or a client's resend. */
    static final String REPLAYED_NONCE = "replayed-nonce";

    /** Whether the answer to this failure is a fresh nonce marked stale, so an honest client simply retries. */
    static boolean wantsFreshNonce(String reason) {
        return STALE_NONCE.equals(reason) || REPLAYED_NONCE.equals(reason);
    }

    private final DeviceAuthenticator authenticator;
    private final DeviceCertificateVerifier certificates;

    DeviceProof(DeviceAuthenticator authenticator, DeviceCertificateVerifier certificates) {
        this.authenticator = authenticator;
        this.certificates = certificates;
    }

    /** Judges the request for {@code mac}; {@code device} null means unknown (or not served at this path). */
    Result check(Request request, String mac, ProvisioningPasswords device, AccountPolicy policy) {
        return check(request, mac, device, policy, false);
    }

    /**
     * As {@link #check}, but proven only by the device's current password or certificate; any other outcome
     * (a failure, or the next password) is a failure that leaves the Digest nonce count unspent, so that the
     * same request can be judged again by {@link #check}.
     */
    Result checkCurrent(Request request, String mac, ProvisioningPasswords device, AccountPolicy policy) {
        return check(request, mac, device, policy, true);
    }

    private Result check(Request request, String mac, ProvisioningPasswords device, AccountPolicy policy,
                         boolean currentOnly) {
        AccountPolicy rules = policy == null ? AccountPolicy.DEFAULT : policy;
        DeviceCertificateVerifier.Verdict certificate = request.peerCertificates().isEmpty() ? null
                : certificates.verify(request.peerCertificates(), Instant.now());
        HttpDigest.Credentials credentials = HttpDigest.parse(request.header("Authorization"));
        DeviceAuthenticator.Match match = credentials == null ? DeviceAuthenticator.Match.NONE
                : authenticator.check(request, credentials, device);
        boolean attempted = certificate != null || credentials != null;
        if (credentials != null && authenticator.stale(credentials)) {
            // Only an expired nonce, whatever the MAC: answered as a fresh challenge (stale=true), not a failure.
            return Result.failed(STALE_NONCE, false);
        }
        if (device == null) {
            return Result.failed(attempted ? "unknown-mac" : "no-credentials", attempted);
        }
        if (!rules.allowsSource(request.clientAddress())) {
            return Result.failed("source-not-allowed", true);
        }
        String certificateReason = null;
        if (certificate != null) {
            if (!certificate.proven()) {
                certificateReason = certificate.reason();
            } else if (!certificate.mac().equals(mac)) {
                certificateReason = "certificate-other-mac";
            } else if (!rules.accepts(AccountPolicy.CERTIFICATE)) {
                certificateReason = "certificate-not-accepted";
            } else {
                return new Result(true, "certificate", true, false);
            }
        }
        if (credentials == null) {
            return certificateReason == null ? Result.failed("no-credentials", false)
                    : Result.failed(certificateReason, true);
        }
        String scheme = credentials.scheme();
        if (!rules.accepts(scheme) || (scheme.equals(AccountPolicy.BASIC) && !request.secure())) {
            return Result.failed(scheme + "-not-accepted", true);
        }
        if (match == DeviceAuthenticator.Match.NONE) {
            return Result.failed("bad-credentials", true);
        }
        if (currentOnly && match != DeviceAuthenticator.Match.CURRENT) {
            return Result.failed("next-password", false);
        }
        if (!authenticator.firstUse(credentials)) {
            // Right credentials, used before: challenged again, like an expired nonce, and proves nothing.
            return Result.failed(REPLAYED_NONCE, false);
        }
        return new Result(true, scheme, true, match == DeviceAuthenticator.Match.NEXT);
    }
}
