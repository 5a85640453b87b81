package dialtone.provisioning;

/**
 * A device's provisioning credentials, opened: its user name, its current password and the next one
 * ({@code null} when none is pending). Kept only in memory, never logged.
 */
record ProvisioningPasswords(String username, String current, String next) {

    @Override
    public String toString() {
        return "ProvisioningPasswords[username=" + username + ", passwords hidden]";
    }
}
