package dialtone.pbx;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a registrar needs to know of one user: digest hashes for the realm (never the password unless the operator
 * allowed it), numbers, name and where calls go when the phone is offline or does not answer.
 *
 * @param ha1 MD5(username:realm:password)
 * @param ha1b MD5(username@domain:realm:password), as Kamailio's {@code subscriber} table holds it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Subscriber(boolean found, String username, String domain, String realm, String ha1, String ha1b,
                  String password, String extension, String number, String displayName, Boolean enabled,
                  Forward unreachableForward, Forward noAnswerForward) {

    /** The one negative answer: unknown, disabled, another account's, or in a disabled account, all alike. */
    static final Subscriber NOT_FOUND = new Subscriber(false, null, null, null, null, null, null, null, null, null,
            null, null, null);

    /**
     * A forward target: an E.164 {@code number} (for the gateway) or an {@code extension} of the same account, with
     * that user's SIP {@code username} when it exists and is enabled; {@code seconds} of ringing for no-answer.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Forward(String target, String type, String username, Integer seconds) {}
}
