package dialtone.directory;

import java.time.OffsetDateTime;

/**
 * A tenant: a customer of the hosted PBX. {@code autoResync}: phones are notified after any change to their files;
 * a disabled account's users are unknown to the SIP server and their phones get a disabled line.
 */
public record Account(String id, String name, boolean autoResync, boolean enabled, AccountSip sip,
                      OffsetDateTime createdAt) {}
