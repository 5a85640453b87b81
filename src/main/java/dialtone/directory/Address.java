package dialtone.directory;

/** A civic address, as E911 needs it; country is ISO 3166 alpha-2. */
public record Address(String street, String city, String region, String postalCode, String country) {}
