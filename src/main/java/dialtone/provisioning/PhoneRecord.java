package dialtone.provisioning;

/**
 * What the phone side needs to know about a device: the device, the bound user (or null), the
 * location's time zone, the custom template variables (JSON) and the still-sealed secrets, opened only
 * once the device has proven itself.
 */
record PhoneRecord(String mac, String accountId, String family, String model, String label,
                   String provisioningUsername, String provisioningPasswordSealed,
                   String provisioningPasswordNextSealed, BoundUser user, String accountVars, String deviceVars) {

    record BoundUser(String id, String locationId, String firstName, String lastName, String username, String email, boolean emailVoicemails,
                     String phoneNumber, String extension, String unreachableForward, String timeZone,
                     boolean authorizedUser, String sipUsername, String sipPasswordSealed, boolean customGreeting) {}
}
