package dialtone.directory;

import java.time.OffsetDateTime;

/** A tenant: a customer of the hosted PBX; {@code autoResync}: phones are notified after any change to their files. */
public record Account(String id, String name, boolean autoResync, OffsetDateTime createdAt) {}
