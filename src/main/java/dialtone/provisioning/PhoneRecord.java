package dialtone.provisioning;

import dialtone.directory.AccountSip;

/**
 * What the phone side needs to know about a device: the device, the bound user (or null), the
 * location's time zone, the custom template variables (JSON), the account's own SIP settings and the
 * still-sealed secrets, opened only once the device has proven itself.
 */
record PhoneRecord(String mac, String accountId, String family, String model, String label,
                   String provisioningUsername, String provisioningPasswordSealed,
                   String provisioningPasswordNextSealed, BoundUser user, String accountVars, String deviceVars,
                   AccountSip accountSip, boolean accountEnabled) {

    /** A device of an enabled account without SIP settings of its own. */
    PhoneRecord(String mac, String accountId, String family, String model, String label, String provisioningUsername,
                String provisioningPasswordSealed, String provisioningPasswordNextSealed, BoundUser user,
                String accountVars, String deviceVars) {
        this(mac, accountId, family, model, label, provisioningUsername, provisioningPasswordSealed,
                provisioningPasswordNextSealed, user, accountVars, deviceVars, AccountSip.NONE, true);
    }

    record BoundUser(String id, String locationId, String firstName, String lastName, String username, String email, boolean emailVoicemails,
                     String phoneNumber, String extension, String unreachableForward, String timeZone,
                     boolean authorizedUser, String sipUsername, String sipPasswordSealed, boolean customGreeting,
                     boolean enabled, String noAnswerForward, Integer noAnswerSeconds) {

        /** An enabled user without a no-answer forward of its own. */
        BoundUser(String id, String locationId, String firstName, String lastName, String username, String email,
                  boolean emailVoicemails, String phoneNumber, String extension, String unreachableForward, String timeZone,
                  boolean authorizedUser, String sipUsername, String sipPasswordSealed, boolean customGreeting) {
            this(id, locationId, firstName, lastName, username, email, emailVoicemails, phoneNumber, extension, unreachableForward,
                    timeZone, authorizedUser, sipUsername, sipPasswordSealed, customGreeting, true, null, null);
        }
    }
}
