package dialtone.directory;

/** A username and a freshly generated password, shown once in the response that created them. */
public record Credentials(String username, String password) {
    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***]";
    }
}
