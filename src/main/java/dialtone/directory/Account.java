package dialtone.directory;

import java.time.OffsetDateTime;

/** A tenant: a customer of the hosted PBX. */
public record Account(String id, String name, OffsetDateTime createdAt) {}
