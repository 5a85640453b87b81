package dialtone.directory;

/** A new user and the SIP credentials generated for it, which no later response repeats. */
public record CreatedUser(User user, Credentials sip) {}
