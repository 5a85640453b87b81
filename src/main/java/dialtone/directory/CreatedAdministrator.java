package dialtone.directory;

/** A new administrator and the one-time password to give them (shown this once; replaced at first login). */
public record CreatedAdministrator(Administrator administrator, String oneTimePassword) {
    @Override
    public String toString() {
        return "CreatedAdministrator[" + administrator + ", oneTimePassword=***]";
    }
}
