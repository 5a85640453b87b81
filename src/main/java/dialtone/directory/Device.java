package dialtone.directory;

import java.time.OffsetDateTime;

/** A phone known by its MAC; {@code userId} is null while unbound. */
public record Device(String id, String accountId, String mac, String family, String model, String label,
                     String userId, String provisioningUsername, String status, String replacedBy,
                     String sipContact, LastSeen lastSeen, OffsetDateTime createdAt) {

    /** A device that may be provisioned; a replaced handset is {@link #RETIRED} until reactivated. */
    public static final String ACTIVE = "active";
    public static final String RETIRED = "retired";

    /** What the device last told us about itself when it fetched a file (model and firmware: its User-Agent's claims). */
    public record LastSeen(OffsetDateTime at, String address, String userAgent, String model, String firmware,
                           String file, String etag, String baseUrl) {}
}
