package dialtone.directory;

/** Where a queued e-mail stands: {@code pending}, {@code sent} or {@code failed}, with the last error. */
public record EmailStatus(String status, int attempts, String lastError) {

    public static final String PENDING = "pending";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    /** An older welcome e-mail replaced by a fresh one before it went out; never shown. */
    static final String SUPERSEDED = "superseded";
}
