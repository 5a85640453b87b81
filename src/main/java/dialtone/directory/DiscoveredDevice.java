package dialtone.directory;

import java.time.OffsetDateTime;

/**
 * A phone that asked for its own file under a MAC no account owns. Everything but the MAC is what the
 * request claimed (family from the path and User-Agent, model and firmware from the User-Agent).
 */
public record DiscoveredDevice(String mac, String family, String model, String userAgentModel, String firmware,
                               String userAgent, String address, OffsetDateTime firstSeen, OffsetDateTime lastSeen,
                               long requests) {}
