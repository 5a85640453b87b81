package dialtone.directory;

/**
 * A user's emergency (E911) address: the location's unless overridden ({@code source} says which),
 * and whether an admin has confirmed it.
 */
public record E911(Address address, String source, boolean confirmed) {
    public static final String FROM_LOCATION = "location";
    public static final String OVERRIDE = "override";
}
