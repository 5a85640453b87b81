package dialtone.directory;

import java.time.OffsetDateTime;

/** An office of an account, with its civic address and time zone. */
public record Location(String id, String accountId, String name, Address address, String timeZone,
                       OffsetDateTime createdAt) {}
