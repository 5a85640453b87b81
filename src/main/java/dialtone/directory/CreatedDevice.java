package dialtone.directory;

/** A new device and its provisioning credentials, which no later response repeats. */
public record CreatedDevice(Device device, Credentials provisioning) {}
