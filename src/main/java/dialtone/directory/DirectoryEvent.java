package dialtone.directory;

/**
 * Something in the directory changed and was committed. Faces subscribe through {@link Changes} (the phone
 * side re-renders and resyncs, deletes a deleted device's uploads; mail wakes its sender); they never learn of
 * a change that rolled back.
 */
public sealed interface DirectoryEvent {

    /** The account the change belongs to. */
    String accountId();

    /** The account itself, its variables or its phone security policy. */
    record AccountChanged(String accountId) implements DirectoryEvent {}

    record LocationChanged(String accountId, String locationId) implements DirectoryEvent {}

    /** A user's data, credentials, E911 address or greeting. */
    record UserChanged(String accountId, String userId) implements DirectoryEvent {}

    /** A user was deleted (its devices were unbound in the same transaction). */
    record UserDeleted(String accountId, String userId) implements DirectoryEvent {}

    /** A device was created, bound, unbound, replaced, re-keyed or given new variables. */
    record DeviceChanged(String accountId, String mac) implements DirectoryEvent {}

    record DeviceDeleted(String accountId, String mac) implements DirectoryEvent {}

    /** A welcome e-mail is waiting in the outbox. */
    record WelcomeEmailQueued(String accountId, String userId) implements DirectoryEvent {}

    /** Another e-mail for a user (a password-reset link) is waiting in the outbox. */
    record MailQueued(String accountId, String userId) implements DirectoryEvent {}
}
