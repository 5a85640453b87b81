package dialtone.portal;

/**
 * A logged-in person: an administrator ({@link #ADMIN}) or a user ({@link #USER}), the session's CSRF token,
 * and the raw id (only ever in the cookie; the database holds its hash).
 */
record Session(String id, String kind, String personId, String csrf) {

    static final String ADMIN = "admin";
    static final String USER = "user";

    @Override
    public String toString() {
        return "Session[kind=" + kind + ", person=" + personId + "]";
    }
}
