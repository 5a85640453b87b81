package dialtone.directory;

import java.util.Set;

/**
 * User fields as sent by a client. {@code present} names the fields the request carried, so a PATCH
 * changes exactly those (a present field with a null value clears it).
 */
public record UserInput(Set<String> present, String firstName, String lastName, String username, String email,
                        Boolean emailVoicemails, String phoneNumber, String extension, String unreachableForward,
                        String locationId, String timeZone, Boolean authorizedUser, String pin,
                        Boolean sendWelcomeEmail, Boolean enabled, String noAnswerForward, Integer noAnswerSeconds) {

    public static final Set<String> FIELDS = Set.of("firstName", "lastName", "username", "email", "emailVoicemails",
            "phoneNumber", "extension", "unreachableForward", "locationId", "timeZone", "authorizedUser", "pin",
            "sendWelcomeEmail", "enabled", "noAnswerForward", "noAnswerSeconds");

    /** How long a phone rings before a no-answer forward when the user set none. */
    public static final int DEFAULT_NO_ANSWER_SECONDS = 20;

    /** Input without the SIP directory's fields (enabled, no-answer forward). */
    public UserInput(Set<String> present, String firstName, String lastName, String username, String email,
                     Boolean emailVoicemails, String phoneNumber, String extension, String unreachableForward,
                     String locationId, String timeZone, Boolean authorizedUser, String pin, Boolean sendWelcomeEmail) {
        this(present, firstName, lastName, username, email, emailVoicemails, phoneNumber, extension, unreachableForward,
                locationId, timeZone, authorizedUser, pin, sendWelcomeEmail, null, null, null);
    }

    public boolean has(String field) {
        return present.contains(field);
    }

    @Override
    public String toString() {
        return "UserInput[username=" + username + ", fields=" + present + "]";
    }
}
