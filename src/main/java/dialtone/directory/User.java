package dialtone.directory;

import java.time.OffsetDateTime;

/** A user as the API shows it: never a PIN, password or hash. */
public record User(String id, String accountId, String firstName, String lastName, String username, String email,
                   boolean emailVoicemails, String phoneNumber, String extension, String unreachableForward,
                   String locationId, String timeZone, boolean authorizedUser, String sipUsername, boolean enabled,
                   String noAnswerForward, Integer noAnswerSeconds, OffsetDateTime createdAt,
                   OffsetDateTime updatedAt) {

    public String displayName() {
        return (firstName + " " + lastName).trim();
    }
}
