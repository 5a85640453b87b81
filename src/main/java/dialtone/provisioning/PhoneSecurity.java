package dialtone.provisioning;

import dialtone.directory.AccountPolicyService;
import dialtone.security.DeviceCertificateVerifier;

/**
 * What the phone side needs for its defences: the failure throttle, the vendor device-certificate
 * checks and the accounts' proof policies. One parameter so the handler's wiring stays simple.
 */
public record PhoneSecurity(FailureThrottle throttle, DeviceCertificateVerifier certificates,
                            AccountPolicyService policies) {}
