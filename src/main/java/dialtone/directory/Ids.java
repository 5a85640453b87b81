package dialtone.directory;

import java.util.UUID;

/** Opaque identifiers for directory objects. */
public final class Ids {

    private Ids() {}

    public static String newId() {
        return UUID.randomUUID().toString();
    }
}
