package dialtone.portal;

/** Thrown to answer with 303 See Other to a path of the portal (after a form, or to a login page). */
final class Redirect extends RuntimeException {

    private final String location;

    Redirect(String location) {
        super(location, null, false, false);
        this.location = location;
    }

    String location() {
        return location;
    }
}
